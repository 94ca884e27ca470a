"""A tiny HTTP forward proxy on 127.0.0.1 that counts what passes through it."""
from __future__ import annotations

import http.client
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.helpers import QuietLog, start_server, stop_server


class CountingProxy:
    def __init__(self) -> None:
        self.requests: list[str] = []
        self._server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> "CountingProxy":
        proxy = self

        class Handler(QuietLog, BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                proxy.requests.append(self.path)
                target = urllib.parse.urlsplit(self.path)  # absolute URL: a proxy request
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                conn = http.client.HTTPConnection(target.hostname, target.port, timeout=30)
                headers = {k: v for k, v in self.headers.items()
                           if k.lower() not in ("proxy-connection", "connection")}
                conn.request("POST", target.path or "/", body=body, headers=headers)
                answer = conn.getresponse()
                data = answer.read()
                self.send_response(answer.status)
                for k, v in answer.getheaders():
                    if k.lower() not in ("transfer-encoding", "connection", "content-length"):
                        self.send_header(k, v)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                conn.close()

        self._server = start_server(Handler)
        return self

    def stop(self) -> None:
        stop_server(self._server)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
