"""Forms of the project and expense pages (fields only; the rules are in the services)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, StringField
from wtforms.validators import Optional


class ProjectForm(FlaskForm):
    name = StringField(_l("Project name"))


class ProjectEditForm(FlaskForm):
    name = StringField(_l("Project name"))
    archived = StringField(_l("Archived"))  # "yes" or "no" from the page's buttons


class ExpenseForm(FlaskForm):
    spent_on = DateField(_l("Day spent"), validators=[Optional()])
    amount = StringField(_l("Amount"), description=_l("Such as 120.00."))
    description = StringField(_l("What it was for"))
    category = StringField(_l("Category (optional)"), description=_l("Such as rent, software or travel."))


class FiscalYearForm(FlaskForm):
    class Meta:
        csrf = False  # a GET form that only chooses what to show

    fiscal_year = IntegerField(_l("Fiscal year"), validators=[Optional()])
