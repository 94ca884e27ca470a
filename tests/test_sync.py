"""`sync` against a small site on loopback: a feed and its article pages,
an article edited between two syncs, a page that fails then recovers, and
two syncs started at once. Builds use the offline voice."""
from __future__ import annotations

import email.utils
import hashlib
import json
import sqlite3
import time
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from tests.helpers import QuietLog, run_cli, start_server, stop_server

WORDS = ("người dân thành phố mưa lớn giao thông học sinh trường học bệnh viện kinh tế "
         "thị trường giá cả nông dân lúa gạo xuất khẩu du lịch biển đảo").split()


def article_html(n: int, extra: str = "") -> str:
    title = f"Bản tin số {n} về {WORDS[n % len(WORDS)]} {WORDS[(3 * n) % len(WORDS)]}"
    paragraphs = [f"{extra}Đoạn mở đầu của bản tin số {n} nói về {WORDS[(n + 1) % 30]} "
                  f"và {WORDS[(n + 2) % 30]} trong ngày hôm nay.",
                  f"Đoạn thứ hai kể thêm về {WORDS[(n + 5) % 30]} ở khu vực trung tâm.",
                  "Đoạn cuối cùng tổng kết những điều đáng chú ý của buổi sáng."]
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f"<html><head><meta charset='utf-8'><title>{title}</title></head><body><article>"
            f"<h1>{title}</h1>{body}</article></body></html>")


class Site:
    """Pages by path, with Last-Modified and ETag (conditional GETs get a
    304); `faults[path]` is a list of statuses to answer first."""

    def __init__(self, count: int, kind: str = "rss") -> None:
        self.pages: dict[str, tuple[bytes, float]] = {}
        self.faults: dict[str, list[int]] = {}
        self.hits: list[str] = []
        self.kind = kind
        for n in range(1, count + 1):
            self.set(f"/tin-{n}.html", article_html(n))
        self.server = None

    def set(self, path: str, html: str) -> None:
        self.pages[path] = (html.encode("utf-8"), time.time())

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def listing(self) -> bytes:
        paths = sorted((p for p in self.pages if p.startswith("/tin-")),
                       key=lambda p: int(p[5:-5]))
        if self.kind == "atom":
            entries = "".join(
                f"<entry><title>{p}</title><link href='{self.url}{p}'/>"
                f"<updated>{time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime(self.pages[p][1]))}"
                f"</updated></entry>" for p in paths)
            return (f"<?xml version='1.0'?><feed xmlns='http://www.w3.org/2005/Atom'>"
                    f"<title>Báo</title>{entries}</feed>").encode()
        if self.kind == "sitemap":
            urls = "".join(f"<url><loc>{self.url}{p}</loc></url>" for p in paths)
            return (f"<?xml version='1.0'?><urlset xmlns='http://www.sitemaps.org/schemas/"
                    f"sitemap/0.9'>{urls}</urlset>").encode()
        items = "".join(f"<item><title>{p}</title><link>{self.url}{p}</link>"
                        f"<pubDate>Mon, 30 Nov 2026 07:00:00 +0700</pubDate></item>"
                        for p in paths)
        return (f"<?xml version='1.0'?><rss version='2.0'><channel><title>Báo</title>{items}"
                f"</channel></rss>").encode()

    def start(self) -> "Site":
        site = self

        class Handler(QuietLog, BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                site.hits.append(self.path)
                if self.path == "/feed.xml":
                    return self.answer(200, site.listing(), "application/rss+xml")
                faults = site.faults.get(self.path)
                if faults:
                    status = faults.pop(0)
                    self.send_response(status)
                    self.send_header("Retry-After", "30")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if self.path not in site.pages:
                    return self.answer(404, b"", "text/html")
                data, changed = site.pages[self.path]
                etag = '"' + hashlib.sha1(data).hexdigest() + '"'
                if self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.end_headers()
                    return
                self.answer(200, data, "text/html; charset=utf-8",
                            {"ETag": etag,
                             "Last-Modified": email.utils.formatdate(changed, usegmt=True)})

            def answer(self, status, data, kind, headers=None):
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(data)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)

        self.server = start_server(Handler)
        return self

    def stop(self) -> None:
        stop_server(self.server)


@pytest.fixture
def site():
    s = Site(4).start()
    yield s
    s.stop()


def sync(site: Site, out: Path, *extra: str):
    return run_cli("sync", f"{site.url}/feed.xml", "-o", str(out), "--engine", "espeak",
                   "--cache", str(out.parent / "cache"), "--workers", "2", *extra)


def files(out: Path) -> dict[str, int]:
    """Every file in OUT (the state directory's lock and database aside) and
    when it was last written."""
    return {str(p.relative_to(out)): p.stat().st_mtime_ns for p in out.rglob("*")
            if p.is_file() and ".audio-edition" not in p.parts}


def test_sync_builds_then_leaves_unchanged_articles_alone(site, tmp_path):
    out = tmp_path / "out"
    report = tmp_path / "report.json"
    first = sync(site, out, "--base-url", "https://bao.example/audio", "--report", str(report))
    assert first.exit_code == 0, first.stderr
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["counts"] == {"built": 4}
    assert all(a["voice"] == "espeak" and a["version"] == 1 for a in data["articles"])
    assert len(list(out.glob("*.mp3"))) == 4 and (out / "feed.xml").is_file()
    assert "base_url" in (out / "podcast.toml").read_text(encoding="utf-8")

    before, hits = files(out), len(site.hits)
    start = time.monotonic()
    second = sync(site, out, "--report", str(report))
    took = time.monotonic() - start
    assert second.exit_code == 0
    assert json.loads(report.read_text(encoding="utf-8"))["counts"] == {"unchanged": 4}
    assert files(out) == before  # nothing written, the feed included
    assert len(site.hits) - hits == 5  # the feed, and one conditional GET a page (304s)
    assert took < 3


def test_an_edited_article_is_rebuilt_as_a_new_version_of_the_same_episode(site, tmp_path):
    out = tmp_path / "out"
    assert sync(site, out, "--base-url", "https://bao.example/audio").exit_code == 0
    [sidecar] = [p for p in out.glob("*.json") if "so-2" in p.name]
    guid = json.loads(sidecar.read_text(encoding="utf-8"))["guid"]
    site.set("/tin-2.html", article_html(2, extra="Cập nhật: lực lượng cứu hộ đã đến. "))
    report = tmp_path / "r.json"
    result = sync(site, out, "--report", str(report))
    assert result.exit_code == 0, result.stderr
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["counts"] == {"unchanged": 3, "updated": 1}
    [updated] = [a for a in data["articles"] if a["status"] == "updated"]
    assert updated["version"] == 2 and updated["audio"] == sidecar.with_suffix(".mp3").name
    assert 1 <= updated["synthesized"] <= 3  # the note and the changed lead, not the rest
    edition = json.loads(sidecar.read_text(encoding="utf-8"))
    assert edition["guid"] == guid
    spoken = [s["spoken"] for s in edition["segments"]]
    assert spoken[1].startswith("Bài viết được cập nhật lúc ")
    assert edition["segments"][1]["section"] == "title"
    db = sqlite3.connect(out / ".audio-edition" / "state.sqlite")
    assert db.execute("SELECT count(*) FROM versions WHERE url LIKE '%tin-2.html'").fetchone() \
        == (2,)
    feed = (out / "feed.xml").read_text(encoding="utf-8")
    assert feed.count("<item>") == 4
    assert feed.count(f'<guid isPermaLink="false">{guid}</guid>') == 1


def test_a_page_that_fails_is_tried_again_later_and_the_others_go_on(site, tmp_path):
    out = tmp_path / "out"
    site.faults["/tin-3.html"] = [503]
    report = tmp_path / "r.json"
    first = sync(site, out, "--report", str(report))
    assert first.exit_code == 1
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["counts"] == {"built": 3, "failed": 1}
    [failed] = [a for a in data["articles"] if a["status"] == "failed"]
    assert "HTTP 503" in failed["error"] and failed["retry_at"]
    retry_at = time.mktime(time.strptime(failed["retry_at"][:19], "%Y-%m-%dT%H:%M:%S")) \
        - time.timezone
    assert 20 < retry_at - time.time() <= 30  # the site's Retry-After: 30
    waiting = sync(site, out, "--report", str(report))
    assert waiting.exit_code == 0
    assert json.loads(report.read_text(encoding="utf-8"))["counts"] == {
        "unchanged": 3, "waiting": 1}
    db = sqlite3.connect(out / ".audio-edition" / "state.sqlite")  # 30 s later:
    with db:
        db.execute("UPDATE articles SET retry_at = retry_at - 31")
    db.close()
    again = sync(site, out, "--report", str(report))
    assert again.exit_code == 0, again.stderr
    assert json.loads(report.read_text(encoding="utf-8"))["counts"] == {
        "unchanged": 3, "built": 1}


def test_two_syncs_at_once_one_runs_and_the_other_says_so_at_once(site, tmp_path):
    from filelock import FileLock

    out = tmp_path / "out"
    (out / ".audio-edition").mkdir(parents=True)
    with FileLock(str(out / ".audio-edition" / "sync.lock")):  # a sync under way
        start = time.monotonic()
        result = sync(site, out)
        assert time.monotonic() - start < 2
    assert result.exit_code == 75
    [line] = result.stderr.splitlines()
    assert line.startswith("Error: another sync is running in")
    assert not list(out.glob("*.mp3"))
    # two commands at once, as cron and a producer would start them: two
    # processes (click's CliRunner swaps sys.stdout, so two in threads of one
    # process close each other's output)
    import subprocess
    import sys

    cmd = [sys.executable, "-m", "audio", "sync", f"{site.url}/feed.xml", "-o", str(out),
           "--engine", "espeak", "--cache", str(out.parent / "cache"), "--workers", "2"]
    procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
             for _ in range(2)]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert sorted(p.returncode for p in procs) in ([0, 0], [0, 75]), outputs
    assert len(list(out.glob("*.mp3"))) == 4


@pytest.mark.parametrize("kind", ["atom", "sitemap"])
def test_atom_feeds_and_sitemaps_are_followed_too(tmp_path, kind):
    s = Site(2, kind).start()
    try:
        out = tmp_path / "out"
        assert sync(s, out).exit_code == 0
        assert len(list(out.glob("*.mp3"))) == 2
        hits = len(s.hits)
        assert sync(s, out).exit_code == 0
        # Atom's <updated> is when each article changed: no page is fetched again
        assert len(s.hits) - hits == (1 if kind == "atom" else 3)
    finally:
        s.stop()


def test_limit_since_and_dry_run(site, tmp_path):
    out = tmp_path / "out"
    dry = sync(site, out, "--dry-run", "--limit", "2")
    assert dry.exit_code == 0
    assert dry.stdout.strip().startswith("2 would-build")
    assert not list(out.glob("*.mp3"))
    later = sync(site, out, "--since", "2026-12-01")  # the feed dates them 30 November
    assert later.exit_code == 0 and later.stdout.strip() == "nothing listed"
    assert not list(out.glob("*.mp3"))
    assert sync(site, out, "--since", "2026-11-30", "--limit", "1").exit_code == 0
    assert len(list(out.glob("*.mp3"))) == 1


def test_a_listing_that_is_not_one_is_a_one_line_error(tmp_path):
    page = tmp_path / "not-a-feed.xml"
    page.write_text("<html><body>hello</body></html>", encoding="utf-8")
    result = run_cli("sync", str(page), "-o", str(tmp_path / "out"), "--engine", "espeak")
    assert result.exit_code == 1
    [line] = result.stderr.splitlines()
    assert line.startswith("Error: cannot read") and "neither RSS, Atom nor a sitemap" in line


def test_the_daily_briefing_reuses_the_days_clips_and_is_a_bonus_episode(site, tmp_path):
    """All four articles built today: the briefing asks the voice for nothing
    (sync made its opening and closing lines ahead), a chapter per article."""
    import feedparser

    from tests.fake_google import FakeGoogle

    out = tmp_path / "out"
    with FakeGoogle() as fake:
        voice = ["--engine", "gtts", "--gtts-url", fake.url, "--cache", str(tmp_path / "c")]
        result = run_cli("sync", f"{site.url}/feed.xml", "-o", str(out), *voice,
                         "--base-url", "https://bao.example/audio")
        assert result.exit_code == 0, result.stderr
        before = len(fake.served)
        made = run_cli("briefing", str(out), *voice, "--top", "3")
        assert made.exit_code == 0, made.stderr
        assert len(fake.served) == before  # 0 new voice requests
    assert "0 synthesized" in made.stdout
    sidecars = [json.loads(p.read_text(encoding="utf-8")) for p in out.glob("*.json")]
    [data] = [d for d in sidecars if d["kind"] == "briefing"]
    titles = [c["title"] for c in data["chapters"]]
    assert titles[0] == "Mở đầu" and titles[-1].startswith("Bản tin số") and len(titles) == 4
    assert data["segments"][0]["spoken"].startswith("Bản tin ngày ")
    assert data["segments"][-1]["spoken"] == "Cảm ơn quý vị đã lắng nghe bản tin."
    feed = feedparser.parse((out / "feed.xml").read_bytes())
    kinds = sorted(e.get("itunes_episodetype", "") for e in feed.entries)
    assert kinds == ["bonus", "full", "full", "full", "full"]


def test_review_findings_sync_stays_up_and_honest(site, tmp_path):
    """A huge Retry-After, a redirect to a broken URL and a feed date out of
    range are per-article failures, not an internal error that stops every
    later sync; bad channel settings are not kept; a lost file is built
    again without an 'updated' note; the report is written when a sync fails."""
    out = tmp_path / "out"
    report = tmp_path / "r.json"
    site.faults["/tin-1.html"] = [503]
    first = sync(site, out, "--report", str(report))
    assert first.exit_code == 1
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["counts"] == {"built": 3, "failed": 1}
    db = sqlite3.connect(out / ".audio-edition" / "state.sqlite")
    with db:  # as a Retry-After of 1e300 s left it (it broke every later sync)
        db.execute("UPDATE articles SET retry_at = 1e300 WHERE url LIKE '%tin-1.html'")
    db.close()
    again = sync(site, out, "--report", str(report))
    assert again.exit_code == 0, again.stderr
    assert json.loads(report.read_text(encoding="utf-8"))["counts"] == {
        "waiting": 1, "unchanged": 3}

    bad = sync(site, out, "--category", "Newz")
    assert bad.exit_code == 2
    assert not (out / "podcast.toml").exists()  # a refused setting is not kept
    assert sync(site, out).exit_code == 0  # the next cron run is not broken by it

    [lost] = [p for p in out.glob("*.mp3") if "so-2" in p.name]
    lost.unlink()
    rebuilt = sync(site, out, "--report", str(report))
    assert rebuilt.exit_code == 0
    [row] = [a for a in json.loads(report.read_text(encoding="utf-8"))["articles"]
             if a["url"].endswith("tin-2.html")]
    assert row["status"] == "built" and row["version"] == 1
    spoken = [s["spoken"] for s in json.loads(lost.with_suffix(".json").read_text(
        encoding="utf-8"))["segments"]]
    assert not any("cập nhật" in s for s in spoken)

    site.pages.clear()  # the listing itself is gone: the sync fails, and says so in its report
    failed = run_cli("sync", f"{site.url}/missing.xml", "-o", str(out), "--engine", "espeak",
                     "--report", str(report))
    assert failed.exit_code == 1
    assert "HTTP 404" in json.loads(report.read_text(encoding="utf-8"))["error"]


def test_a_public_feeds_entry_at_a_private_address_is_refused(tmp_path, monkeypatch):
    """Entries are a third party's URLs: a feed served from a public address
    (here through a loopback proxy) may not send sync to a private one."""
    from tests.test_bounds import PUBLIC

    feed = ("<?xml version='1.0'?><rss version='2.0'><channel><title>x</title>"
            "<item><link>http://127.0.0.1:9/admin</link></item></channel></rss>").encode()

    class Proxy(QuietLog, BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("Content-Length", str(len(feed)))
            self.end_headers()
            self.wfile.write(feed)

    server = start_server(Proxy)
    try:
        for name in ("HTTP_PROXY", "http_proxy"):
            monkeypatch.setenv(name, f"http://127.0.0.1:{server.server_address[1]}")
        for name in ("NO_PROXY", "no_proxy"):
            monkeypatch.delenv(name, raising=False)
        report = tmp_path / "r.json"
        result = run_cli("sync", f"{PUBLIC}/feed.xml", "-o", str(tmp_path / "out"),
                         "--engine", "espeak", "--report", str(report))
    finally:
        stop_server(server)
    assert result.exit_code == 1
    [row] = json.loads(report.read_text(encoding="utf-8"))["articles"]
    assert row["status"] == "failed" and "private address" in row["error"]
