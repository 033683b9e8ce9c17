"""Imports every tenant capability's models so TenantModel.metadata is complete."""
from coopnet.tenants.base import TenantModel
from coopnet.tenants.membership import models as _membership  # noqa: F401
from coopnet.tenants.outbox import models as _outbox  # noqa: F401

tenant_metadata = TenantModel.metadata
