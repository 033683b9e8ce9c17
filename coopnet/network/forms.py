"""Forms of the network pages that carry more than a button: invitations, coordinator
roles, settings, a member's listing, billed hours, joining by link. They carry fields
only; the services decide what is valid."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    IntegerField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from coopnet.network.directory import SKILLS
from coopnet.network.models import COORDINATOR_LABELS, LISTING_FIELDS


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class InviteForm(FlaskForm):
    coop = StringField(_l("A co-op (its address)"), description=_l("For example quilted"))
    email = EmailField(_l("Or a consultant's email"))


class CoordinatorForm(FlaskForm):
    account_id = SelectField(
        _l("Person"), coerce=int, validate_choice=False, validators=[NumberRange(min=1, max=2**63 - 1)]
    )
    role = SelectField(_l("Role"), choices=[SelectChoice(key, label) for key, label in COORDINATOR_LABELS.items()])


class SettingsForm(FlaskForm):
    overhead_per_hour = StringField(_l("Overhead per billed hour"), description=_l('For example "5.00"; 0 for none'))
    currency = StringField(_l("Currency"))
    offer_hours = IntegerField(_l("Hours a member has to answer an offer"), validators=[Optional()])
    admission = SelectField(
        _l("Who decides admissions"),
        choices=[
            SelectChoice("invitation", _l("The invitation: whoever accepts joins")),
            SelectChoice("rulebook", _l("The network's rulebook: accepting opens an admission proposal")),
        ],
        validate_choice=False,  # the service says what is wrong, beside the other settings
    )


class QuestionForm(FlaskForm):
    question = TextAreaField(_l("Question for the client"))


class ListingForm(FlaskForm):
    skills = MultiCheckboxField(_l("Skills"), choices=[SelectChoice(s, s.replace("-", " ")) for s in SKILLS])
    tags = StringField(_l("Tags"), description=_l("Your own words, separated by commas"))
    services = TextAreaField(_l("Services"))
    region = StringField(_l("Region"))
    time_zone = StringField(_l("Time zone"), description=_l("For example America/Chicago"))
    languages = StringField(_l("Languages"), description=_l("Separated by commas"))
    taking_work = BooleanField(_l("Taking work"))
    full_until = DateField(_l("Full until"), validators=[Optional()], description=_l("Leave empty if not full"))
    rates = TextAreaField(_l("Rates or sliding-scale policy"))
    public_fields = MultiCheckboxField(
        _l("Shown in the public directory"),
        choices=[
            SelectChoice("skills", _l("Skills")),
            SelectChoice("tags", _l("Tags")),
            SelectChoice("services", _l("Services")),
            SelectChoice("region", _l("Region")),
            SelectChoice("time_zone", _l("Time zone")),
            SelectChoice("languages", _l("Languages")),
            SelectChoice("availability", _l("Availability")),
            SelectChoice("rates", _l("Rates")),
        ],
    )

    def values(self) -> dict:
        """The listing as the service takes it (the same shape as the JSON API's)."""

        def words(text):
            return [w.strip() for w in (text or "").split(",") if w.strip()]

        return {
            "skills": list(self.skills.data or []),
            "tags": words(self.tags.data),
            "services": self.services.data or "",
            "region": self.region.data or "",
            "time_zone": self.time_zone.data or "",
            "languages": words(self.languages.data),
            "taking_work": bool(self.taking_work.data),
            "full_until": self.full_until.data,
            "rates": self.rates.data or "",
            "public_fields": [f for f in self.public_fields.data or [] if f in LISTING_FIELDS],
        }

    def fill(self, member) -> None:
        self.skills.data = list(member.skills or [])
        self.tags.data = ", ".join(member.tags or [])
        self.services.data = member.services
        self.region.data = member.region
        self.time_zone.data = member.time_zone
        self.languages.data = ", ".join(member.languages or [])
        self.taking_work.data = member.taking_work
        self.full_until.data = member.full_until
        self.rates.data = member.rates
        self.public_fields.data = list(member.public_fields or [])


class BilledHoursForm(FlaskForm):
    worked_on = DateField(_l("Day worked"), validators=[Optional()])
    hours = StringField(_l("Hours billed"))


class JoinForm(FlaskForm):
    """A consultant invited by email who has no account yet creates one here."""

    name = StringField(_l("Your name"))
    password = PasswordField(_l("Choose a password"), description=_l("At least 10 characters."))
