"""The one place that names the access roles a membership row grants, and tenant kinds.

A membership is a coarse access grant. A person's lifecycle in a co-op (candidate,
probation, member, leave, exit) and officer positions live in the tenant schema.
"""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

# Highest first; a role may do what every role below it may.
ROLES = ("admin", "member", "candidate")
RANK = {role: len(ROLES) - i for i, role in enumerate(ROLES)}
LABELS = {"admin": _l("Admin"), "member": _l("Member"), "candidate": _l("Candidate (probation)")}

KINDS = ("coop", "network", "membership_org")
KIND_LABELS = {
    "coop": _l("Worker co-op"),
    "network": _l("Network (federation)"),
    "membership_org": _l("Membership organisation"),
}


def sql_in(column, values):
    """A CHECK constraint body: ``column IN ('a', 'b')``."""
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def role_problem(role):
    if role not in ROLES:
        return _("Choose one of: %(values)s.", values=", ".join(ROLES))
    return None


def at_least(role, minimum):
    return RANK.get(role, 0) >= RANK[minimum]
