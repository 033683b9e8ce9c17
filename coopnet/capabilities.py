"""The one list of capabilities, and what the app learns from each one.

A capability is a package that names itself with a ``capability = Capability(...)``
in its ``__init__.py`` and keeps, by convention, any of:

    models.py      tables (tenant tables on TenantModel, shared ones on db.Model)
    views.py       ``blueprint``: the HTML pages
    api.py         ``blueprint``: the JSON API (its own OpenAPI tag); optionally
                   ``platform_blueprint`` for routes outside any tenant
    jobs.py        tenant, platform and scheduled jobs (imported so they register)
    cli.py         ``group``: a click group added to the ``coopnet`` command
    privacy.py     ``forget_account(session, account_id)``: what it keeps of a person
                   in the shared schema, wiped when they delete their account;
                   ``leave_coop(session, tenant, account_id)``: what it records in a
                   co-op they belonged to (run in that co-op by a job)
    migrations/    tenant revisions of its own, on the one tenant tree

Adding a capability means adding its package to CAPABILITIES and nothing else.
"""

import importlib
import importlib.util
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from coopnet.platform.roles import KINDS

CAPABILITIES = (
    "coopnet.tenants.home",
    "coopnet.tenants.governance",  # before membership: admission votes go through it
    "coopnet.tenants.membership",
    "coopnet.tenants.outbox",
    "coopnet.network",
    "coopnet.tenants.dues",
    "coopnet.tenants.pay",
    "coopnet.platform.billing",  # the platform's own plans: last in the navigation
)


@dataclass(frozen=True)
class NavEntry:
    label: str
    endpoint: str
    role: str = "candidate"  # the least role that sees it


@dataclass(frozen=True)
class Capability:
    name: str
    package: str
    kinds: tuple[str, ...] = KINDS
    nav: tuple[NavEntry, ...] = ()
    # Every(job, seconds=... or cron=...): periodic work, see coopnet.worker.schedule
    schedules: tuple = ()

    def module(self, name):
        """The capability's ``name`` module, or None when it has none."""
        qualified = f"{self.package}.{name}"
        if importlib.util.find_spec(qualified) is None:
            return None
        return importlib.import_module(qualified)

    def attribute(self, module, name):
        found = self.module(module)
        return getattr(found, name, None) if found is not None else None

    @property
    def migrations(self):
        spec = importlib.util.find_spec(self.package)
        path = Path(next(iter(spec.submodule_search_locations))) / "migrations"
        return path if path.is_dir() else None

    def shown_for(self, kind):
        return kind in self.kinds


@cache
def _all() -> tuple[Capability, ...]:
    return tuple(importlib.import_module(package).capability for package in CAPABILITIES)


def capabilities() -> tuple[Capability, ...]:
    return _all()


def load_models():
    """Import every capability's models, so both metadata collections are complete."""
    for capability in capabilities():
        capability.module("models")


def load_jobs():
    """Import the platform's jobs and every capability's, so the worker can run them."""
    importlib.import_module("coopnet.platform.jobs")
    for capability in capabilities():
        capability.module("jobs")


def navigation(kind, has_role):
    """(label, endpoint) of the entries a person of this role sees in a tenant of this kind."""
    return [
        (entry.label, entry.endpoint)
        for capability in capabilities()
        if capability.shown_for(kind)
        for entry in capability.nav
        if has_role(entry.role)
    ]


def capability_of_blueprint(blueprint_name):
    """The capability whose pages or API blueprint has this name, or None."""
    return _blueprint_owners().get(blueprint_name)


@cache
def _blueprint_owners():
    owners = {}
    for capability in _all():
        for module in ("views", "api"):
            blueprint = capability.attribute(module, "blueprint")
            if blueprint is not None:
                owners[blueprint.name] = capability
    return owners
