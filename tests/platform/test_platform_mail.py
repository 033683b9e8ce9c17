"""Platform mail (no tenant bound): written in the caller's transaction, delivered by a platform job after commit."""

from coopnet.extensions import db as _db
from coopnet.platform.mail import compose_platform
from tests.conftest import platform_mail, run_jobs


def test_platform_mail_is_delivered_by_the_worker_after_commit(app, engine):
    with app.app_context():
        compose_platform(_db.session, "kept@example.org", "Kept", "Hello")
        _db.session.commit()
        compose_platform(_db.session, "dropped@example.org", "Dropped", "Hello")
        _db.session.rollback()
    assert [m["status"] for m in platform_mail(engine)] == ["queued"]
    run_jobs(app)
    assert platform_mail(engine) == [
        {"to_address": "kept@example.org", "subject": "Kept", "body": "Hello", "status": "held"}
    ]
