"""The co-op's settings on its dashboard (fields only; the rules are in the services)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice

from coopnet.i18n import LANGUAGES


class CoopLanguageForm(FlaskForm):
    locale = SelectField(
        _l("Default language"),
        choices=[SelectChoice("", _l("Each person's browser"))]
        + [SelectChoice(code, name) for code, name in LANGUAGES.items()],
        description=_l("For members who have not chosen a language of their own."),
        validate_choice=False,
    )


class CoopTimeZoneForm(FlaskForm):
    time_zone = StringField(
        _l("Time zone"),
        description=_l("Where the co-op works, such as America/Los_Angeles; empty for UTC. Pages show times in it."),
    )
