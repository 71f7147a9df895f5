"""One kept-alive HTTP(S) connection from a device to the hub, with a request's sending and
its answer apart: `vsla sync` prepares the next batch while the hub stores the last one.

Kept alive because a phone link pays a TLS handshake (several round trips) for every new
connection. Through the proxy the environment names (HTTPS_PROXY, HTTP_PROXY, NO_PROXY), as
urllib would go. A connection idle for longer than the hub keeps one open is not reused: the
hub may have closed it, and a push whose answer never came cannot be told apart from one
cut on the way (both end the run with "cannot be reached"; nothing is lost either way).
"""

from __future__ import annotations

import http.client
import json
import time
import urllib.parse
from typing import Any

from ledger import N_
from vsla.i18n import tr

TIMEOUT_S = 60.0
IDLE_S = 2.0  # uvicorn closes an idle kept-alive connection after 5 s


class Unreachable(Exception):
    pass


class HubLink:
    def __init__(self, url: str, token: str, timeout_s: float = TIMEOUT_S) -> None:
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise Unreachable(tr(N_("the address does not start with http:// or https://")))
        self._https = parts.scheme == "https"
        self._host, self._port = parts.hostname, parts.port
        self._prefix = parts.path.rstrip("/")
        self._proxy = _proxy_for(parts.scheme, parts.hostname)
        if self._proxy is not None and not self._https:
            # through a plain HTTP proxy, a request names the whole address
            self._prefix = f"http://{parts.netloc}{self._prefix}"
        self._headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        self._timeout_s = timeout_s
        self._conn: http.client.HTTPConnection | None = None
        self._used_at = 0.0

    def request(self, path: str, body: bytes | None = None) -> tuple[int, Any]:
        self.send(path, body)
        return self.receive()

    def send(self, path: str, body: bytes | None = None) -> None:
        """Sends a GET (no body) or a POST of `body`; `receive` reads its answer."""
        if self._conn is not None and time.monotonic() - self._used_at > IDLE_S:
            self.close()
        if self._conn is None:
            self._conn = self._connect()
        method = "GET" if body is None else "POST"
        try:
            self._conn.request(method, self._prefix + path, body, self._headers)
        except (OSError, http.client.HTTPException) as error:
            self.close()
            raise Unreachable(str(error) or type(error).__name__) from error

    def receive(self) -> tuple[int, Any]:
        """The status and JSON of the answer to the last `send` ({} when it is not JSON)."""
        assert self._conn is not None, "receive() before send()"
        try:
            answer = self._conn.getresponse()
            status, raw = answer.status, answer.read()
        except (OSError, http.client.HTTPException) as error:
            self.close()
            raise Unreachable(str(error) or type(error).__name__) from error
        self._used_at = time.monotonic()
        try:
            return status, json.loads(raw)
        except ValueError:
            if status == 200:
                self.close()
                raise Unreachable(tr(N_("its answer is not JSON"))) from None
            return status, {}

    def _connect(self) -> http.client.HTTPConnection:
        kind = http.client.HTTPSConnection if self._https else http.client.HTTPConnection
        if self._proxy is None:
            return kind(self._host, self._port, timeout=self._timeout_s)
        conn = kind(self._proxy.hostname or "", self._proxy.port, timeout=self._timeout_s)
        if self._https:  # through the proxy's CONNECT, TLS with the hub itself
            conn.set_tunnel(self._host, self._port)
        return conn

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


def _proxy_for(scheme: str, host: str) -> urllib.parse.SplitResult | None:
    """The proxy the environment names for `scheme` (HTTP_PROXY, HTTPS_PROXY, NO_PROXY), as
    urllib would use it; None for a direct connection."""
    import urllib.request

    proxy = urllib.request.getproxies().get(scheme)
    if not proxy or urllib.request.proxy_bypass(host):
        return None
    parts = urllib.parse.urlsplit(proxy if "://" in proxy else f"http://{proxy}")
    return parts if parts.hostname else None
