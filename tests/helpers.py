"""What many tests share: running the CLI, and HTTP servers on 127.0.0.1."""
from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from click.testing import CliRunner

from audio.cli import cli


def run_cli(*args: str):
    """The CLI in process, stderr apart; a Python exception is re-raised (it
    would be a traceback for the user), SystemExit is the CLI's exit code."""
    result = CliRunner(mix_stderr=False).invoke(cli, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


class QuietLog:
    """Mix into a request handler: http.server logs every request to stderr,
    which CliRunner captures with the CLI's own output."""

    def log_message(self, *args) -> None:
        pass


def start_server(handler: type[BaseHTTPRequestHandler]) -> ThreadingHTTPServer:
    """A threaded HTTP server on a free loopback port, serving in the background."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def stop_server(server: ThreadingHTTPServer | None) -> None:
    if server is not None:
        server.shutdown()
        server.server_close()
