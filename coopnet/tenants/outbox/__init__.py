"""Mail a tenant sends: kept in its own schema, delivered by the worker."""

from flask_babel import lazy_gettext as _l

from coopnet.capabilities import Capability, NavEntry
from coopnet.tenants.outbox.jobs import requeue_stale
from coopnet.worker.schedule import Every

capability = Capability(
    name="outbox",
    package=__name__,
    nav=(NavEntry(_l("Outbox"), "outbox.outbox", role="admin"),),
    schedules=(Every(requeue_stale, seconds=15 * 60),),
)
