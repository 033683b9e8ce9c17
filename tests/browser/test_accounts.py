"""Journeys of a person's account, in a real browser: bad input typed into the sign-up
form, a forgotten password, two-factor authentication from setup to the next log-in."""

import re
import time

import pyotp
from playwright.sync_api import expect

from tests.browser.conftest import PASSWORD


def field_error(page, label):
    """The reason shown next to the field labelled ``label`` (its aria-describedby)."""
    field = page.get_by_label(label, exact=True)
    expect(field).to_have_attribute("aria-invalid", "true")
    return page.locator(f"#{field.get_attribute('aria-describedby')}")


def test_bad_input_in_the_signup_form_shows_each_reason_keeps_the_rest_and_creates_nothing(page, look):
    page.goto("/signup")
    look()
    page.get_by_label("Co-op name").fill("Design Action")
    page.get_by_label("Address").fill("www")
    page.get_by_label("Your name").fill("Ana Designer")
    page.get_by_label("Your email").fill("not an address")
    page.get_by_label("Password").fill("short")
    with page.expect_response(lambda response: response.request.method == "POST") as answer:
        page.get_by_role("button", name="Create the co-op").click()

    assert answer.value.status == 422  # refused whole: nothing created, nothing mailed
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    expect(field_error(page, "Address")).to_contain_text("reserved")
    expect(field_error(page, "Your email")).not_to_be_empty()
    expect(field_error(page, "Password")).to_contain_text("at least 10 characters")
    expect(page.get_by_label("Co-op name")).to_have_value("Design Action")
    expect(page.get_by_label("Your name")).to_have_value("Ana Designer")
    expect(page.get_by_label("Address")).to_have_value("www")
    look()

    page.get_by_label("Address").fill("design-action")
    page.get_by_label("Your email").fill("ana@designaction.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create the co-op").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    look()


def test_a_forgotten_password_is_reset_by_the_mailed_link(page, look, mailbox, found_coop, log_in):
    email = found_coop("techcollective", "TechCollective")
    page.goto("/login")
    look()
    page.get_by_role("link", name="Forgot your password?").click()
    look()
    page.get_by_label("Email").fill(email)
    page.get_by_role("button", name="Mail me a link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    look()

    page.goto(mailbox.link(email, "Reset your coopnet password", "/password/reset"))
    look()
    page.get_by_label("New password").fill("tiny")
    page.get_by_role("button", name="Save the new password").click()
    expect(field_error(page, "New password")).to_contain_text("at least 10 characters")
    look()
    page.get_by_label("New password").fill("a brand new passphrase")
    page.get_by_role("button", name="Save the new password").click()
    expect(page.get_by_role("status")).to_contain_text("Your password is changed")
    look()

    log_in(email, "a brand new passphrase")
    expect(page.get_by_role("main").get_by_role("link", name="TechCollective")).to_be_visible()
    page.get_by_role("button", name="Log out").click()
    look()


def test_two_factor_from_setup_to_the_next_log_in(page, look, found_coop, log_in):
    email = found_coop("may-first", "May First")
    log_in(email)
    page.goto("/account")
    look()
    page.get_by_role("link", name=re.compile("Two-factor authentication")).click()
    look()
    page.get_by_role("button", name="Set up two-factor authentication").click()
    expect(page.get_by_role("figure")).to_be_visible()  # the QR code
    look()
    secret = re.search(r"Key:\s*([A-Z2-7]{16,})", page.get_by_role("main").inner_text()).group(1)
    page.get_by_label("Code", exact=True).fill(pyotp.TOTP(secret).now())
    page.get_by_label("Your current password").fill(PASSWORD)
    page.get_by_role("button", name="Turn two-factor on").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your recovery codes")
    codes = page.get_by_role("listitem").filter(has_text=re.compile(r"^[a-z2-9]{5}-[a-z2-9]{5}$"))
    expect(codes).to_have_count(10)
    recovery = codes.first.inner_text()
    look()
    page.get_by_role("button", name="Log out").click()
    look()

    log_in(email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your code")
    page.get_by_label("Code").fill("000000")
    page.get_by_role("button", name="Log in").click()
    expect(field_error(page, "Code")).to_contain_text("wrong")
    look()
    page.get_by_label("Code").fill(pyotp.TOTP(secret).at(time.time() + 30))
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("main").get_by_role("link", name="May First")).to_be_visible()
    look()
    page.get_by_role("button", name="Log out").click()
    look()

    log_in(email)
    page.get_by_label("Code").fill(recovery)  # the phone is lost: a recovery code, once
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("main").get_by_role("link", name="May First")).to_be_visible()
    look()


SIGNUP_LABELS = {
    "name": "Co-op name",
    "slug": "Address",
    "founder.name": "Your name",
    "founder.email": "Your email",
    "founder.password": "Password",
}


def typed(body, field):
    """What a person types into the form for ``field`` of a JSON signup body."""
    if field.startswith("founder."):
        return body["founder"][field.split(".", 1)[1]]
    return body[field]


def test_every_bad_signup_the_api_refuses_is_refused_in_the_form_too(page, look):
    from tests.platform.test_signup import BAD_SIGNUPS

    typeable = [
        (label, body, field)
        for label, body, _, field in BAD_SIGNUPS
        if all(isinstance(typed(body, name), str) and "\x00" not in typed(body, name) for name in SIGNUP_LABELS)
    ]
    assert len(typeable) >= 15
    for number, (label, body, field) in enumerate(typeable):
        if field != "founder.email":  # each row its own address: three sign-ups a day per address
            body = {**body, "founder": {**body["founder"], "email": f"row{number}@designaction.example"}}
        page.goto("/signup")
        look() if number == 0 else look.seen_before()
        for name, field_label in SIGNUP_LABELS.items():
            page.get_by_label(field_label, exact=True).fill(typed(body, name))
        with page.expect_response(lambda response: response.request.method == "POST") as answer:
            page.get_by_role("button", name="Create the co-op").click()
        assert answer.value.status == 422, label
        page.wait_for_load_state()
        look() if number == 0 else look.seen_before()
        expect(field_error(page, SIGNUP_LABELS[field])).not_to_be_empty()
        for name, field_label in SIGNUP_LABELS.items():
            if name != "founder.password":  # a password is never sent back into the page
                expect(page.get_by_label(field_label, exact=True)).to_have_value(typed(body, name))
