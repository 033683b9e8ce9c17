"""The page checks themselves: a page that scrolls sideways on a phone or has a field
without a label fails them, and a page that goes unchecked is noticed."""

import pytest

from tests.browser.pages import PageChecks

BAD = """<!doctype html><html lang="en"><title>Bad</title><main><h1>Bad</h1>
<div style="width: 1000px">too wide</div><input name="nameless"></main></html>"""

GOOD = """<!doctype html><html lang="en"><title>Good</title><main><h1>Good</h1>
<label for="who">Who</label><input id="who"><input type="hidden" name="csrf_token"></main></html>"""


def test_a_wide_page_and_an_unlabelled_field_fail(page, tmp_path):
    page.set_content(BAD)
    with pytest.raises(AssertionError) as failed:
        PageChecks(page, tmp_path)()
    assert "scrolls sideways at 390px" in str(failed.value)
    assert 'field without a label at phone width: <input name="nameless"' in str(failed.value)
    assert "axe: label (critical)" in str(failed.value)
    assert {p.name for p in tmp_path.iterdir()} == {"01-bad-phone.png", "01-bad-desktop.png"}


def test_a_good_page_passes(page, tmp_path):
    page.set_content(GOOD)
    PageChecks(page, tmp_path)()


def test_a_page_visited_without_a_look_is_reported(page, tmp_path):
    checks = PageChecks(page, tmp_path)
    page.goto("/")
    page.goto("/login")
    checks()
    with pytest.raises(AssertionError, match="not checked"):
        checks.every_page_looked_at()
