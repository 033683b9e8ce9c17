"""A tenant's home: the dashboard and who you are here."""

from flask_babel import lazy_gettext as _l

from coopnet.capabilities import Capability, NavEntry

capability = Capability(
    name="home",
    package=__name__,
    nav=(
        NavEntry(_l("Dashboard"), "home.dashboard"),
        # The co-op's security rules live with the accounts (coopnet/platform/account_views.py).
        NavEntry(_l("Security"), "coop_security.coop_security", role="admin"),
    ),
)
