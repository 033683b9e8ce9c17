"""Pay and surplus: time, each co-op's pay rules, pay runs, the year-end split and capital accounts."""

from coopnet.capabilities import Capability, NavEntry

capability = Capability(
    name="pay",
    package=__name__,
    kinds=("coop", "network"),
    nav=(NavEntry("Time", "pay.timesheet"), NavEntry("Capital", "pay.capital")),
)
