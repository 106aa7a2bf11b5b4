"""Import forms. They validate input only; the import service checks every row."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, SubmitField
from wtforms.validators import DataRequired


class UploadForm(FlaskForm):
    file = FileField(
        _l("CSV or Excel file"),
        validators=[FileRequired(message=_l("Choose the file to import."))],
        description=_l("A .csv or .xlsx file whose first row names the columns, as in the template."),
        render_kw={
            "accept": ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        },
    )
    submit = SubmitField(_l("Check the file"))


class ConfirmImportForm(FlaskForm):
    """Carries the previewed file back, so what is written is exactly what was shown."""

    file_name = HiddenField(validators=[DataRequired()])
    file_data = HiddenField(validators=[DataRequired()])  # base64 of the uploaded bytes
    submit = SubmitField(_l("Import"))


class TrainingUploadForm(FlaskForm):
    file = FileField(
        _l("CSV or Excel file of earlier training"),
        validators=[FileRequired(message=_l("Choose the file to import."))],
        description=_l("One row per earlier record, with the columns of the earlier-training template."),
        render_kw={
            "accept": ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        },
    )
    submit = SubmitField(_l("Check the file"))


class ConfirmTrainingForm(FlaskForm):
    """Carries the previewed file back, with the document that attests its records.

    The document is chosen here, at the last step, and stored only when the records are.
    """

    file_name = HiddenField(validators=[DataRequired()])
    file_data = HiddenField(validators=[DataRequired()])  # base64 of the uploaded bytes
    document = FileField(
        _l("Attesting document"),
        validators=[FileRequired(message=_l("Attach the document that attests these records."))],
        description=_l(
            "A PDF, PNG or JPEG (a scan of the earlier logbook, a letter from the former "
            "supervisor): linked from every record this file imports."
        ),
        render_kw={"accept": ".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg"},
    )
    submit = SubmitField(_l("Import and attest"))
