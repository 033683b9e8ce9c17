"""Forms for inviting and joining."""
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

ROLE_CHOICES = [SelectChoice("member", "Member"), SelectChoice("candidate", "Candidate (probation)"), SelectChoice("admin", "Admin")]


class InviteForm(FlaskForm):
    email = EmailField("Email", validators=[InputRequired("Enter the email to invite.")])
    role = SelectField("Role", choices=ROLE_CHOICES, default="member", validate_choice=False)


class JoinForm(FlaskForm):
    """A new person accepting an invitation creates their account here."""

    name = StringField("Your name", validators=[InputRequired("Enter your name.")])
    password = PasswordField("Choose a password", validators=[InputRequired("Choose a password.")],
                             description="At least 10 characters.")
