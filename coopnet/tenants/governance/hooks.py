"""Other capabilities act on decisions: a handler registered here runs, in the same
transaction, whenever a proposal closes (membership admits a candidate, for one)."""

_after_close = []


def after_close(handler):
    """Decorator: ``handler(session, tenant, proposal)`` runs after each proposal closes."""
    _after_close.append(handler)
    return handler


def closed(session, tenant, proposal):
    for handler in _after_close:
        handler(session, tenant, proposal)
