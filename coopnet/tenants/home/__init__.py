"""A tenant's home: the dashboard and who you are here."""

from flask_babel import lazy_gettext as _l

from coopnet.capabilities import Capability, NavEntry

capability = Capability(name="home", package=__name__, nav=(NavEntry(_l("Dashboard"), "home.dashboard"),))
