"""One logging configuration: JSON lines in production, readable lines in development.

Every record carries the request id, tenant slug, account id and RQ job id
where there is one, so a line can be traced to who and what caused it."""

import logging
import sys
import uuid

from flask import g, has_request_context, request

FIELDS = ("request_id", "tenant", "account_id", "job_id")
READABLE = "%(asctime)s %(levelname)s %(name)s [req=%(request_id)s tenant=%(tenant)s account=%(account_id)s job=%(job_id)s] %(message)s"


class ContextFilter(logging.Filter):
    """Adds the request, tenant, account and job a record belongs to."""

    def filter(self, record):
        values = dict.fromkeys(FIELDS, "-")
        if has_request_context():
            values["request_id"] = g.get("request_id", "-")
            tenant = g.get("tenant")
            values["tenant"] = tenant.slug if tenant is not None else "-"
            user = g.get("_login_user")
            if user is not None and getattr(user, "is_authenticated", False):
                values["account_id"] = user.id
        job = _current_job()
        if job is not None:
            values["job_id"] = job.id
            values["tenant"] = (
                job.args[0] if job.func_name.endswith("run_tenant_job") and job.args else values["tenant"]
            )
        for key, value in values.items():
            if not hasattr(record, key):
                setattr(record, key, value)
        return True


def _current_job():
    try:
        from rq import get_current_job

        return get_current_job()
    except Exception:  # no Redis connection in this context
        return None


def configure_logging(app):
    """Called by create_app: one handler on the root logger, set up once per process."""
    app.before_request(_assign_request_id)
    app.after_request(_echo_request_id)
    root = logging.getLogger()
    if app.config.get("TESTING") or any(getattr(h, "coopnet", False) for h in root.handlers):
        return  # pytest captures logs itself
    logging.getLogger("pgserver").setLevel(logging.WARNING)
    handler = logging.StreamHandler(sys.stderr)
    handler.coopnet = True
    handler.addFilter(ContextFilter())
    if app.config["ENV_NAME"] == "production":
        from pythonjsonlogger.json import JsonFormatter

        handler.setFormatter(
            JsonFormatter("%(asctime)s %(levelname)s %(name)s %(message)s", rename_fields={"levelname": "level"})
        )
    else:
        handler.setFormatter(logging.Formatter(READABLE))
    root.addHandler(handler)
    root.setLevel(app.config.get("LOG_LEVEL", "INFO"))


def _assign_request_id():
    incoming = request.headers.get("X-Request-ID", "")
    g.request_id = incoming if 8 <= len(incoming) <= 64 and incoming.isalnum() else uuid.uuid4().hex


def _echo_request_id(response):
    response.headers["X-Request-ID"] = g.get("request_id", "")
    return response
