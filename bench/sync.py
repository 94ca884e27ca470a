"""`sync` on a 50-article site served on loopback, as whole processes:

    python bench/sync.py [--articles N]

- first sync, offline voice (espeak): seconds, and seconds per article;
- second sync, nothing changed: seconds (target < 1 s), files written (0);
- one article edited: the segments re-synthesized;
- the online voice (the loopback fake Google): requests per article, and the
  briefing of the day's articles: its new requests (target 0).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.fake_google import FakeGoogle  # noqa: E402
from tests.test_sync import Site, article_html  # noqa: E402


def cli(*args: str) -> tuple[float, subprocess.CompletedProcess]:
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "audio", *args], cwd=ROOT,
                          capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    return time.perf_counter() - start, proc


def written(out: Path) -> dict[str, int]:
    return {str(p): p.stat().st_mtime_ns for p in out.rglob("*")
            if p.is_file() and ".audio-edition" not in p.parts}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=50)
    n = parser.parse_args().articles
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    site = Site(n).start()
    ok = True
    try:
        with tempfile.TemporaryDirectory() as tmp:
            tmp = Path(tmp)
            out, report = tmp / "out", tmp / "report.json"
            offline = ["--engine", "espeak", "--cache", str(tmp / "cache"), "-q",
                       "--report", str(report)]
            first, proc = cli("sync", f"{site.url}/feed.xml", "-o", str(out), *offline,
                              "--base-url", "https://bao.example/audio")
            counts = json.loads(report.read_text())["counts"]
            print(f"first sync, offline: {first:.1f} s for {n} articles "
                  f"({first / n:.2f} s an article), {counts}")
            before = written(out)
            second, proc = cli("sync", f"{site.url}/feed.xml", "-o", str(out), *offline)
            changed = sum(before[p] != m for p, m in written(out).items()) + \
                len(set(written(out)) ^ set(before))
            print(f"second sync, nothing changed: {second:.2f} s (target < 1 s), "
                  f"files written: {changed}")
            ok &= second < 1.0 and changed == 0
            site.set("/tin-7.html", article_html(7, extra="Cập nhật: mưa đã tạnh. "))
            third, proc = cli("sync", f"{site.url}/feed.xml", "-o", str(out), *offline)
            [edited] = [a for a in json.loads(report.read_text())["articles"]
                        if a["status"] == "updated"]
            segments = len(json.loads((out / edited["audio"]).with_suffix(".json")
                                      .read_text())["segments"])
            print(f"an edited article: {edited['synthesized']} of {segments} segments "
                  f"re-synthesized ({third:.2f} s, version {edited['version']})")

            online_out = tmp / "online"
            with FakeGoogle() as fake:
                voice = ["--engine", "gtts", "--gtts-url", fake.url,
                         "--cache", str(tmp / "online-cache"), "-q"]
                took, proc = cli("sync", f"{site.url}/feed.xml", "-o", str(online_out), *voice)
                requests = len(fake.served)
                print(f"online (fake Google, no latency): {requests} requests for {n} "
                      f"articles ({requests / n:.1f} an article, {took:.1f} s)")
                took, proc = cli("briefing", str(online_out), *voice, "--top", "20")
                new = len(fake.served) - requests
                print(f"briefing of 20 articles: {new} new voice requests (target 0), "
                      f"{took:.2f} s")
                ok &= new == 0 and proc.returncode == 0
    finally:
        site.stop()
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
