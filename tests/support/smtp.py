"""A real SMTP server on loopback (aiosmtpd) for the tests, and how to point Django at it."""

import contextlib
import socket
import threading
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller


class Mailbox:
    """An aiosmtpd handler that keeps what it receives, and refuses what it is told to."""

    def __init__(self):
        self.raw: list[bytes] = []
        self.refuse: dict[str, str] = {}  # recipient -> the reply to RCPT TO
        self.data_reply: str | None = None  # a reply to DATA instead of accepting
        self.arrived = threading.Event()  # set when a message is accepted
        self._accepted = threading.Condition()

    @property
    def messages(self) -> list[EmailMessage]:
        return [message_from_bytes(raw, policy=policy.default) for raw in self.raw]

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        if self.data_reply:
            return self.data_reply
        with self._accepted:
            self.raw.append(envelope.original_content)
            self._accepted.notify_all()
        self.arrived.set()
        return "250 Message accepted for delivery"

    def wait_for(self, count: int, timeout: float) -> bool:
        """Blocks until `count` messages were accepted (True), or `timeout` seconds passed (False)."""
        with self._accepted:
            return self._accepted.wait_for(lambda: len(self.raw) >= count, timeout=timeout)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def use_smtp(settings, port: int) -> None:
    settings.EMAIL_BACKEND = settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_TIMEOUT = 5
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""


@contextlib.contextmanager
def smtp_server(mailbox: Mailbox) -> Iterator[int]:
    """Serves `mailbox` on a free loopback port for the duration of the block; yields the port."""
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller.port
    finally:
        controller.stop()
