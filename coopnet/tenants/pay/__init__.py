"""Pay and surplus: time, each co-op's pay rules, pay runs, the year-end split and capital accounts."""

from flask_babel import lazy_gettext as _l

from coopnet.capabilities import Capability, NavEntry

capability = Capability(
    name="pay",
    package=__name__,
    kinds=("coop", "network"),
    nav=(NavEntry(_l("Time"), "pay.timesheet"), NavEntry(_l("Capital"), "pay.capital")),
)
