"""Between tenants: networks of co-ops and consultants, the skills directory, client
referrals routed by coordinators, the overhead fee ledger, and subcontracts between co-ops."""

from flask_babel import lazy_gettext as _l

from coopnet.capabilities import Capability, NavEntry
from coopnet.network import admission  # noqa: F401  (its after_close hook registers)
from coopnet.network.jobs import sweep_offers
from coopnet.worker.schedule import Every

capability = Capability(
    name="network",
    package=__name__,
    # A network's own space shows its requests and directory; a co-op's shows its
    # networks, offers and subcontracts. Each view says which kind it serves.
    kinds=("coop", "network"),
    nav=(NavEntry(_l("Network"), "network.home"),),
    schedules=(Every(sweep_offers, seconds=5 * 60),),
)
