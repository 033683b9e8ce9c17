"""Forms of the governance pages (fields only; the rules are in the services)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, DateTimeLocalField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional

from coopnet.i18n import IN_LOCAL_TIME
from coopnet.tenants.governance.rules import PRESETS


class AdoptForm(FlaskForm):
    preset = SelectField(
        _l("Preset"),
        choices=[SelectChoice(p.key, f"{p.name}: {p.story}") for p in PRESETS.values()],
        validate_choice=False,
    )


class ProposalForm(FlaskForm):
    category = SelectField(_l("Category"), validate_choice=False)
    title = StringField(_l("Title"))
    body = TextAreaField(_l("What you propose"))
    closes_at = DateTimeLocalField(
        _l("Closes at"), format="%Y-%m-%dT%H:%M", validators=[Optional()], description=IN_LOCAL_TIME
    )


class PositionForm(FlaskForm):
    stance = HiddenField()
    reason = StringField(_l("Reason (needed for a block where the rulebook says so)"))


class MeetingForm(FlaskForm):
    title = StringField(_l("Title"))
    starts_at = DateTimeLocalField(
        _l("Starts at"), format="%Y-%m-%dT%H:%M", validators=[Optional()], description=IN_LOCAL_TIME
    )
    recurrence = SelectField(
        _l("Repeats"),
        choices=[
            SelectChoice("none", _l("Once")),
            SelectChoice("weekly", _l("Every week")),
            SelectChoice("monthly", _l("Every month")),
            SelectChoice("weeks", _l("Every N weeks")),
        ],
        validate_choice=False,
    )
    every_weeks = IntegerField(_l("N (for every N weeks)"), validators=[Optional()])
    location = StringField(_l("Where"))


class MinutesForm(FlaskForm):
    held_on = DateField(_l("Held on"), validators=[Optional()])
    issues = TextAreaField(_l("Issues discussed"))
    decisions = TextAreaField(_l("Decisions made (one a line)"))


class ApproveForm(FlaskForm):
    proposal_id = IntegerField(_l("The passed proposal that approves these minutes"), validators=[Optional()])
