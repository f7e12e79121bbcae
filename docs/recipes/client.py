"""Calls an API with an AuthServer token, fetched once and reused until shortly before it expires.

Python 3 with Authlib and requests (Debian 12: apt-get install python3-authlib python3-requests). Run: python3 client.py
"""
import os
import time

from authlib.integrations.requests_client import OAuth2Session

AUTHSERVER_URL = os.environ["AUTHSERVER_URL"].rstrip("/")  # e.g. https://auth.example.com
KEY_ID = os.environ["AUTHSERVER_KEY_ID"]                    # the API key's ID: its client_id
KEY_SECRET = os.environ["AUTHSERVER_KEY_SECRET"]            # authsk_..., from a secret store
SCOPE = os.environ["AUTHSERVER_SCOPE"]                      # e.g. invoices:read
API_URL = os.environ["API_URL"]                             # the API to call
TOKEN_ENDPOINT = AUTHSERVER_URL + "/connect/token"
REFRESH_BEFORE = 60                                         # renew a minute before expiry (seconds)


class AuthServerSession(OAuth2Session):
    """A requests session that keeps one token and fetches a new one only when it expires within REFRESH_BEFORE."""

    def ensure_active_token(self, token=None):
        token = token or self.token
        if not token or token.get("expires_at", 0) - REFRESH_BEFORE <= time.time():
            self.fetch_token(TOKEN_ENDPOINT, grant_type="client_credentials")
        return True

    def request(self, method, url, withhold_token=False, auth=None, **kwargs):
        if not withhold_token and auth is None and not self.token:  # the token request itself comes with its own auth
            self.ensure_active_token()
        return super().request(method, url, withhold_token=withhold_token, auth=auth, **kwargs)


session = AuthServerSession(client_id=KEY_ID, client_secret=KEY_SECRET, scope=SCOPE, token_endpoint=TOKEN_ENDPOINT)


def call_api(url):
    response = session.get(url, timeout=10)
    if response.status_code == 401:
        session.token = None  # revoked or expired early: the next call fetches a new token
    return response


if __name__ == "__main__":
    failed = False
    for call in (1, 2):
        response = call_api(API_URL)
        print(f"call {call}: {response.status_code}")
        failed = failed or not response.ok
    raise SystemExit(1 if failed else 0)
