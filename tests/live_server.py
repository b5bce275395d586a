"""pytest-django's live server (its address options), answering a connection that is kept open
without waiting for the client's acknowledgement.

Django's development server writes a response's headers and its body in separate sends. On a
connection the client keeps open (a browser, an httpx client) the body waited behind the
headers until the client acknowledged them, which a client delays by up to 40 ms (Nagle's
algorithm against delayed ACKs): every request after a connection's first took 48 ms where a
new connection took 5 (20 requests of the login page with httpx, this machine). The browser
journeys and the SCIM checker keep their connections open, so each of their requests waited so.
With TCP_NODELAY on the accepted socket each send goes at once, as gunicorn's do."""

import os
import socket

from django.core.servers.basehttp import ThreadedWSGIServer


class NoDelayWSGIServer(ThreadedWSGIServer):
    def get_request(self):
        sock, address = super().get_request()
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return sock, address


def started(request, *, static_handler=None):
    """A started live server, as pytest-django's `live_server` makes it (the --liveserver
    option or DJANGO_LIVE_TEST_SERVER_ADDRESS, else localhost), with NoDelayWSGIServer and,
    if given, another static files handler."""
    from pytest_django.live_server_helper import LiveServer

    address = (
        request.config.getvalue("liveserver")
        or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS")
        or "localhost"
    )
    server = LiveServer(address, start=False)
    server.thread.server_class = NoDelayWSGIServer
    if static_handler is not None:
        server.thread.static_handler = static_handler
    server.start()
    return server
