"""The platform's own billing: every tenant (co-op, network, membership organisation) is
on a plan, free for small co-ops and paid by the month above it, through the platform's
own Stripe account; unpaid tenants are warned, then limited to reading, never deleted;
the operator sees revenue by month and can comp a tenant (`coopnet billing ...`)."""

from flask_babel import lazy_gettext as _l

from coopnet.capabilities import Capability, NavEntry
from coopnet.platform.billing.jobs import billing_sweep
from coopnet.worker.schedule import Every

capability = Capability(
    name="billing",
    package=__name__,
    nav=(NavEntry(_l("Plan"), "billing.plan_page", role="admin"),),
    schedules=(Every(billing_sweep, cron="20 5 * * *"),),
)
