"""The co-op's settings on its dashboard (fields only; the rules are in the services)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField
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
