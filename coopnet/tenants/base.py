"""Declarative base for tables that live once per tenant, in schema t_<slug>."""
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

from coopnet.extensions import NAMING_CONVENTION
from coopnet.platform.tenancy import TENANT_SCHEMA


class TenantModel(DeclarativeBase):
    """Declared against the placeholder schema; each session maps it to t_<slug>."""

    metadata = MetaData(schema=TENANT_SCHEMA, naming_convention=NAMING_CONVENTION)
