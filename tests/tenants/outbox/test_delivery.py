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
