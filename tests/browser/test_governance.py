"""A co-op decides, in a real browser: adopt a rulebook, open a proposal, take a position
with one click and see the tally, close early and see the outcome."""

import re
from datetime import datetime, timedelta, timezone

from playwright.sync_api import expect


def test_adopt_a_rulebook_propose_take_a_position_and_close(page, look, found_coop, log_in):
    log_in(found_coop("tech-underground"))
    page.get_by_role("link", name="Tech Underground").click()
    look()

    page.get_by_role("link", name="Decisions").click()
    expect(page.get_by_role("main")).to_contain_text("no rulebook yet")
    look()
    page.get_by_role("link", name="Adopt one from the presets").click()
    look()
    page.get_by_label("Preset").select_option("majority")  # "Simple majority: more than half of the votes cast ..."
    page.get_by_role("button", name="Adopt this rulebook").click()
    expect(page.get_by_role("status")).to_contain_text("The rulebook is adopted")
    expect(page.get_by_role("heading", name="Version 1 (in force)")).to_be_visible()
    look()

    page.get_by_role("link", name="Decisions").click()
    look()
    page.get_by_label("Category").select_option("spending")
    page.get_by_label("Title").fill("Buy a second-hand server")
    page.get_by_label("What you propose").fill("Up to $900 for the rack at the data centre.")
    closes = datetime.now(timezone.utc) + timedelta(days=2)
    page.get_by_label("Closes at").fill(closes.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Open the proposal").click()
    expect(page.get_by_role("status")).to_contain_text("Your proposal is open")
    expect(page.get_by_role("heading", level=1)).to_have_text("Buy a second-hand server")
    expect(page.get_by_role("table").first).to_contain_text("0 of 1 eligible have spoken")
    look()

    page.get_by_role("button", name="Agree", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Your position is recorded: agree")
    expect(page.get_by_role("heading", name="Your position: agree")).to_be_visible()
    tally = page.get_by_role("table", name=re.compile("Positions"))
    expect(tally).to_contain_text("1 of 1 eligible have spoken")
    expect(tally.get_by_role("columnheader")).to_have_text(["agree", "abstain", "stand aside", "disagree", "block"])
    expect(tally.get_by_role("row").last.get_by_role("cell")).to_have_text(["1", "0", "0", "0", "0"])
    look()

    page.get_by_role("button", name=re.compile("Close now")).click()
    expect(page.get_by_role("status").filter(has_text="Passed")).to_be_visible()
    expect(page.get_by_role("button", name="Agree", exact=True)).to_have_count(0)
    look()
    page.get_by_role("link", name="All decisions").click()
    row = page.get_by_role("row", name=re.compile("Buy a second-hand server"))
    expect(row).to_contain_text("passed")
    expect(row).to_contain_text("1 of 1")
    look()
