"""Input no field may hold: PostgreSQL text cannot store NUL, so it is refused at the door."""

from flask import request

from coopnet.errors import ValidationFailed

NUL = "\x00"


def _first_nul(value, path=""):
    if isinstance(value, str):
        return path or "_body" if NUL in value else None
    if isinstance(value, dict):
        for key, item in value.items():
            name = f"{path}.{key}" if path else str(key)
            if NUL in str(key):
                return name
            if (found := _first_nul(item, name)) is not None:
                return found
    if isinstance(value, list):
        for index, item in enumerate(value):
            if (found := _first_nul(item, f"{path}.{index}" if path else str(index))) is not None:
                return found
    return None


def refuse_nul_bytes():
    """before_request: a NUL in the query string, a form or a JSON body is a 422 naming the field."""
    fields = [
        key
        for multi in (request.args, request.form)
        for key, value in multi.items(multi=True)
        if NUL in key or NUL in value
    ]
    if not fields and request.is_json:
        found = _first_nul(request.get_json(silent=True))
        fields = [found] if found is not None else []
    if fields:
        raise ValidationFailed(
            "Text may not contain NUL characters.", {fields[0]: "This may not contain NUL characters."}
        )
