"""Certificate forms. They validate input only; the services enforce the rules."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from app.forms_util import FinalConfirmMixin
from app.privacy.forms import PrivacyConfirmMixin


class IssueForm(FinalConfirmMixin, PrivacyConfirmMixin, FlaskForm):
    holder_name = StringField(
        _l("Name as printed"),
        validators=[DataRequired(), Length(max=200)],
        description=_l("As the holder wants it on the certificate, e.g. with a title or accents."),
    )
    override_reason = TextAreaField(
        _l("Reason to issue although requirements are unmet"),
        validators=[Optional(), Length(max=2000)],
        description=_l("Only when the trainee is not ready. The reason is kept in the audit trail."),
    )
    submit = SubmitField(_l("Issue certificate"))


class BatchForm(FinalConfirmMixin, FlaskForm):
    enrolment_ids = SelectMultipleField(
        _l("Trainees to certify"),
        coerce=int,
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        validators=[DataRequired(message=_l("Choose at least one trainee."))],
    )
    confirmed = HiddenField()  # set only by the preview's confirm button
    submit = SubmitField(_l("Preview the batch"))

    def needs_final_confirmation(self) -> bool:
        return False  # the issuing view sends an unticked confirmation back to the preview


class RevokeForm(FinalConfirmMixin, PrivacyConfirmMixin, FlaskForm):
    reason = TextAreaField(
        _l("Reason for revoking"),
        validators=[DataRequired(), Length(max=2000)],
        description=_l("Kept in the record and shown to the holder; the public page shows only the date."),
    )
    submit = SubmitField(_l("Revoke certificate"))


class SuspendForm(PrivacyConfirmMixin, FlaskForm):
    reason = TextAreaField(
        _l("Reason for suspending"),
        validators=[DataRequired(), Length(max=2000)],
        description=_l(
            "Kept for the association's admins. The holder is told that the certificate is suspended; "
            "the public page shows only since when."
        ),
    )
    submit = SubmitField(_l("Suspend certificate"))


class LiftSuspensionForm(PrivacyConfirmMixin, FlaskForm):
    note = TextAreaField(
        _l("Note on lifting"),
        validators=[DataRequired(), Length(max=2000)],
        description=_l("For example how the matter was settled. Kept for the association's admins."),
    )
    submit = SubmitField(_l("Lift the suspension"))


class ReissueForm(FinalConfirmMixin, PrivacyConfirmMixin, FlaskForm):
    holder_name = StringField(_l("Name as printed"), validators=[DataRequired(), Length(max=200)])
    reason = TextAreaField(
        _l("What is corrected"),
        validators=[DataRequired(), Length(max=2000)],
        description=_l("For example a change of name. The new certificate supersedes this one."),
    )
    submit = SubmitField(_l("Re-issue certificate"))


class RenewForm(FinalConfirmMixin, FlaskForm):
    """The confirmation step of a renewal: the page above it says what will be issued."""

    submit = SubmitField(_l("Renew the certificate"))


class RegenerateForm(FlaskForm):
    reason = TextAreaField(
        _l("Why regenerate"),
        validators=[DataRequired(), Length(max=2000)],
        description=_l(
            "For example a new certificate design. The PDF is rendered again from the issued record and "
            "stored as a new version; copies of the old file verify as superseded."
        ),
    )
    submit = SubmitField(_l("Regenerate the PDF"))


PAGE_SIZE_CHOICES = [
    SelectChoice("A4", _l("A4 (landscape)")),
    SelectChoice("Letter", _l("US Letter (landscape)")),
]


class SettingsForm(FlaskForm):
    signatory_name = StringField(_l("Signatory's name"), validators=[DataRequired(), Length(max=200)])
    signatory_role = StringField(_l("Signatory's role"), validators=[Optional(), Length(max=200)])
    serial_prefix = StringField(
        _l("Serial prefix"),
        validators=[DataRequired(), Length(min=2, max=8)],
        description=_l(
            "2 to 8 letters or digits, e.g. BSUK in BSUK-2026-00042-7QK2M9XD-P. Applies to new certificates."
        ),
    )
    page_size = SelectField(_l("Page size"), choices=PAGE_SIZE_CHOICES)
    logo = FileField(
        _l("Logo"),
        validators=[FileAllowed(["png", "jpg", "jpeg"], _l("Upload a PNG or JPEG image."))],
        description=_l("PNG or JPEG, at most 2 MB. Without one, certificates carry Stillpoint's seal."),
    )
    remove_logo = BooleanField(_l("Use the default seal instead of the uploaded logo"))
    linkedin_organization_id = StringField(
        _l("LinkedIn organisation id (optional)"),
        validators=[Optional(), Length(max=20)],
        description=_l(
            "The number in your LinkedIn page's admin address (linkedin.com/company/1234567/admin). "
            "With it, holders who add their certificate to LinkedIn link it to your page."
        ),
    )
    submit = SubmitField(_l("Save settings"))


class UndoBatchForm(FlaskForm):
    confirm = BooleanField(
        _l("I understand that every certificate of this batch still valid is revoked as issued in error"),
        validators=[DataRequired(message=_l("Tick the box to confirm."))],
    )
    submit = SubmitField(_l("Undo this batch"))


class PeriodForm(FlaskForm):
    """A GET form (the download links carry the dates): no CSRF token in the address bar."""

    class Meta:
        csrf = False

    start = DateField(_l("From"), validators=[DataRequired()])
    end = DateField(_l("To"), validators=[DataRequired()])


class RotateSealForm(FlaskForm):
    """Only a confirmation: rotating needs no input but the admin's intent (and CSRF)."""

    confirm = BooleanField(
        _l("Retire the current seal key and make a new one"),
        validators=[DataRequired(message=_l("Tick the box to confirm."))],
        description=_l(
            "PDFs sealed before keep their old seal, which stays valid and published; "
            "new PDFs are sealed with the new key."
        ),
    )
    submit = SubmitField(_l("Rotate the seal key"))


class VerifyForm(FlaskForm):
    pdf = FileField(
        _l("Certificate PDF"),
        validators=[FileAllowed(["pdf"], _l("Choose a PDF file."))],
        description=_l("The file is hashed and then discarded; it is not stored."),
    )
    sha256 = StringField(
        _l("…or its SHA-256 fingerprint"),
        validators=[Optional(), Length(max=80)],
        description=_l("64 characters, as printed by e.g. sha256sum."),
    )
    submit = SubmitField(_l("Check"))


class SerialForm(FlaskForm):
    """A GET form: no CSRF token in the address bar."""

    class Meta:
        csrf = False

    serial = StringField(_l("Serial number"), validators=[DataRequired(), Length(max=40)])
    submit = SubmitField(_l("Look up"))
