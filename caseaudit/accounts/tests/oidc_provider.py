"""A small OpenID Connect provider for the tests: http.server on 127.0.0.1 in a thread, with
a fresh RSA key, a discovery document, and /authorize, /token and /jwks endpoints.

Each test says what the next ID token claims (``provider.next_claims``) and, to forge one,
which key signs it (``provider.sign_with``). /authorize hands out a code for the nonce it was
sent and redirects back to caseaudit; /token exchanges the code (with our client id and
secret) for an ID token made then. Nothing leaves the machine.
"""

import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

CLIENT_ID = "caseaudit-test-client"
CLIENT_SECRET = "caseaudit-test-secret"  # noqa: S105 (a test's) # nosec B105
TENANT = "7c1a5a52-0000-4a6e-9a3b-council-tenant"
KEY_ID = "test-key-1"


def new_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


class Provider:
    def __init__(self):
        self.key = new_key()
        self.sign_with = self.key
        self.next_claims: dict = {}
        self.codes: dict[str, dict] = {}
        self.token_requests: list[dict] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.issuer = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def discovery(self) -> dict:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "jwks_uri": f"{self.issuer}/jwks",
            "response_types_supported": ["code"],
            "id_token_signing_alg_values_supported": ["RS256"],
        }

    def jwks(self) -> dict:
        public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        return {"keys": [{**public, "kid": KEY_ID, "alg": "RS256", "use": "sig"}]}

    def id_token(self, nonce: str) -> str:
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "aud": CLIENT_ID,
            "sub": "subject-1",
            "iat": now,
            "nbf": now,
            "exp": now + 300,
            "nonce": nonce,
            **self.next_claims,
        }
        claims = {key: value for key, value in claims.items() if value is not None}
        return jwt.encode(claims, self.sign_with, algorithm="RS256", headers={"kid": KEY_ID})


def _handler(provider: Provider):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # quiet
            pass

        def _json(self, body: dict, status: int = 200):
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):  # noqa: N802 (http.server's name)
            url = urlsplit(self.path)
            if url.path == "/.well-known/openid-configuration":
                return self._json(provider.discovery())
            if url.path == "/jwks":
                return self._json(provider.jwks())
            if url.path == "/authorize":
                query = {key: values[0] for key, values in parse_qs(url.query).items()}
                if query.get("client_id") != CLIENT_ID or query.get("response_type") != "code":
                    return self._json({"error": "invalid_request"}, 400)
                code = secrets.token_urlsafe(16)
                provider.codes[code] = {
                    "nonce": query.get("nonce"),
                    "redirect_uri": query["redirect_uri"],
                }
                back = urlencode({"code": code, "state": query["state"]})
                self.send_response(302)
                self.send_header("Location", f"{query['redirect_uri']}?{back}")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return None
            return self._json({"error": "not_found"}, 404)

        def do_POST(self):  # noqa: N802 (http.server's name)
            if urlsplit(self.path).path != "/token":
                return self._json({"error": "not_found"}, 404)
            length = int(self.headers.get("Content-Length", 0))
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            provider.token_requests.append(form)
            grant = provider.codes.pop(form.get("code", ""), None)
            if (
                grant is None
                or form.get("grant_type") != "authorization_code"
                or form.get("client_id") != CLIENT_ID
                or form.get("client_secret") != CLIENT_SECRET
                or form.get("redirect_uri") != grant["redirect_uri"]
            ):
                return self._json({"error": "invalid_grant"}, 400)
            return self._json(
                {
                    "access_token": secrets.token_urlsafe(16),
                    "token_type": "Bearer",
                    "expires_in": 300,
                    "id_token": provider.id_token(grant["nonce"]),
                }
            )

    return Handler
