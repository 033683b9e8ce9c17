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


def test_platform_mail_whose_job_was_lost_is_delivered_by_the_sweep(app, engine):
    from datetime import timedelta

    import time_machine

    from coopnet.database import utcnow
    from coopnet.extensions import db
    from coopnet.platform.jobs import requeue_stale_platform_mail
    from coopnet.platform.models import PlatformMail
    from coopnet.worker.queues import enqueue_platform

    with app.app_context():
        lost = PlatformMail(to_address="lost@example.org", subject="Lost", body="lost", status="queued", attempts=0)
        db.session.add(lost)  # added without its delivery job, as if the worker had lost it
        db.session.commit()
        lost_id = lost.id
        assert requeue_stale_platform_mail() == 0  # not stale yet
        with time_machine.travel(utcnow() + timedelta(hours=2)):
            enqueue_platform(requeue_stale_platform_mail)
            run_jobs(app)
        db.session.expire_all()
        assert db.session.get(PlatformMail, lost_id).status == "held"  # delivered: no mail server in tests


def test_a_sent_mail_keeps_no_live_link(app):
    from coopnet.mailer import without_link_secrets

    body = "Join Quilted:\nhttp://127.0.0.1:5000/c/quilted/join/AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-abcde\n"
    kept = without_link_secrets(body)
    assert "AbCdEf" not in kept and "http://127.0.0.1:5000/c/quilted/join/" in kept
    assert without_link_secrets("See http://127.0.0.1:5000/c/quilted/proposals/12") == (
        "See http://127.0.0.1:5000/c/quilted/proposals/12"
    )
