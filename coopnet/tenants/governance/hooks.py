"""Other capabilities act on decisions: a handler registered here runs, in the same
transaction, whenever a proposal closes (membership admits a candidate, for one); and
one capability may answer who votes (membership, from its register)."""

_after_close = []
_voters = []


def after_close(handler):
    """Decorator: ``handler(session, tenant, proposal)`` runs after each proposal closes."""
    _after_close.append(handler)
    return handler


def closed(session, tenant, proposal):
    for handler in _after_close:
        handler(session, tenant, proposal)


def voters(provider):
    """Decorator: ``provider(tenant, rule)`` answers who may take a position under ``rule``
    as a select of ``Membership.account_id`` (the shared access rows). One provider at most."""
    if _voters and _voters[0] is not provider:
        raise RuntimeError("Only one capability decides who votes.")
    _voters[:] = [provider]
    return provider


def eligible(tenant, rule):
    """The provider's select, or None when no capability decides (access roles do then)."""
    return _voters[0](tenant, rule) if _voters else None
