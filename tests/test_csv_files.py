"""Cells in our CSV exports: never run by a spreadsheet, and read back as they were written."""

from hypothesis import given
from hypothesis import strategies as st

from coopnet.csv_files import FORMULA_START, from_spreadsheet_text, spreadsheet_text


@given(st.text())
def test_a_cell_is_never_a_formula_and_reads_back_as_it_was(text):
    cell = spreadsheet_text(text)
    assert not cell.startswith(FORMULA_START)
    assert from_spreadsheet_text(cell) == text


def test_the_mark_and_a_value_that_starts_with_one():
    assert spreadsheet_text('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    assert spreadsheet_text("'=HYPERLINK") == "''=HYPERLINK"  # a different name from the one above
    assert spreadsheet_text("Lease clinic") == "Lease clinic"
