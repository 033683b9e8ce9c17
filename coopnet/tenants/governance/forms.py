"""Forms of the governance pages (fields only; the rules are in the services)."""

from flask_wtf import FlaskForm
from wtforms import DateField, DateTimeLocalField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional

from coopnet.tenants.governance.rules import PRESETS


class AdoptForm(FlaskForm):
    preset = SelectField(
        "Preset", choices=[SelectChoice(p.key, f"{p.name}: {p.story}") for p in PRESETS.values()], validate_choice=False
    )


class ProposalForm(FlaskForm):
    category = SelectField("Category", validate_choice=False)
    title = StringField("Title")
    body = TextAreaField("What you propose")
    closes_at = DateTimeLocalField("Closes at (UTC)", format="%Y-%m-%dT%H:%M", validators=[Optional()])


class PositionForm(FlaskForm):
    stance = HiddenField()
    reason = StringField("Reason (needed for a block where the rulebook says so)")


class MeetingForm(FlaskForm):
    title = StringField("Title")
    starts_at = DateTimeLocalField("Starts at (UTC)", format="%Y-%m-%dT%H:%M", validators=[Optional()])
    recurrence = SelectField(
        "Repeats",
        choices=[
            SelectChoice("none", "Once"),
            SelectChoice("weekly", "Every week"),
            SelectChoice("monthly", "Every month"),
            SelectChoice("weeks", "Every N weeks"),
        ],
        validate_choice=False,
    )
    every_weeks = IntegerField("N (for every N weeks)", validators=[Optional()])
    location = StringField("Where")


class MinutesForm(FlaskForm):
    held_on = DateField("Held on", validators=[Optional()])
    issues = TextAreaField("Issues discussed")
    decisions = TextAreaField("Decisions made (one a line)")


class ApproveForm(FlaskForm):
    proposal_id = IntegerField("The passed proposal that approves these minutes", validators=[Optional()])
