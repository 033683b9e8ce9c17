"""coopnet as a person runs it, for the browser suite and benchmarks/pages.py: its own
embedded PostgreSQL and Redis in an instance folder, `coopnet db upgrade`, gunicorn with
the deployment's settings on a free loopback port, a real `coopnet worker`, and an SMTP
server on loopback standing in for everyone's mailbox. Everything it starts it stops,
and it checks that no process it started is left running."""

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from email.message import Message
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Mailbox:
    """Every message the worker delivered over SMTP, as a person's mail client would show it."""

    def __init__(self):
        self.messages: list[Message] = []
        self._arrived = threading.Condition()

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd's handler hook
        from email import message_from_bytes, policy

        message = message_from_bytes(envelope.content, policy=policy.default)
        with self._arrived:
            self.messages.append(message)
            self._arrived.notify_all()
        return "250 Message accepted for delivery"

    def wait_for(self, to: str, subject: str, timeout: float = 20.0) -> Message:
        """The newest message to ``to`` whose subject contains ``subject``, waiting for it to arrive."""
        deadline = time.monotonic() + timeout
        with self._arrived:
            while True:
                for message in reversed(self.messages):
                    if message["To"] == to and subject in message["Subject"]:
                        return message
                left = deadline - time.monotonic()
                if left <= 0:
                    seen = [(m["To"], m["Subject"]) for m in self.messages]
                    raise AssertionError(f"no mail to {to} about {subject!r} within {timeout}s; got {seen}")
                self._arrived.wait(left)

    def link(self, to: str, subject: str, path: str) -> str:
        """The first link to ``path`` in the newest such message."""
        body = self.wait_for(to, subject).get_content()
        match = re.search(r"https?://\S*" + re.escape(path) + r"/\S+", body)
        assert match, f"no {path} link in {body!r}"
        return match.group(0)


class Coopnet:
    """The running app: ``url``, ``mailbox``, ``instance`` and the log files in it."""

    def __init__(self, instance: Path):
        self.instance = Path(instance)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.mailbox = Mailbox()
        self.processes: dict[str, subprocess.Popen] = {}
        self._logs = []

    def env(self, **more) -> dict:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("COOPNET_", "MAIL_", "PLATFORM_"))}
        env.update(
            COOPNET_ENV="development",
            COOPNET_INSTANCE=str(self.instance),
            COOPNET_BIND=f"127.0.0.1:{self.port}",
            DATABASE_URL=self.database_url,
            REDIS_URL=self.redis_url,
            BASE_URL=self.url,
            MAIL_SERVER="127.0.0.1",
            MAIL_PORT=str(self.smtp_port),
            # A cheap password hash: the journeys log in a dozen times.
            ARGON2_TIME_COST="1",
            ARGON2_MEMORY_COST="1024",
            # Every journey signs up from 127.0.0.1; the real limit is a day's worth for one client.
            SIGNUP_ADDRESS_LIMIT="1000 per day",
            WEB_CONCURRENCY="2",
            PYTHONUNBUFFERED="1",
        )
        env.update(more)
        return env

    def start(self):
        import pgserver
        from aiosmtpd.controller import Controller

        from coopnet import embedded

        self.instance.mkdir(parents=True, exist_ok=True)
        self.smtp_port = free_port()
        self._smtp = Controller(self.mailbox, hostname="127.0.0.1", port=self.smtp_port)
        self._smtp.start()
        pgdata = self.instance / "pgdata"
        pgdata.mkdir(exist_ok=True)
        self._postgres = pgserver.get_server(pgdata, cleanup_mode="stop")
        self.database_url = embedded.normalise_database_url(self._postgres.get_uri())
        self.redis_url = embedded.redis_url(str(self.instance))
        self._run("db", sys.executable, "-m", "coopnet", "db", "upgrade", wait=True)
        gunicorn = [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "deploy" / "gunicorn.conf.py")]
        self._run("web", *gunicorn)
        self._run("worker", sys.executable, "-m", "coopnet", "worker")
        self._wait_until_serving()
        return self

    def _run(self, name, *command, wait=False):
        log = open(self.instance / f"{name}.log", "ab")  # noqa: SIM115 - closed in stop()
        self._logs.append(log)
        process = subprocess.Popen(command, env=self.env(), cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        if wait:
            if process.wait(timeout=120) != 0:
                raise RuntimeError(f"{' '.join(command[2:])} failed:\n{self.log(name)}")
            return
        self.processes[name] = process

    def log(self, name: str) -> str:
        path = self.instance / f"{name}.log"
        return path.read_text(errors="replace")[-4000:] if path.exists() else ""

    def _wait_until_serving(self, timeout=60.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for name, process in self.processes.items():
                if process.poll() is not None:
                    raise RuntimeError(f"{name} exited with {process.returncode}:\n{self.log(name)}")
            try:
                with urllib.request.urlopen(self.url + "/", timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                time.sleep(0.1)
        raise RuntimeError(f"coopnet did not answer on {self.url} in {timeout}s:\n{self.log('web')}")

    def _started_pids(self) -> set[int]:
        """Every process this run started, children included (gunicorn's workers, RQ's work-horses)."""
        pids = set()
        roots = [p.pid for p in self.processes.values()]
        postmaster = self._postgres.get_pid() if getattr(self, "_postgres", None) else None
        roots += [postmaster] if postmaster else []
        with contextlib.suppress(Exception):
            import redis

            roots.append(redis.Redis.from_url(self.redis_url).info("server")["process_id"])
        for pid in roots:
            with contextlib.suppress(psutil.Error):
                process = psutil.Process(pid)
                pids.add(pid)
                pids.update(child.pid for child in process.children(recursive=True))
        return pids

    def stop(self) -> list[str]:
        """Stop everything; returns a description of any process still running afterwards."""
        started = self._started_pids()
        # SIGTERM: gunicorn and the RQ worker finish what they are doing, then leave.
        for process in self.processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        from coopnet.embedded import stop_redis

        with contextlib.suppress(Exception):
            # SHUTDOWN NOSAVE first: the embedded Redis is 6.2, which refuses the NOW and FORCE
            # that stop_redis asks for, and then waits seconds before it signals the process.
            import redis

            redis.Redis.from_url(self.redis_url).shutdown(nosave=True)
        stop_redis(str(self.instance))
        if getattr(self, "_postgres", None) is not None:
            self._postgres.cleanup()
        if getattr(self, "_smtp", None) is not None:
            self._smtp.stop()
        for log in self._logs:
            log.close()
        return [_describe(pid) for pid in sorted(started) if _alive(pid)]


def _alive(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def _describe(pid: int) -> str:
    try:
        return f"{pid}: {' '.join(psutil.Process(pid).cmdline())[:200]}"
    except psutil.Error:
        return str(pid)


@contextlib.contextmanager
def running_coopnet(instance: Path):
    """coopnet serving at ``.url`` until the block ends; fails if a process it started outlives it."""
    app = Coopnet(instance)
    try:
        yield app.start()
    finally:
        left = app.stop()
        if left:
            raise AssertionError(f"processes left running after coopnet stopped: {left}")
