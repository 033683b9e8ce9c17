"""Who belongs to a tenant: members, invitations, the register and its lifecycle."""

from flask_babel import lazy_gettext as _l

from coopnet.capabilities import Capability, NavEntry
from coopnet.tenants.membership import exits, voting  # noqa: F401  (they answer governance's hooks)
from coopnet.tenants.membership.jobs import check_probation
from coopnet.worker.schedule import Every

capability = Capability(
    name="membership",
    package=__name__,
    nav=(
        NavEntry(_l("Members"), "membership.members"),
        NavEntry(_l("Register"), "membership.register_page"),
        NavEntry(_l("Officers"), "membership.officers_page"),
        NavEntry(_l("Rota"), "membership.rota_page"),
    ),
    schedules=(Every(check_probation, cron="15 3 * * *"),),
)
