"""Issue 6: a mail whose first SMTP attempt fails is delivered by the worker's
scheduler (RQ Retry), as `coopnet worker` runs it (with_scheduler=True)."""

import socket
import time

from rq import Retry, SimpleWorker

from coopnet.database import bind_tenant
from coopnet.extensions import db as _db
from coopnet.tenants.outbox.jobs import deliver_message
from coopnet.tenants.outbox.mail import compose
from coopnet.tenants.outbox.models import OutboxMessage
from coopnet.worker.queues import Declared, get_queue, redis_connection


def work_with_scheduler(app):
    with app.app_context():
        queues = [get_queue(name, app) for name in app.config["RQ_QUEUES"]]
        SimpleWorker(queues, connection=redis_connection(app)).work(burst=True, with_scheduler=True)


def stored(app, message_id):
    with app.app_context():
        bind_tenant(_db.session, "quilted")
        message = _db.session.get(OutboxMessage, message_id)
        return message.status, message.attempts, bool(message.error)


def test_a_mail_is_delivered_after_a_first_smtp_failure(app, make_tenant, monkeypatch):
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Message

    # The production back-off waits 30 seconds first; one second here.
    monkeypatch.setattr(deliver_message, "job", Declared("tenant", "default", Retry(max=3, interval=1)))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", port)
    tenant, _ = make_tenant("quilted")
    with app.app_context():
        bind_tenant(_db.session, "quilted")
        message_id = compose(_db.session, tenant, "michelle@quilted.example", "Welcome", "Hello Michelle").id
        _db.session.commit()

    work_with_scheduler(app)  # nothing listens yet: refused, recorded, retried later
    assert stored(app, message_id) == ("queued", 1, True)
    with app.app_context():
        assert get_queue("default", app).scheduled_job_registry.count == 1

    received = []

    class Collect(Message):
        def handle_message(self, message):
            received.append(message)

    controller = Controller(Collect(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        time.sleep(1.5)
        work_with_scheduler(app)  # the scheduler queues the retry; the worker delivers it
    finally:
        controller.stop()
    assert stored(app, message_id) == ("sent", 2, False)
    assert [m["To"] for m in received] == ["michelle@quilted.example"]
