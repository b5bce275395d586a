"""The demo's SAML 2.0 identity provider ("Lunds kommuns inloggning"), for `make run` and the
single sign-on tests (tests/sso), which drive `respond` directly to forge what a browser cannot.

pysaml2's IdP (signing with xmlsec1) on 127.0.0.1, standing in for a municipality's ADFS or
Entra ID: it publishes its metadata at /metadata, answers an AuthnRequest at /sso
(HTTP-Redirect) with a page where one of the demo people signs in, and posts the signed
assertion back to our ACS; /slo answers a LogoutRequest (single logout) with a signed
LogoutResponse. It learns our service provider from our own metadata, fetched from the
AuthnRequest's issuer, which must be on --sp (the runserver address).

    python -m demo.saml_idp --port 8001 --sp http://127.0.0.1:8000

Not production code: no real passwords, every demo person signs in with one click.
"""

import argparse
import base64
import contextlib
import datetime
import html
import sys
import threading
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse
from urllib.request import urlopen

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from saml2 import BINDING_HTTP_REDIRECT
from saml2.config import IdPConfig
from saml2.metadata import create_metadata_string
from saml2.saml import NAME_FORMAT_URI, NAMEID_FORMAT_PERSISTENT, NameID
from saml2.server import Server

XMLSEC1 = "/usr/bin/xmlsec1"
PASSWORD = "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"  # noqa: S105
MFA = "https://refeds.org/profile/mfa"
# SHA-256: python3-saml rejects the SHA-1 that pysaml2 signs with by default.
SHA256 = {
    "sign_alg": "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
    "digest_alg": "http://www.w3.org/2001/04/xmlenc#sha256",
}

# The demo people of Lund's directory (seeded by `manage.py seed_sso_demo`): Siri has an
# account here already; Sam has none and is created just in time as a new hire.
DOMAIN = "lund.example"
ACCOUNTS = {
    "siri": {
        "mail": [f"siri.sjoberg@{DOMAIN}"],
        "displayName": ["Siri Sjöberg"],
        "isMemberOf": ["Socialsekreterare"],
    },
    "sam": {"mail": [f"sam.svensson@{DOMAIN}"], "displayName": ["Sam Svensson"]},
}


def key_pair(directory: Path, name: str) -> tuple[Path, Path]:
    """The IdP's signing key and certificate, made once and kept, so a login started before
    a restart still verifies."""
    key_path, cert_path = directory / f"{name}.key", directory / f"{name}.crt"
    if key_path.exists() and cert_path.exists():
        return key_path, cert_path
    directory.mkdir(parents=True, exist_ok=True)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=3650))
        .sign(key, hashes.SHA256())
    )
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
    )
    key_path.chmod(0o600)
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return key_path, cert_path


def _page(title: str, body: str) -> bytes:
    return (
        '<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title>"
        "<style>body{font-family:sans-serif;max-width:32rem;margin:3rem auto;line-height:1.5}"
        "button{font-size:1rem;padding:.5rem 1rem}</style></head>"
        f"<body><h1>{html.escape(title)}</h1>{body}</body></html>"
    ).encode()


def _post_form(url: str, fields: dict[str, str]) -> bytes:
    inputs = "".join(
        f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
        for k, v in fields.items()
    )
    return _page(
        "Skickar dig tillbaka",
        f'<form method="post" action="{html.escape(url)}">{inputs}'
        '<button type="submit">Fortsätt</button></form>'
        "<script>document.forms[0].submit()</script>",
    )


class DemoIdentityProvider:
    def __init__(self, *, host: str, port: int, sp_base: str, key_dir: Path, accounts=None):
        self.key_file, self.cert_file = key_pair(key_dir, "demo-idp")
        self.accounts = accounts or ACCOUNTS
        self.sp_base = sp_base.rstrip("/")
        self.sp_metadata: dict[str, str] = {}
        self.httpd = ThreadingHTTPServer((host, port), self._handler())
        self.base = f"http://{host}:{self.httpd.server_address[1]}"
        self.entity_id = f"{self.base}/metadata"

    def serve_in_thread(self) -> threading.Thread:
        # Polled every 50 ms for close(), not every 500 (serve_forever's default): the tests
        # start and close one for each test, and each close waited for the next poll.
        thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        thread.start()
        return thread

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()

    def config(self) -> IdPConfig:
        conf = {
            "entityid": self.entity_id,
            "service": {
                "idp": {
                    "name": "Lunds kommuns inloggning (demo)",
                    "endpoints": {
                        "single_sign_on_service": [(f"{self.base}/sso", BINDING_HTTP_REDIRECT)],
                        "single_logout_service": [(f"{self.base}/slo", BINDING_HTTP_REDIRECT)],
                    },
                    "policy": {
                        "default": {
                            "lifetime": {"minutes": 5},
                            "attribute_restrictions": None,
                            "name_form": NAME_FORMAT_URI,
                        }
                    },
                    "name_id_format": [NAMEID_FORMAT_PERSISTENT],
                }
            },
            "key_file": str(self.key_file),
            "cert_file": str(self.cert_file),
            "xmlsec_binary": XMLSEC1,
            "metadata": {"inline": list(self.sp_metadata.values())},
        }
        config = IdPConfig()
        config.load(conf)
        return config

    def metadata(self) -> str:
        return create_metadata_string(None, config=self.config()).decode()

    def learn_sp(self, saml_message: str) -> None:
        """Fetch our service provider's metadata from the message's issuer (its metadata URL),
        only from the runserver this demo belongs to."""
        xml = zlib.decompress(base64.b64decode(saml_message), -15).decode()
        start = xml.find("Issuer")
        issuer = xml[xml.find(">", start) + 1 : xml.find("<", xml.find(">", start))].strip()
        if not issuer.startswith(self.sp_base + "/"):
            raise ValueError(f"unknown service provider {issuer!r}")
        if issuer not in self.sp_metadata:
            with urlopen(issuer, timeout=10) as answer:  # noqa: S310 - our own runserver
                self.sp_metadata[issuer] = answer.read().decode()

    def respond(
        self,
        *,
        account: str,
        authn_context: str,
        saml_request: str | None,
        sp_entity_id: str = "",
        acs_url: str = "",
        in_response_to: str | None = None,
    ) -> tuple[str, str]:
        """(ACS URL, signed SAMLResponse in base64) as `account` signed in with `authn_context`:
        the answer to an AuthnRequest; without one, a response naming `in_response_to` (a
        request this IdP never received) or unsolicited (an IdP-initiated login), which the
        tests post to show our service provider refuses them."""
        server = Server(config=self.config())
        if saml_request is not None:
            request = server.parse_authn_request(saml_request, BINDING_HTTP_REDIRECT).message
            args = server.response_args(request)
        else:
            args = {
                "in_response_to": in_response_to,
                "destination": acs_url,
                "sp_entity_id": sp_entity_id,
            }
        args.pop("binding", None)
        response = server.create_authn_response(
            self.accounts[account],
            userid=account,
            name_id=NameID(format=NAMEID_FORMAT_PERSISTENT, text=f"demo-{account}"),
            authn={"class_ref": authn_context},
            sign_assertion=True,
            sign_response=False,
            **SHA256,
            **args,
        )
        return args["destination"], base64.b64encode(str(response).encode()).decode()

    def login_response(self, *, account: str, saml_request: str, mfa: bool) -> tuple[str, str]:
        """(ACS URL, signed SAMLResponse) for an AuthnRequest, as `account` signed in."""
        self.learn_sp(saml_request)
        return self.respond(
            account=account, authn_context=MFA if mfa else PASSWORD, saml_request=saml_request
        )

    def logout_response(self, *, saml_request: str, relay_state: str) -> str:
        """The URL (HTTP-Redirect) that carries a signed LogoutResponse to our SLS."""
        self.learn_sp(saml_request)
        server = Server(config=self.config())
        request = server.parse_logout_request(saml_request, BINDING_HTTP_REDIRECT).message
        response = server.create_logout_response(request, [BINDING_HTTP_REDIRECT], sign=False)
        binding, destination = server.pick_binding(
            "single_logout_service", [BINDING_HTTP_REDIRECT], "spsso", entity_id=request.issuer.text
        )
        info = server.apply_binding(
            binding,
            str(response),
            destination,
            relay_state,
            response=True,
            sign=True,
            sigalg=SHA256["sign_alg"],
        )
        return dict(info["headers"])["Location"]

    def _handler(self):
        idp = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _send(self, status: int, body: bytes, content_type="text/html; charset=utf-8"):
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                url = urlparse(self.path)
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                try:
                    if url.path == "/metadata":
                        body = idp.metadata().encode()
                        self._send(200, body, "application/samlmetadata+xml")
                    elif url.path == "/sso" and "SAMLRequest" in query:
                        self._send(200, self._login_page(query))
                    elif url.path == "/slo" and "SAMLRequest" in query:
                        location = idp.logout_response(
                            saml_request=query["SAMLRequest"],
                            relay_state=query.get("RelayState", ""),
                        )
                        self.send_response(302)
                        self.send_header("Location", location)
                        self.end_headers()
                    else:
                        self._send(404, _page("Finns inte", ""))
                except Exception as error:  # a demo: show what went wrong, keep serving
                    self._send(400, _page("Fel", f"<p>{html.escape(str(error))}</p>"))

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                if urlparse(self.path).path != "/sso" or form.get("account") not in idp.accounts:
                    self._send(400, _page("Fel", "<p>Välj en person.</p>"))
                    return
                try:
                    acs, saml_response = idp.login_response(
                        account=form["account"],
                        saml_request=form.get("SAMLRequest", ""),
                        mfa=form.get("mfa") == "on",
                    )
                except Exception as error:
                    self._send(400, _page("Fel", f"<p>{html.escape(str(error))}</p>"))
                    return
                fields = {"SAMLResponse": saml_response}
                if form.get("RelayState"):
                    fields["RelayState"] = form["RelayState"]
                self._send(200, _post_form(acs, fields))

            def _login_page(self, query: dict) -> bytes:
                people = "".join(
                    f'<p><label><input type="radio" name="account" value="{html.escape(key)}"'
                    f"{' checked' if n == 0 else ''}> {html.escape(a['displayName'][0])} "
                    f"({html.escape(a['mail'][0])})</label></p>"
                    for n, (key, a) in enumerate(idp.accounts.items())
                )
                hidden = "".join(
                    f'<input type="hidden" name="{k}" value="{html.escape(query[k])}">'
                    for k in ("SAMLRequest", "RelayState")
                    if k in query
                )
                return _page(
                    "Lunds kommuns inloggning (demo)",
                    "<p>En låtsad identitetstjänst för demon. Välj vem du är.</p>"
                    '<form method="post">'
                    f"{hidden}{people}"
                    '<p><label><input type="checkbox" name="mfa"> Jag har loggat in med '
                    "tvåstegsverifiering</label></p>"
                    '<button type="submit">Logga in</button></form>',
                )

        return Handler


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8001)
    parser.add_argument("--sp", default="http://127.0.0.1:8000", help="runserver's address")
    parser.add_argument("--keys", default=".demo-idp", help="where the signing key is kept")
    args = parser.parse_args(argv)
    try:
        idp = DemoIdentityProvider(
            host=args.host, port=args.port, sp_base=args.sp, key_dir=Path(args.keys)
        )
    except OSError as error:
        print(  # noqa: T201
            f"Demons identitetstjänst startade inte på port {args.port} ({error}). "
            "Allt utom inloggningen via kommunen fungerar ändå.",
            file=sys.stderr,
        )
        return 1
    print(f"listening {idp.base}", flush=True)  # noqa: T201
    with contextlib.suppress(KeyboardInterrupt):
        idp.httpd.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
