"""Forms of the pay pages (fields only; the rules are in the services)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, DateField, HiddenField, IntegerField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional


class TimeForm(FlaskForm):
    worked_on = DateField(_l("Day"), validators=[Optional()])
    minutes = IntegerField(_l("Minutes"), validators=[Optional()])
    kind = SelectField(_l("Kind of work"), validate_choice=False)
    project_id = SelectField(_l("Client's project"), validate_choice=False)
    billable = BooleanField(_l("Billable"))
    note = StringField(_l("Note"))


class InvoiceForm(FlaskForm):
    client_id = SelectField(_l("Client"), coerce=int, validate_choice=False)
    period_start = DateField(_l("Work from"), validators=[Optional()])
    period_end = DateField(_l("Work to"), validators=[Optional()])
    due_on = DateField(_l("Due on (empty: the client's terms)"), validators=[Optional()])
    project_id = SelectField(_l("Only the time of one project"), validate_choice=False)


class PaidForm(FlaskForm):
    paid_on = DateField(_l("Paid on"), validators=[Optional()])


class AdjustmentForm(FlaskForm):
    account_id = SelectField(_l("Member"), coerce=int, validate_choice=False)
    corrects_run_id = SelectField(_l("Corrects the finalised run"), coerce=int, validate_choice=False)
    amount = StringField(_l("Amount (negative takes back an overpayment)"))
    reason = StringField(_l("Why"))


class TimeImportForm(FlaskForm):
    csv_file = FileField(
        _l("Time file (CSV)"),
        description=_l("Columns: worked_on, minutes; and if you like email, kind, billable, client, note."),
    )


class ConfirmTimeImportForm(FlaskForm):
    """The previewed file travels back with the confirmation; the import checks it all again."""

    csv = HiddenField()


class TimeCorrectionForm(TimeForm):
    reason = StringField(_l("Why (kept with the correction)"))


class RemoveTimeForm(FlaskForm):
    reason = StringField(_l("Why remove it"))


class LeaveForm(FlaskForm):
    account_id = SelectField(_l("Member"), coerce=int, validate_choice=False)
    taken_on = DateField(_l("Day"), validators=[Optional()])
    minutes = IntegerField(_l("Minutes of leave"), validators=[Optional()])
    note = StringField(_l("Note"))


class CloseYearForm(FlaskForm):
    shortfall = SelectField(
        _l("Hours short"),
        choices=[
            SelectChoice("repay", _l("repaid at the salary's hourly value")),
            SelectChoice("carry", _l("carried as hours owed")),
        ],
        validate_choice=False,
    )
    surplus_hours = SelectField(
        _l("Hours over"),
        choices=[SelectChoice("carry", _l("carried into the next year")), SelectChoice("drop", _l("not carried"))],
        validate_choice=False,
    )


class ClientForm(FlaskForm):
    name = StringField(_l("Name"))
    hourly_rate = StringField(_l("Rate an hour"), description=_l("On the sliding scale, from 0.00 to 150.00."))
    email = StringField(_l("Email for invoices"))
    payment_days = IntegerField(_l("Days to pay an invoice"), validators=[Optional()])


class PayRunForm(FlaskForm):
    period_start = DateField(_l("First day of the period"), validators=[Optional()])
    period_end = DateField(_l("Last day of the period"), validators=[Optional()])


class PayPolicyForm(FlaskForm):
    """A new version of the pay rules; each field is the pay-policies JSON field of the same name."""

    effective_from = DateField(_l("In force from"), validators=[Optional()])
    scheme = SelectField(
        _l("Scheme"),
        choices=[
            SelectChoice("hourly", _l("hourly pay for all work")),
            SelectChoice("base_plus_hourly", _l("a base of hours a month, hourly beyond it")),
            SelectChoice("salary", _l("a monthly salary against yearly hours")),
        ],
        validate_choice=False,
    )
    rate_member = StringField(_l("Rate an hour: members"))
    rate_candidate = StringField(_l("Rate an hour: candidates (empty: the member rate)"))
    rate_trainee = StringField(_l("Rate an hour: trainees (empty: the member rate)"))
    kind_multipliers = StringField(
        _l("Multiples by kind of work"),
        description=_l("Such as: web development = 2, programming = 2. Empty: the same rate for all work."),
    )
    base_hours = IntegerField(_l("Base hours a month (base and hourly)"), validators=[Optional()])
    monthly_salary = StringField(_l("Monthly salary (salary)"))
    yearly_hours = IntegerField(_l("Yearly hours committed (salary)"), validators=[Optional()])
    leave_weeks = IntegerField(_l("Weeks of paid leave a year (salary)"), validators=[Optional()])
    member_fee = StringField(_l("Monthly member fee toward shared costs"))


class SurplusPolicyForm(FlaskForm):
    """The surplus-policy JSON fields; up to three named funds, each a name and a share."""

    reserve_share = StringField(_l("Share to the collective reserve"), description=_l("Such as 0.25 for 25%."))
    fund_name_1 = StringField(_l("Fund 1: name"))
    fund_share_1 = StringField(_l("Fund 1: share"))
    fund_name_2 = StringField(_l("Fund 2: name"))
    fund_share_2 = StringField(_l("Fund 2: share"))
    fund_name_3 = StringField(_l("Fund 3: name"))
    fund_share_3 = StringField(_l("Fund 3: share"))
    basis = SelectField(
        _l("Members' part is split by"),
        choices=[SelectChoice("hours", _l("hours worked")), SelectChoice("pay", _l("pay"))],
        validate_choice=False,
    )
    cash_share = StringField(
        _l("Share of each allocation paid in cash"),
        description=_l("At least 0.20 for a US qualified written notice; the rest is retained in capital accounts."),
    )
    cash_instalments = IntegerField(_l("Cash paid in instalments"), validators=[Optional()])
    instalment_months = IntegerField(
        _l("Months between instalments"),
        validators=[Optional()],
        description=_l("The first falls due the day after the fiscal year ends, or on the day of the split."),
    )
    fiscal_year_start = StringField(_l("Fiscal year starts on (MM-DD)"))


class InstalmentPaidForm(FlaskForm):
    paid_on = DateField(_l("Paid on"), validators=[Optional()])


class AllocationForm(FlaskForm):
    fiscal_year = IntegerField(_l("Fiscal year"), validators=[Optional()])
    surplus = StringField(_l("Net surplus to split"), description=_l("Such as 100000.00."))
