"""Dues (May First): a member register with votes, dues schedules on a sliding scale,
standing with grace, Stripe subscriptions and webhooks, receipts, and a public support queue."""

from flask_babel import lazy_gettext as _l

from coopnet.capabilities import Capability, NavEntry
from coopnet.tenants.dues.jobs import sweep
from coopnet.worker.schedule import Every

capability = Capability(
    name="dues",
    package=__name__,
    nav=(
        NavEntry(_l("Dues"), "dues.dashboard", role="admin"),
        NavEntry(_l("Support"), "dues.support_queue"),
    ),
    schedules=(Every(sweep, seconds=60 * 60),),
)
