"""The benchmark's mail server (benchmarks/reminder_smtp.py): aiosmtpd with DATA read in
blocks must receive exactly what aiosmtpd's own line-by-line DATA receives, over a real socket
from smtplib, including the edges of the end-of-data line and dot transparency."""

import smtplib

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP

from benchmarks.reminder_smtp import BlockDataSMTP
from tests.core.smtp import free_port


class _Keep:
    def __init__(self):
        self.received = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.received.append(envelope.original_content)
        return "250 OK"


def _server(smtp_class, handler):
    class _Controller(Controller):
        def factory(self):
            return smtp_class(self.handler, **self.SMTP_kwargs)

    controller = _Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    return controller


MESSAGES = [
    b"Subject: x\r\n\r\nHej\r\n",
    b"Subject: x\r\n\r\nEn mening.\r\nSlut.\r\n",  # lines that end in a dot
    b"Subject: x\r\n\r\n.\r\n..\r\n.a\r\nb.\r\n",  # dots at line starts: stuffed by smtplib
    b".Subject: x\r\n",  # a dot at the very start
    b"",
    b"Subject: x\r\n\r\n" + ("å" * 400 + "\r\n").encode() * 30,  # longer than a reader block
    b"Subject: x\r\n\r\nno newline at the end",
]


@pytest.mark.parametrize("smtp_class", [SMTP, BlockDataSMTP])
def test_block_data_receives_what_aiosmtpd_receives(smtp_class):
    handler = _Keep()
    controller = _server(smtp_class, handler)
    try:
        with smtplib.SMTP("127.0.0.1", controller.port) as client:
            for message in MESSAGES:
                client.sendmail("a@example.org", ["b@example.org"], message)
            # A line over RFC 5321's 1,000 octets is refused, and the connection goes on.
            with pytest.raises(smtplib.SMTPDataError) as refused:
                client.sendmail("a@example.org", ["b@example.org"], b"x" * 1200 + b"\r\n")
            assert refused.value.smtp_code == 500
            client.sendmail("a@example.org", ["b@example.org"], MESSAGES[0])
    finally:
        controller.stop()
    # smtplib ends every message with CRLF; the server gives back the text as sent.
    expected = [m if m.endswith(b"\r\n") or not m else m + b"\r\n" for m in MESSAGES]
    assert handler.received == [m if m else b"\r\n" for m in expected] + [MESSAGES[0]]
