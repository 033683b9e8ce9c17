"""What every tenant has inside its own schema, one subpackage a capability (see coopnet.capabilities)."""
