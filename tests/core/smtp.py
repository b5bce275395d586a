"""A real SMTP server on a local socket, for tests of a mail server that is away for a while.

Before `start()` nothing listens on its port, so a connection is refused exactly as when the
mail server is down; after it, the server speaks enough SMTP for smtplib and keeps every
message it accepts."""

import contextlib
import email
import socket
import socketserver
import threading


def free_port() -> int:
    with contextlib.closing(socket.socket()) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _Session(socketserver.StreamRequestHandler):
    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self):
        self.server.owner.connections += 1
        self.reply("220 localhost test SMTP")
        lines, in_data = [], False
        while line := self.rfile.readline():
            if in_data:
                if line.rstrip(b"\r\n") == b".":
                    self.server.messages.append(email.message_from_bytes(b"".join(lines)))
                    lines, in_data = [], False
                    self.reply("250 OK")
                else:
                    lines.append(line[1:] if line.startswith(b"..") else line)
                continue
            command = line[:4].upper()
            if command in (b"EHLO", b"HELO"):
                self.reply("250 localhost")
            elif command == b"DATA":
                in_data = True
                self.reply("354 End data with <CR><LF>.<CR><LF>")
            elif command == b"QUIT":
                self.reply("221 Bye")
                return
            else:  # MAIL, RCPT, RSET, NOOP
                self.reply("250 OK")


class _Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


class LocalSMTPServer:
    def __init__(self):
        self.port = free_port()
        self.messages: list[email.message.Message] = []
        self.connections = 0
        self._server = None

    def start(self) -> None:
        self._server = _Server(("127.0.0.1", self.port), _Session)
        self._server.messages = self.messages
        self._server.owner = self
        # Polled every 50 ms for the stop below, not every 500 (serve_forever's default): each
        # test's stop waited for the next poll, a quarter of a second on average.
        threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
