"""Progress of long jobs, readable by whoever queued them: GET /api/v1/jobs/<id>."""

from flask_babel import gettext as _
from flask_login import current_user, login_required
from marshmallow import Schema, fields
from sqlalchemy import select

from coopnet.api import api_blueprint, document_errors
from coopnet.errors import NotFound
from coopnet.extensions import db
from coopnet.platform.models import JobProgress

blueprint = api_blueprint("jobs_api", __name__, "/api/v1", "Progress of background jobs you started")


class JobOut(Schema):
    id = fields.String(attribute="job_id")
    description = fields.String()
    status = fields.String(metadata={"enum": ["queued", "running", "finished", "failed"]})
    done = fields.Integer()
    total = fields.Integer(allow_none=True)
    message = fields.String(allow_none=True)
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


@blueprint.route("/jobs/<job_id>", methods=["GET"])
@blueprint.response(200, JobOut)
@document_errors(blueprint, 401, 404)
@login_required
def job(job_id):
    """How far a job you queued has got. Anyone else's job is a 404."""
    found = None
    if len(job_id) <= 64:
        mine = select(JobProgress).where(JobProgress.job_id == job_id, JobProgress.account_id == current_user.id)
        found = db.session.scalar(mine)
    if found is None:
        raise NotFound(_("No such job."))
    return found
