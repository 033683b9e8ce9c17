"""HTML forms of the account's security pages (fields only; the rules are in the services)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField


class EmailForm(FlaskForm):
    email = EmailField(_l("Email"), description=_l("The address you log in with."))


class NewPasswordForm(FlaskForm):
    password = PasswordField(_l("New password"), description=_l("At least 10 characters."))


class ChangeEmailForm(FlaskForm):
    email = EmailField(_l("New email address"))
    password = PasswordField(_l("Your current password"))


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(_l("Current password"))
    new_password = PasswordField(_l("New password"), description=_l("At least 10 characters."))


class CodeForm(FlaskForm):
    code = StringField(
        _l("Code"), description=_l("The 6 digits your authenticator app shows, or one of your recovery codes.")
    )


class TwoFactorConfirmForm(FlaskForm):
    code = StringField(_l("Code"), description=_l("The 6 digits your authenticator app shows now."))
    password = PasswordField(_l("Your current password"))


class PasswordForm(FlaskForm):
    password = PasswordField(_l("Your current password"))


class CoopSecurityForm(FlaskForm):
    require_two_factor = BooleanField(_l("Require two-factor authentication of every member"))
