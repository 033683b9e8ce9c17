"""Delivering outbox mail: a real SMTP server on loopback, and a refused connection."""

import socket

from coopnet.database import bind_tenant
from coopnet.extensions import db as _db
from coopnet.tenants.outbox.mail import compose
from coopnet.tenants.outbox.services import deliver


def test_delivery_through_a_real_smtp_server(app, make_tenant):
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Message

    received = []

    class Collect(Message):
        def handle_message(self, message):
            received.append(message)

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Collect(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        tenant, _ = make_tenant("quilted")
        with app.app_context():
            bind_tenant(_db.session, "quilted")
            message = compose(_db.session, tenant, "michelle@quilted.example", "Welcome", "Hello Michelle")
            _db.session.commit()
            mail = dict(app.config, MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
            delivered = deliver(_db.session, message.id, mail)
            _db.session.commit()
            assert delivered.status == "sent" and delivered.sent_at is not None
    finally:
        controller.stop()
    assert len(received) == 1
    assert received[0]["To"] == "michelle@quilted.example"
    assert received[0]["Subject"] == "Welcome"


def test_failed_delivery_is_recorded_for_retry(app, make_tenant):
    tenant, _ = make_tenant("quilted")
    with app.app_context():
        bind_tenant(_db.session, "quilted")
        message = compose(_db.session, tenant, "x@example.org", "Hi", "Hi")
        _db.session.commit()
        # Nothing listens on port 9 on loopback: the connection is refused.
        result = deliver(_db.session, message.id, dict(app.config, MAIL_SERVER="127.0.0.1", MAIL_PORT=9))
        assert result.status == "queued" and result.attempts == 1 and result.error


def test_the_sweep_delivers_mail_whose_job_was_lost(app, make_tenant):
    """A message still queued hours after it was written (its job lost) is delivered by the periodic sweep."""
    from datetime import timedelta

    from sqlalchemy import select

    from coopnet.database import utcnow
    from coopnet.tenants.outbox.jobs import requeue_stale
    from coopnet.tenants.outbox.models import OutboxMessage
    from coopnet.worker.schedule import for_each_tenant
    from tests.conftest import run_jobs

    make_tenant("quilted")
    with app.app_context():
        bind_tenant(_db.session, "quilted")
        _db.session.add_all(
            [
                OutboxMessage(
                    to_address="lost@example.org",
                    subject="lost",
                    body="b",
                    status="queued",
                    attempts=0,
                    created_at=utcnow() - timedelta(hours=4),
                ),
                OutboxMessage(to_address="fresh@example.org", subject="fresh", body="b", status="queued", attempts=0),
            ]
        )
        _db.session.commit()
        for_each_tenant(requeue_stale)
    run_jobs(app)
    with app.app_context():
        bind_tenant(_db.session, "quilted")
        states = dict(_db.session.execute(select(OutboxMessage.subject, OutboxMessage.status)).all())
    assert states == {"lost": "held", "fresh": "queued"}  # no MAIL_SERVER in tests: held for an admin
