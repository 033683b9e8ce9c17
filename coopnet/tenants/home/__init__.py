"""A tenant's home: the dashboard and who you are here."""

from coopnet.capabilities import Capability, NavEntry

capability = Capability(name="home", package=__name__, nav=(NavEntry("Dashboard", "home.dashboard"),))
