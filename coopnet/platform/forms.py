"""HTML forms of the platform pages. Rules live in the services (so a form shows every
problem at once); these only carry fields and the CSRF token."""
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, PasswordField, StringField
from wtforms.validators import InputRequired


SLUG_HELP = "3-40 lower-case letters, digits and dashes; your space will be at /c/<address>/"


class SignupForm(FlaskForm):
    name = StringField("Co-op name")
    slug = StringField("Address", description=SLUG_HELP)
    founder_name = StringField("Your name")
    email = EmailField("Your email")
    password = PasswordField("Password", description="At least 10 characters.")


class FoundAnotherForm(FlaskForm):
    """Signup for someone already logged in: the co-op only."""

    name = StringField("Co-op name")
    slug = StringField("Address", description=SLUG_HELP)


class LoginForm(FlaskForm):
    email = EmailField("Email", validators=[InputRequired("Enter your email.")])
    password = PasswordField("Password", validators=[InputRequired("Enter your password.")])
    next = HiddenField()


class TokenForm(FlaskForm):
    name = StringField("Token name")


class EmptyForm(FlaskForm):
    """A button that changes something: the CSRF token and nothing else."""


# Service field names (API shape) to the form's field names.
SIGNUP_FIELDS = {"founder.name": "founder_name", "founder.email": "email", "founder.password": "password"}


def apply_errors(form, error, field_map=None):
    """Put a service's field errors next to the form fields they belong to."""
    field_map = field_map or {}
    unplaced = []
    for name, message in error.fields.items():
        field = getattr(form, field_map.get(name, name), None)
        if field is not None and hasattr(field, "errors"):
            field.errors = list(field.errors) + [message]
        else:
            unplaced.append(message)
    form.form_errors = list(form.form_errors) + (unplaced or ([] if error.fields else [error.message]))
