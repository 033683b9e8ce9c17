"""Browser fixtures: coopnet under gunicorn with a real worker (one per run), Debian's
Chromium driven by pytest-playwright, and ``look`` to check each page a journey visits."""

import os
import re
import shutil
from pathlib import Path

import pytest

from tests.browser.pages import PageChecks
from tests.browser.server import running_coopnet

PASSWORD = "correct horse battery"


def chromium_path() -> str:
    path = os.environ.get("COOPNET_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        pytest.fail(
            "The browser suite drives Debian's Chromium (Playwright's own download is not reachable): "
            "apt-get install -y chromium, or set COOPNET_CHROMIUM to a Chromium binary.",
            pytrace=False,
        )
    return path


# Package scope: the server and the browser stop when the browser tests are done,
# not at the end of the whole run.
@pytest.fixture(scope="package")
def coopnet_server(tmp_path_factory):
    with running_coopnet(tmp_path_factory.mktemp("browser-instance")) as server:
        yield server


@pytest.fixture(scope="package")
def mailbox(coopnet_server):
    return coopnet_server.mailbox


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": chromium_path()}


@pytest.fixture(scope="package")
def browser(launch_browser):
    browser = launch_browser()
    yield browser
    browser.close()


@pytest.fixture(scope="package")
def browser_context_args(browser_context_args, coopnet_server):
    """Every context opens at the server's address (page.goto("/signup")) at desktop size."""
    return {
        **browser_context_args,
        "base_url": coopnet_server.url,
        "viewport": PageChecks.VIEWPORTS["desktop"],
        "locale": "en-GB",
    }


@pytest.fixture
def page(page):
    page.set_default_timeout(10_000)
    return page


@pytest.fixture(scope="session")
def artifacts():
    """Screenshots of every page, one folder a test: tests/browser/artifacts/ (git ignores it),
    or COOPNET_BROWSER_ARTIFACTS. Not pytest-playwright's --output folder: every pytest run
    in the repository, browser tests or not, empties that one when it starts."""
    return Path(os.environ.get("COOPNET_BROWSER_ARTIFACTS") or Path(__file__).parent / "artifacts")


@pytest.fixture
def look(page, artifacts, request):
    """``look()`` after each navigation: screenshots at phone and desktop width, no sideways
    scrolling on the phone, a label on every visible field, no serious axe violation. A test
    that navigates to a page and moves on without looking at it fails."""
    folder = artifacts / re.sub(r"[^A-Za-z0-9_.-]+", "-", request.node.name).strip("-")
    shutil.rmtree(folder, ignore_errors=True)  # this test's screenshots from an earlier run
    checks = PageChecks(page, folder)
    yield checks
    call = getattr(request.node, "rep_call", None)  # set by pytest-playwright
    if call is not None and call.passed:  # a failed journey stops mid-page anyway
        checks.every_page_looked_at()


@pytest.fixture
def api(playwright, coopnet_server):
    """HTTP without a browser, for setting the scene of a journey (not for the journey itself)."""
    context = playwright.request.new_context(base_url=coopnet_server.url)
    yield context
    context.dispose()


@pytest.fixture
def found_coop(api, mailbox):
    """found_coop("quilted") -> the founder's email: a co-op signed up through the API and
    confirmed by the link in the founder's mail, with PASSWORD as the founder's password."""

    def found(slug, name=None, founder_name=None):
        email = f"founder@{slug}.example"
        body = {
            "name": name or slug.replace("-", " ").title(),
            "slug": slug,
            "kind": "coop",
            "founder": {"name": founder_name or f"Founder of {slug}", "email": email, "password": PASSWORD},
        }
        requested = api.post("/api/v1/signup", data=body)
        assert requested.status == 202, requested.text()
        link = mailbox.link(email, "Confirm your address", "/signup/confirm")
        confirmed = api.post("/api/v1/signup/confirm", data={"token": link.rsplit("/", 1)[1]})
        assert confirmed.status == 201, confirmed.text()
        return email

    return found


@pytest.fixture
def log_in(page, look):
    """Log in through the form, as a person would."""

    def do(email, password=PASSWORD):
        page.goto("/login")
        look()
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Log in").click()
        look()

    return do
