"""A co-op pays itself, in a real browser: set Quilted's $25 an hour, log time on the weekly
timesheet, compute the month's pay run and finalise it, record an expense, then split the
year's surplus and record the first cash instalment paid."""

import calendar
import re
from datetime import date

from playwright.sync_api import expect


def test_log_time_pay_it_record_an_expense_and_split_the_surplus(page, look, found_coop, log_in):
    today = date.today()
    first = today.replace(day=1)
    last = today.replace(day=calendar.monthrange(today.year, today.month)[1])
    log_in(found_coop("quilted-works", name="Quilted Works"))
    page.get_by_role("link", name="Quilted Works").click()
    look()

    page.get_by_role("link", name="Pay policy").click()
    look()
    page.get_by_label("In force from").fill(first.isoformat())
    page.get_by_label("Rate an hour: members").fill("25.00")
    page.get_by_label("Rate an hour: trainees (empty: the member rate)").fill("15.00")
    page.get_by_role("button", name="Set this version").click()
    expect(page.get_by_role("status").first).to_contain_text("is set")
    look()

    page.get_by_role("link", name="Time", exact=True).click()
    look()
    page.get_by_label("Day").fill(today.isoformat())
    page.get_by_label("Minutes").fill("150")
    page.get_by_label("Note").fill("Lease clinic website")
    page.get_by_role("button", name="Log time").click()
    expect(page.get_by_role("status").first).to_contain_text("Logged 150 minutes")
    expect(page.get_by_role("table").first).to_contain_text("Lease clinic website")
    look()

    page.get_by_role("link", name="Pay runs").click()
    look()
    page.get_by_label("First day of the period").fill(first.isoformat())
    page.get_by_label("Last day of the period").fill(last.isoformat())
    page.get_by_role("button", name="Compute the pay").click()
    pay = page.get_by_role("region", name="Pay by member")
    expect(pay).to_contain_text("2.50 h of client at 25.00 = 62.50")
    look()
    page.get_by_role("button", name="Finalise this pay run").click()
    expect(page.get_by_role("status").first).to_contain_text("The pay run is final")
    look()

    page.get_by_role("link", name="Expenses").click()
    look()
    page.get_by_label("Day spent").fill(today.isoformat())
    page.get_by_label("Amount").fill("12.50")
    page.get_by_label("What it was for").fill("Hosting")
    page.get_by_role("button", name="Record the expense").click()
    expect(page.get_by_role("status").first).to_contain_text("The expense is recorded")
    expect(page.get_by_role("table").first).to_contain_text("Hosting")
    look()

    page.get_by_role("link", name="Surplus", exact=True).click()
    look()
    page.get_by_label("Share to the collective reserve").fill("0.25")
    page.get_by_label("Share of each allocation paid in cash").fill("0.20")
    page.get_by_label("Cash paid in instalments").fill("2")
    page.get_by_label("Months between instalments").fill("3")
    page.get_by_role("button", name="Save the surplus policy").click()
    expect(page.get_by_role("status").first).to_contain_text("The surplus policy is saved")
    look()
    page.locator("#split-fiscal_year").fill(str(today.year))  # the books above have a year field too
    page.get_by_label("Net surplus to split").fill("1000.00")
    page.get_by_role("button", name="Split the surplus").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"The {today.year} surplus")
    instalments = page.get_by_role("region", name="Cash instalments")
    expect(instalments.get_by_role("row")).to_have_count(3)  # the header and the founder's two
    look()
    instalments.get_by_role("button", name="Record paid").first.click()
    expect(page.get_by_role("status").first).to_contain_text("The instalment is recorded paid")
    expect(page.get_by_role("region", name="Cash instalments")).to_contain_text(re.compile("paid"))
    expect(page.get_by_role("region", name="Cash instalments").get_by_role("button", name="Record paid")).to_have_count(
        1
    )
    look()
