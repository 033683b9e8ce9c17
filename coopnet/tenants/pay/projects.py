"""A client's projects: time and invoices may name one, and a project implies its client.

An archived project keeps its time and invoices but takes no new time.

Who commits: the caller (view, command or job) that owns the unit of work;
these functions add, flush and return.
"""

from flask_babel import gettext as _
from sqlalchemy import func, select

from coopnet.errors import Conflict, NotFound, ValidationFailed
from coopnet.tenants.pay.models import Client, Project
from coopnet.tenants.pay.timesheets import get_client, is_row_id

MAX_NAME = 200


def _name(value) -> str:
    name = value.strip() if isinstance(value, str) else ""
    if not name or len(name) > MAX_NAME:
        raise ValidationFailed(
            _("Some fields are missing or invalid."), {"name": _("Name the project in at most 200 characters.")}
        )
    return name


def _refuse_a_taken_name(session, client_id: int, name: str, besides: int | None = None) -> None:
    query = select(Project.id).where(Project.client_id == client_id, func.lower(Project.name) == name.lower())
    if besides is not None:
        query = query.where(Project.id != besides)
    if session.scalar(query) is not None:
        taken = _("This client already has a project called %(name)s.", name=name)
        raise Conflict(taken, {"name": taken}, code="project_exists")


def projects(session, client_id: int | None = None, active_only: bool = False) -> list[Project]:
    """Projects by client then name: one client's, or every client's."""
    query = select(Project).join(Client, Client.id == Project.client_id).order_by(Client.name, Project.name)
    if client_id is not None:
        query = query.where(Project.client_id == client_id)
    if active_only:
        query = query.where(Project.archived.is_(False))
    return session.scalars(query).all()


def get_project(session, client_id: int, project_id: int, lock: bool = False) -> Project:
    """One of a client's projects; 404 when the client has no such project."""
    query = select(Project).where(Project.id == project_id, Project.client_id == client_id)
    found = session.scalar(query.with_for_update(of=Project) if lock else query)
    if found is None:
        raise NotFound(_("This client has no such project."))
    return found


def create_project(session, client_id: int, values: dict) -> Project:
    client = get_client(session, client_id, lock=True)  # two of one name at once: the second waits, then 409
    name = _name(values.get("name"))
    _refuse_a_taken_name(session, client.id, name)
    project = Project(client_id=client.id, name=name, archived=False)
    session.add(project)
    session.flush()
    return project


def update_project(session, client_id: int, project_id: int, values: dict) -> Project:
    """Rename or archive (and bring back) a project; the fields sent change."""
    get_client(session, client_id, lock=True)
    project = get_project(session, client_id, project_id, lock=True)
    if "archived" in values and not isinstance(values["archived"], bool):
        raise ValidationFailed(_("Some fields are missing or invalid."), {"archived": _("true or false.")})
    if "name" in values:
        name = _name(values["name"])
        _refuse_a_taken_name(session, client_id, name, besides=project.id)
        project.name = name
    if "archived" in values:
        project.archived = values["archived"]
    session.flush()
    return project


def project_for_time(session, project_id, client_id, keep: int | None = None) -> tuple[dict, int | None]:
    """(problems by field, the client) for time naming ``project_id``: a project of this co-op,
    not archived (unless the entry has it already, ``keep``), and of ``client_id`` when one is given;
    the project's client otherwise."""
    if project_id is None:
        return {}, client_id
    project = session.get(Project, project_id) if is_row_id(project_id) else None
    if project is None:
        return {"project_id": _("No such project in this co-op.")}, client_id
    if client_id is not None and client_id != project.client_id:
        return {"project_id": _("This project is for another client.")}, client_id
    if project.archived and project.id != keep:
        return {"project_id": _("This project is archived: it takes no new time.")}, project.client_id
    return {}, project.client_id
