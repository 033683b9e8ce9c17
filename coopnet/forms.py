"""What every HTML form shares: the CSRF-only form, and one way to run a submitted form.

Rules live in the services (so a page shows every problem at once); forms only
carry fields and the CSRF token."""

from dataclasses import dataclass

from flask_babel import gettext as _
from flask_wtf import FlaskForm

from coopnet.errors import ServiceError


class EmptyForm(FlaskForm):
    """A button that changes something: the CSRF token and nothing else."""


@dataclass
class Submitted:
    ok: bool  # the action ran and its unit of work is committed
    status: int  # the HTTP status for re-rendering the page when not ok
    value: object = None


def submit(form, action, field_map=None):
    """Validate a submitted ``form`` and run ``action()``, which calls the service
    and commits. A ServiceError is rolled back and placed on the form's fields.

    Returns Submitted(ok, status, value): a page redirects when ``ok``, and
    otherwise renders the form with ``status`` (200 before any submit, 422 or the
    service error's status after a failed one)."""
    from coopnet.extensions import db

    if not form.is_submitted():
        return Submitted(False, 200)
    if not form.validate():
        return Submitted(False, 422)
    try:
        value = action()
    except ServiceError as error:
        db.session.rollback()
        apply_errors(form, error, field_map)
        return Submitted(False, error.status)
    return Submitted(True, 200, value)


def committed(service, *args, **kwargs):
    """An action for ``submit``: call ``service(*args, **kwargs)``, then commit."""
    from coopnet.extensions import db

    def run():
        value = service(*args, **kwargs)
        db.session.commit()
        return value

    return run


def apply_errors(form, error, field_map=None):
    """Put a service's field errors next to the form fields they belong to."""
    field_map = field_map or {}
    unplaced = []
    for name, message in error.fields.items():
        field = getattr(form, field_map.get(name, name), None)
        if field is not None and hasattr(field, "errors"):
            field.errors = [*list(field.errors), message]
        else:
            unplaced.append(message)
    form.form_errors = list(form.form_errors) + (unplaced or ([] if error.fields else [error.message]))


def problems(form) -> str:
    """A failed one-button form's errors as one line, for a flash on the page it returns to."""
    return " ".join([*form.form_errors, *(e for f in form for e in f.errors)]) or _("That did not work; try again.")
