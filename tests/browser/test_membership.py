"""Journeys of a co-op's first days, in a real browser: sign up, invite a co-founder, who
joins by the link; logging in and out; a wrong password, then the throttle; an outsider."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import PASSWORD


def test_found_a_coop_invite_a_cofounder_who_joins(page, look, mailbox, log_in):
    page.goto("/")
    look()
    page.get_by_role("link", name="Sign up", exact=True).click()
    look()
    page.get_by_label("Co-op name").fill("Quilted")
    page.get_by_label("Address").fill("quilted")
    page.get_by_label("Kind").select_option(label="Worker co-op")
    page.get_by_label("Your name").fill("Ana Quilter")
    page.get_by_label("Your email").fill("ana@quilted.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create the co-op").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    look()

    # Ana opens the link in the mail the platform sent her.
    page.goto(mailbox.link("ana@quilted.example", "Confirm your address", "/signup/confirm"))
    look()
    page.get_by_role("button", name="Create the co-op").click()
    expect(page.get_by_role("status")).to_contain_text("Welcome to Quilted")
    expect(page.get_by_role("heading", level=1)).to_have_text("Quilted")
    expect(page.get_by_text("You are an admin here.")).to_be_visible()
    look()

    page.get_by_role("link", name="See the members and invite co-founders").click()
    look()
    page.get_by_label("Email").fill("ben@quilted.example")
    page.get_by_label("Role").select_option("admin")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_role("status")).to_contain_text("Invitation sent to ben@quilted.example")
    invitations = page.get_by_role("table").filter(has_text="ben@quilted.example")
    expect(invitations.get_by_role("row", name=re.compile("ben@quilted.example"))).to_contain_text("pending")
    look()

    # The worker delivers the invitation; the outbox shows it sent, its one-time link
    # removed from the copy kept there: only Ben's mailbox holds a way in.
    page.get_by_role("link", name="Outbox").click()
    invitation = page.get_by_role("article").filter(has_text="to ben@quilted.example")
    look.reload_until(lambda: "· sent" in invitation.inner_text())
    expect(invitation).to_contain_text("· sent")
    expect(invitation).to_contain_text("[link removed once the mail was sent]")
    join_link = mailbox.link("ben@quilted.example", "", "/join")
    assert join_link.rsplit("/", 1)[1] not in invitation.inner_text()

    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("status")).to_have_text("You are logged out.")
    look()

    page.goto(join_link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Join Quilted")
    look()
    page.get_by_label("Your name").fill("Ben Stitcher")
    page.get_by_label("Choose a password").fill("another good passphrase")
    page.get_by_role("button", name="Create my account and join").click()
    expect(page.get_by_role("status")).to_contain_text("Welcome to Quilted")
    expect(page.get_by_text("You are an admin here.")).to_be_visible()
    look()
    page.get_by_role("link", name="See the members and invite co-founders").click()
    members = page.get_by_role("table").first
    expect(members.get_by_role("row", name=re.compile("Ben Stitcher"))).to_contain_text("admin")
    expect(members.get_by_role("row", name=re.compile("Total"))).to_contain_text("2")
    look()
    page.get_by_role("button", name="Log out").click()
    look()

    log_in("ben@quilted.example", "another good passphrase")
    expect(page.get_by_role("link", name="Quilted").first).to_be_visible()
    page.get_by_role("main").get_by_role("link", name="Quilted").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Quilted")
    look()
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()
    look()
    page.goto("/c/quilted/members")
    expect(page).to_have_url(re.compile(r"/login"))
    look()


def test_a_wrong_password_then_the_throttle(page, look, found_coop, log_in):
    email = found_coop("electric-embers")
    page.goto("/login")
    look()
    for attempt in range(1, 7):
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password").fill(f"not the password {attempt}")
        page.get_by_role("button", name="Log in").click()
        if attempt <= 5:
            expect(page.get_by_role("alert")).to_contain_text("That email and password do not match an account.")
            expect(page.get_by_label("Email")).to_have_value(email)  # kept what was typed
            look()
    expect(page.get_by_role("heading", level=1)).to_have_text("Slow down")
    expect(page.get_by_role("main")).to_contain_text("Too many failed log-ins for this account")
    look()

    # Even the right password waits now.
    page.goto("/login")
    look()
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Slow down")
    look()


def test_a_member_of_another_coop_is_refused(page, look, found_coop, log_in):
    found_coop("gaia-host")
    outsider = found_coop("web-collective")
    log_in(outsider)
    for path in ("/c/gaia-host/", "/c/gaia-host/members", "/c/gaia-host/outbox", "/c/gaia-host/decisions"):
        response = page.goto(path)
        assert response.status == 404, path
        expect(page.get_by_role("heading", level=1)).to_have_text("Not found")
        expect(page.get_by_role("main")).not_to_contain_text("Gaia")
        look()
    page.goto("/c/web-collective/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Web Collective")
    look()


def test_import_a_register_preview_every_problem_then_confirm(page, look, found_coop, log_in, tmp_path):
    """Quilted moves off its spreadsheet: the first file has problems and nothing is written;
    the corrected file is previewed, confirmed, and the register shows everyone since when."""
    log_in(found_coop("quilted-register", name="Quilted"))
    page.goto("/c/quilted-register/register")
    expect(page.get_by_role("heading", level=1)).to_have_text("Member register")
    expect(page.get_by_role("main")).to_contain_text("Nobody is in the register yet.")
    look()
    page.get_by_role("link", name="Import a register (CSV)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import a register from CSV")
    look()

    bad = tmp_path / "quilted-with-mistakes.csv"
    bad.write_text(
        "email,name,status,since,class\n"
        "colin@quilted.example,Colin Sagan,member,2013-09-01,member\n"
        "not an address,Alex Hage,candidate,2026-01-05,member\n"
        "kyle@quilted.example,Kyle Wagener,wizard,2999-01-01,member\n"
    )
    page.get_by_label("Register file (CSV)").set_input_files(bad)
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import preview")
    problems = page.get_by_role("alert")
    expect(problems).to_contain_text("2 rows have problems; nothing will be imported")
    expect(problems.get_by_role("listitem")).to_have_count(2)
    expect(problems).to_contain_text("Line 3:")
    expect(problems).to_contain_text("Line 4:")
    expect(page.get_by_role("button", name=re.compile("Import"))).to_have_count(0)
    rows = page.get_by_role("table")
    expect(rows.get_by_role("row", name=re.compile("colin@quilted.example"))).to_be_visible()
    look()

    page.get_by_role("link", name="Upload a corrected file").click()
    look()
    good = tmp_path / "quilted.csv"
    good.write_text(
        "email,name,status,since,class\n"
        "colin@quilted.example,Colin Sagan,member,2013-09-01,member\n"
        "alex@quilted.example,Alex Hage,candidate,2026-01-05,member\n"
        "gulf@quilted.example,Gulf area trainee,member,2019-09-01,trainee\n"
    )
    page.get_by_label("Register file (CSV)").set_input_files(good)
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_role("status").filter(has_text="3 people will be added")).to_be_visible()
    expect(page.get_by_role("alert")).to_have_count(0)
    look()
    page.get_by_role("button", name="Import 3 people").click()
    expect(page.get_by_role("status").filter(has_text="3 people are in the register now.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Member register")
    register = page.get_by_role("table")
    expect(register.get_by_role("row", name=re.compile("Colin Sagan"))).to_contain_text("Member")
    expect(register.get_by_role("row", name=re.compile("Alex Hage"))).to_contain_text("Candidate (on probation)")
    expect(register.get_by_role("row", name=re.compile("Gulf area trainee"))).to_contain_text("Trainee")
    expect(register.get_by_role("row", name=re.compile("Total"))).to_contain_text("3")
    look()

    page.get_by_role("link", name="Alex Hage").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Alex Hage")
    expect(page.get_by_role("table").first).to_contain_text("imported from the register file")
    look()
