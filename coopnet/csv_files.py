"""CSV files people upload (a register, a timesheet) and download (exports): the checks
every upload gets before its rows are read, and the guard every exported cell gets so a
spreadsheet never runs it as a formula."""

import csv
from collections.abc import Callable

from flask_babel import gettext as _

from coopnet.errors import ValidationFailed

MAX_BYTES = 4_000_000
# A cell starting with one of these is a formula to a spreadsheet (formula injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def read(text, parse: Callable):
    """``parse(text)`` of an uploaded CSV, refused first when it is empty or too large,
    and when the csv module cannot read it."""
    if not isinstance(text, str) or not text.strip():
        raise ValidationFailed(_("The file is empty."), {"csv": _("Upload a CSV file with a header line.")})
    if len(text) > MAX_BYTES:
        raise ValidationFailed(
            _("The file is too large."), {"csv": _("At most %(size)s MB at once.", size=MAX_BYTES // 1000000)}
        )
    try:
        return parse(text)
    except csv.Error as exc:
        raise ValidationFailed(
            _("The file is not a CSV we can read."), {"csv": _("Line problem: %(exc)s", exc=exc)}
        ) from None


def uploaded_text(upload) -> str:
    """The text of a file chosen in a form (UTF-8, a byte-order mark dropped), read no
    further than the largest file taken (``read`` then refuses it as too large)."""
    if upload is None or not getattr(upload, "filename", ""):
        raise ValidationFailed(_("Choose a file."), {"csv": _("Choose a CSV file to upload.")})
    raw = upload.read(MAX_BYTES + 1)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationFailed(
            _("The file is not UTF-8 text."), {"csv": _("Save the file as CSV (UTF-8) and upload it again.")}
        ) from None


def spreadsheet_text(text: str) -> str:
    """A cell a spreadsheet shows as text, never runs: a value that starts like a formula, or
    with the quote that marks one, gets a quote before it (``from_spreadsheet_text`` undoes it)."""
    return "'" + text if text.startswith((*FORMULA_START, "'")) else text


def from_spreadsheet_text(text: str) -> str:
    """A cell read back from one of our exports, its mark taken off: "'=SUM(A1)" is "=SUM(A1)"
    and "''x" is "'x", so an export imported again is what was exported. A quote typed first
    in a file of one's own is read as that mark too."""
    return text[1:] if text.startswith("'") else text
