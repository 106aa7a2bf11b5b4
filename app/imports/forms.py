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
