"""Who belongs to a tenant: members, invitations and the join page."""

from coopnet.capabilities import Capability, NavEntry

capability = Capability(name="membership", package=__name__, nav=(NavEntry("Members", "membership.members"),))
