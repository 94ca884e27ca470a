from __future__ import annotations

import socket
from pathlib import Path

import pytest

from tests.fake_google import FakeGoogle

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SAMPLE = ROOT / "examples" / "sample.txt"


@pytest.fixture(autouse=True)
def _no_proxies(monkeypatch):
    """Loopback requests must not be sent to a proxy the machine happens to have."""
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy",
                "all_proxy"):
        monkeypatch.delenv(var, raising=False)


def shared_file(relative: str) -> Path:
    path = SHARED / relative
    if not path.exists():
        pytest.skip(f"reference data {relative} not found: ../shared is absent")
    return path


@pytest.fixture
def shared_article() -> Path:
    return shared_file("articles/pho-thu-tuong-giu-minh.txt")


@pytest.fixture
def fake_google():
    with FakeGoogle() as fake:
        yield fake


@pytest.fixture
def closed_port_url() -> str:
    """A loopback URL where nothing listens: 'Google cannot be reached'."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/_/TranslateWebserverUi/data/batchexecute"


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory, monkeypatch):
    """Never read or write the user's clip cache: every test gets its own."""
    monkeypatch.setenv("AUDIO_EDITION_CACHE", str(tmp_path_factory.mktemp("cache")))
