"""How a co-op decides: its rulebook, proposals and positions, meetings, and minutes as a legal record."""

from flask_babel import lazy_gettext as _l

from coopnet.capabilities import Capability, NavEntry
from coopnet.tenants.governance.jobs import sweep
from coopnet.worker.schedule import Every

capability = Capability(
    name="governance",
    package=__name__,
    nav=(
        NavEntry(_l("Decisions"), "governance.decisions"),
        NavEntry(_l("Meetings"), "governance.meetings"),
        NavEntry(_l("Rulebook"), "governance.rulebook_page"),
    ),
    schedules=(Every(sweep, seconds=5 * 60),),
)
