"""Forms of the register, officer and rota pages (fields only; the rules are in the services)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    EmailField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from coopnet.i18n import IN_LOCAL_TIME

STATUS_LABELS = {
    "applicant": _l("Applicant"),
    "candidate": _l("Candidate (on probation)"),
    "member": _l("Member"),
    "leave": _l("On leave"),
    "withdrawn": _l("Withdrawn"),
    "expelled": _l("Expelled"),
}
CLASS_CHOICES = [SelectChoice("member", _l("Member")), SelectChoice("trainee", _l("Trainee"))]


class PersonForm(FlaskForm):
    email = EmailField(_l("Email"))
    name = StringField(_l("Name"))
    status = SelectField(
        _l("Status"), choices=[SelectChoice(k, v) for k, v in STATUS_LABELS.items()], validate_choice=False
    )
    since = DateField(_l("Status since"), validators=[Optional()], description=_l("The day this status began."))
    member_class = SelectField(_l("Class"), choices=CLASS_CHOICES, validate_choice=False)


class ImportForm(FlaskForm):
    csv_file = FileField(_l("Register file (CSV)"), description=_l("Columns: email, name, status, since, class."))


class ConfirmImportForm(FlaskForm):
    """The previewed file travels back with the confirmation; the import checks it all again."""

    csv = HiddenField()


class PolicyForm(FlaskForm):
    probation_months = IntegerField(_l("Months of probation"), validators=[Optional()])
    probation_hours = StringField(_l("Hours of probation"), description=_l("Leave empty for no minimum."))
    require = SelectField(
        _l("A candidate needs"),
        choices=[SelectChoice("both", _l("both the months and the hours")), SelectChoice("either", _l("either"))],
        validate_choice=False,
    )
    buy_in = StringField(_l("Buy-in"), description=_l("A capital contribution such as 5000.00; 0 for none."))
    buy_in_instalments = IntegerField(_l("Buy-in instalments"), validators=[Optional()])
    entrance_fee = StringField(_l("Entrance fee"))
    currency = StringField(_l("Currency"))


class StatusForm(FlaskForm):
    status = SelectField(_l("New status"), validate_choice=False)
    on = DateField(_l("From"), validators=[Optional()])
    reason = TextAreaField(_l("Why"), validators=[InputRequired(_l("Say why; the register keeps it."))])


class ExitForm(FlaskForm):
    status = SelectField(
        _l("Propose"),
        choices=[SelectChoice("withdrawn", _l("Withdrawal")), SelectChoice("expelled", _l("Expulsion"))],
        validate_choice=False,
    )
    reason = TextAreaField(_l("Reason for the co-op to decide on"))


class HoursForm(FlaskForm):
    worked_on = DateField(_l("Day worked"), validators=[Optional()])
    hours = StringField(_l("Hours"), description=_l("Such as 7.5; at most 24 a day."))


class PaymentForm(FlaskForm):
    amount = StringField(_l("Amount paid"))
    paid_on = DateField(_l("Paid on"), validators=[Optional()])
    note = StringField(_l("Note"), validators=[Optional()])


class RefundForm(FlaskForm):
    amount = StringField(_l("Amount refunded"), description=_l("Leave empty to refund all that is owed."))
    paid_on = DateField(_l("Refunded on"), validators=[Optional()])


class EntranceFeeForm(FlaskForm):
    deferred = BooleanField(_l("Deferred: owed, and paid later"))


class AppointForm(FlaskForm):
    role = StringField(_l("Role"), description=_l("Such as coordinator, secretary, bookkeeper, webmaster."))
    account_id = SelectField(_l("Person"), coerce=int, validate_choice=False)
    starts_on = DateField(_l("Term starts"), validators=[Optional()])
    ends_on = DateField(_l("Term ends"), validators=[Optional()], description=_l("Leave empty if open-ended."))


class EndTermForm(FlaskForm):
    ends_on = DateField(_l("Ends on"), validators=[Optional()])


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class RotaForm(FlaskForm):
    participants = MultiCheckboxField(_l("Who takes part"), coerce=int, validate_choice=False)
    starts_at = DateTimeLocalField(
        _l("First shift starts"), format="%Y-%m-%dT%H:%M", validators=[Optional()], description=IN_LOCAL_TIME
    )
    days = IntegerField(_l("Days"), validators=[Optional()])
    shift_hours = SelectField(
        _l("Hours a shift"),
        coerce=int,
        choices=[SelectChoice(h, str(h)) for h in (1, 2, 3, 4, 6, 8, 12, 24)],
        default=24,
    )


class SwapForm(FlaskForm):
    with_shift_id = SelectField(_l("Their shift"), coerce=int, validate_choice=False)


class StatementForm(FlaskForm):
    subject_id = SelectField(_l("About"), coerce=int, validate_choice=False)
    kind = SelectField(
        _l("Kind"),
        choices=[
            SelectChoice("missed deadline", _l("Missed deadline")),
            SelectChoice("unfulfilled commitment", _l("Unfulfilled commitment")),
            SelectChoice("costly error", _l("Costly error")),
            SelectChoice("other", _l("Other")),
        ],
        validate_choice=False,
    )
    body = TextAreaField(_l("What happened"))


class ResponseForm(FlaskForm):
    response = TextAreaField(_l("Your response"))
