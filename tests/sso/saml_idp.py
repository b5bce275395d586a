"""A real SAML 2.0 identity provider for the tests: pysaml2's IdP (saml2.server.Server),
signing with xmlsec1, served over HTTP on 127.0.0.1 from a thread. It publishes its metadata
at /metadata and answers an AuthnRequest at /sso (HTTP-Redirect binding) with a signed
assertion posted back (HTTP-POST binding). The test decides who signs in and with which
authentication context, standing in for the municipality's own login page."""

import datetime
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlparse

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.config import IdPConfig
from saml2.metadata import create_metadata_string
from saml2.saml import NAME_FORMAT_URI, NAMEID_FORMAT_PERSISTENT, NameID
from saml2.server import Server

XMLSEC1 = "/usr/bin/xmlsec1"


def make_key_pair(directory: Path, name: str) -> tuple[Path, Path]:
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
        .not_valid_after(now + datetime.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    key_path, cert_path = directory / f"{name}.key", directory / f"{name}.crt"
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
    )
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return key_path, cert_path


class SAMLIdentityProvider:
    def __init__(self, directory: Path, name: str, accounts: dict):
        self.key_file, self.cert_file = make_key_pair(directory, name)
        self.accounts = accounts
        self.sp_metadata: list[str] = []
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.entity_id = f"{self.base}/metadata"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()

    def config(self) -> IdPConfig:
        conf = {
            "entityid": self.entity_id,
            "service": {
                "idp": {
                    "name": "Test IdP",
                    "endpoints": {
                        "single_sign_on_service": [(f"{self.base}/sso", BINDING_HTTP_REDIRECT)]
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
            "metadata": {"inline": self.sp_metadata},
        }
        config = IdPConfig()
        config.load(conf)
        return config

    def metadata(self) -> str:
        return create_metadata_string(None, config=self.config()).decode()

    def respond(
        self,
        *,
        account: str,
        authn_context: str,
        saml_request: str | None,
        sp_entity_id: str,
        acs_url: str,
        in_response_to: str | None = None,
    ) -> str:
        """The signed SAMLResponse (base64) for an AuthnRequest; without one, a response
        naming `in_response_to` (a request this IdP never received), or unsolicited (an
        IdP-initiated login)."""
        server = Server(config=self.config())
        if saml_request is not None:
            request = server.parse_authn_request(saml_request, BINDING_HTTP_REDIRECT).message
            args = server.response_args(request)
        else:
            args = {
                "in_response_to": in_response_to,
                "destination": acs_url,
                "sp_entity_id": sp_entity_id,
                "binding": BINDING_HTTP_POST,
            }
        args.pop("binding", None)
        response = server.create_authn_response(
            self.accounts[account],
            userid=account,
            name_id=NameID(format=NAMEID_FORMAT_PERSISTENT, text=f"id-{account}"),
            authn={"class_ref": authn_context},
            sign_assertion=True,
            sign_response=False,
            # SHA-256: python3-saml rejects the SHA-1 that pysaml2 signs with by default.
            sign_alg="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
            digest_alg="http://www.w3.org/2001/04/xmlenc#sha256",
            **args,
        )
        import base64

        return base64.b64encode(str(response).encode()).decode()

    def _handler(self):
        idp = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                url = urlparse(self.path)
                if url.path == "/metadata":
                    body = idp.metadata().encode()
                    self.send_response(200)
                    self.send_header("Content-Type", "application/samlmetadata+xml")
                    self.end_headers()
                    self.wfile.write(body)
                    return
                self.send_response(404)
                self.end_headers()

        return Handler
