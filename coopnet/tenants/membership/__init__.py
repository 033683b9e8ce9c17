"""Who belongs to a tenant: members, invitations and the join page."""

from coopnet.capabilities import Capability, NavEntry
from coopnet.tenants.membership.jobs import check_probation
from coopnet.worker.schedule import Every

capability = Capability(
    name="membership",
    package=__name__,
    nav=(NavEntry("Members", "membership.members"), NavEntry("Register", "membership.register_page")),
    schedules=(Every(check_probation, cron="15 3 * * *"),),
)
