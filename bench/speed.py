"""Every speed target of the tool, as ratios measured in one run on this
machine: each command timed as the whole process a user runs (interpreter
start-up included), against its baseline, interleaved, medians.

    python bench/speed.py [--runs N] [--skip-long] [--code DIR] [--only PART]

`--code DIR` runs another checkout's code (e.g. an older commit, for before
and after figures) as `python -m audio` from DIR, with this environment.

- `--help`: audio-edition against gtts-cli (target <= 1.5x).
- offline cold build of the shared article (`--engine espeak`, empty clip
  cache): against the offline limit, espeak-ng on the whole text in process
  plus one MP3 encode with the same encoder settings (target <= 1.5x).
- unchanged rebuild: the same build again (target <= 0.2 s, nothing rewritten).
- online cold build against the loopback fake Google at 150 ms a request,
  at -j 4 and -j 8: against the latency floor, ceil(requests / jobs) x
  150 ms plus one encode (target <= 1.3x); and gtts-cli on the same text
  (target: >= 5x faster, <= 0.6x its requests).
- memory and time at length (offline, the article 10x and 100x, each copy
  numbered so no clip repeats): peak RSS of the 100x build (target < 200 MB)
  and the 100x/10x time ratio (target <= 11). `--skip-long` leaves it out.

The load average is printed before and after: figures taken on a busy
machine say so. Exit status 0 when every target is met.
"""
from __future__ import annotations

import argparse
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.fake_google import FakeGoogle  # noqa: E402

SHARED = ROOT.parent / "shared" / "articles" / "pho-thu-tuong-giu-minh.txt"
ARTICLE = SHARED if SHARED.exists() else ROOT / "examples" / "sample.txt"
LATENCY = 0.150
BIN = Path(sys.executable).parent
# The edition's own output: 64 kbps mono MP3 at 44.1 kHz, resampled once by soxr
# (audio/export.py), so the limit writes the same file format as the build.
ENCODER = ["-af", "aresample=44100:resampler=soxr:precision=24", "-c:a", "libmp3lame",
           "-b:a", "64k", "-ar", "44100", "-compression_level", "7"]

GTTS_CLI = """
import sys, gtts.tts
url = sys.argv.pop(1)
gtts.tts._translate_url = lambda tld="com", path="": url
from gtts.cli import tts_cli
tts_cli()
"""


CODE: Path | None = None  # --code DIR


def command(name: str) -> list[str]:
    """An installed console script of this environment (audio-edition: the
    code in --code DIR when given)."""
    if name == "audio-edition" and CODE is not None:
        return [sys.executable, "-m", "audio"]
    found = shutil.which(name, path=str(BIN))
    if not found:
        sys.exit(f"{name} is not installed in {BIN}: pip install -e '.[test]'")
    return [found]


def run(cmd: list[str], **kwargs) -> tuple[float, int]:
    """Wall seconds and peak RSS (KB) of one whole process."""
    if CODE is not None and cmd[:3] == [sys.executable, "-m", "audio"]:
        kwargs = {**kwargs, "cwd": CODE, "env": {**os.environ, "PYTHONPATH": str(CODE)}}
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, **{"cwd": ROOT, **kwargs}, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    err = proc.stderr.read().decode("utf-8", "replace")
    proc.stderr.close()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{err}")
    return wall, usage.ru_maxrss


def interleaved(runs: int, *cmds) -> list[list[float]]:
    """Each callable (returning seconds) run `runs` times, in turn."""
    times: list[list[float]] = [[] for _ in cmds]
    for _ in range(runs):
        for i, fn in enumerate(cmds):
            times[i].append(fn())
    return times


def median(values: list[float]) -> float:
    return statistics.median(values)


class Report:
    def __init__(self) -> None:
        self.rows: list[tuple[str, str, str, bool]] = []

    def add(self, what: str, measured: str, target: str, ok: bool) -> None:
        self.rows.append((what, measured, target, ok))
        print(f"  {what}: {measured} (target {target}) {'ok' if ok else 'MISSED'}", flush=True)

    def summary(self) -> bool:
        print("\nsummary")
        width = max(len(r[0]) for r in self.rows)
        for what, measured, target, ok in self.rows:
            print(f"  {what:{width}}  {measured:>22}  target {target:<14} {'ok' if ok else 'MISSED'}")
        return all(r[3] for r in self.rows)


def bench_help(report: Report, runs: int) -> None:
    print("--help, whole process", flush=True)
    ours, theirs = interleaved(runs, lambda: run(command("audio-edition") + ["--help"])[0],
                               lambda: run(command("gtts-cli") + ["--help"])[0])
    ratio = median(ours) / median(theirs)
    print(f"  audio-edition {median(ours):.3f} s, gtts-cli {median(theirs):.3f} s")
    report.add("--help vs gtts-cli --help", f"{ratio:.2f}x", "<= 1.5x", ratio <= 1.5)


def encode(pcm: bytes, rate: int, out: Path) -> None:
    """One encode of mono 16-bit PCM with the edition's encoder settings,
    from memory, through a pipe as wide as the edition's (audio/pipes.py)."""
    from audio import ffmpeg
    from audio.pipes import widen

    proc = subprocess.Popen([ffmpeg.ffmpeg_exe(), "-v", "error", "-y", "-f", "s16le", "-ar",
                             str(rate), "-ac", "1", "-i", "pipe:0", *ENCODER, str(out)],
                            stdin=subprocess.PIPE)
    widen(proc.stdin)
    proc.communicate(pcm)
    if proc.returncode:
        raise RuntimeError("ffmpeg failed to encode")


def offline_limit(text: str, tmp: Path) -> float:
    """espeak-ng on the whole text in process, then one encode (as the
    edition's encoder does it)."""
    from audio.engines import EspeakEngine

    engine = EspeakEngine()
    start = time.perf_counter()
    encode(engine.synthesize(text).pcm, engine.sample_rate, tmp / "limit.mp3")
    return time.perf_counter() - start


def build_cmd(article: Path, out: Path, cache: Path, *extra: str) -> list[str]:
    return command("audio-edition") + ["build", str(article), "-o", str(out),
                                       "--cache", str(cache), "-q", *extra]


def bench_offline(report: Report, runs: int, tmp: Path) -> None:
    print("offline cold build (--engine espeak, empty cache), whole process", flush=True)
    text = ARTICLE.read_text(encoding="utf-8")
    offline_limit(text, tmp)  # the library loaded and warm: the limit has no start-up
    n = iter(range(10_000))

    def ours() -> float:
        i = next(n)
        return run(build_cmd(ARTICLE, tmp / f"off{i}", tmp / f"offcache{i}",
                             "--engine", "espeak"))[0]

    limit, cold = interleaved(runs, lambda: offline_limit(text, tmp), ours)
    ratio = median(cold) / median(limit)
    print(f"  limit {median(limit):.3f} s, audio-edition {median(cold):.3f} s "
          f"(runs: {', '.join(f'{t:.2f}' for t in cold)})")
    report.add("offline cold build vs limit", f"{ratio:.2f}x", "<= 1.5x", ratio <= 1.5)

    # the same build again: up to date, nothing rewritten
    out, cache = tmp / "off0", tmp / "offcache0"
    before = {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in out.iterdir()}
    again = [run(build_cmd(ARTICLE, out, cache, "--engine", "espeak"))[0] for _ in range(runs)]
    after = {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in out.iterdir()}
    print(f"  unchanged rebuild: runs {', '.join(f'{t:.3f}' for t in again)}; "
          f"files rewritten: {sum(before[p] != after.get(p) for p in before)}")
    report.add("unchanged rebuild", f"{median(again):.3f} s", "<= 0.2 s",
               median(again) <= 0.2 and before == after)


def encode_seconds(mp3: Path, tmp: Path) -> float:
    """One encode of the edition's audio with the same encoder settings."""
    import miniaudio

    decoded = miniaudio.decode(mp3.read_bytes(), output_format=miniaudio.SampleFormat.SIGNED16,
                               nchannels=1, sample_rate=24000)
    pcm = decoded.samples.tobytes()
    times = []
    for _ in range(3):
        start = time.perf_counter()
        encode(pcm, 24000, tmp / "enc.mp3")
        times.append(time.perf_counter() - start)
    return median(times)


def bench_online(report: Report, runs: int, tmp: Path) -> None:
    print(f"online cold build, fake Google at {LATENCY * 1000:.0f} ms a request, whole process",
          flush=True)
    with FakeGoogle(latency=LATENCY) as fake:
        n = iter(range(10_000))
        results: dict[str, list[tuple[float, int]]] = {}

        def ours(jobs: int):
            def go() -> float:
                i = next(n)
                fake.served.clear()
                wall = run(build_cmd(ARTICLE, tmp / f"on{i}", tmp / f"oncache{i}",
                                     "--engine", "gtts", "--gtts-url", fake.url,
                                     "--jobs", str(jobs)))[0]
                results.setdefault(f"j{jobs}", []).append((wall, len(fake.served)))
                return wall
            return go

        def gtts_cli() -> float:
            fake.served.clear()
            wall = run([sys.executable, "-c", GTTS_CLI, fake.url, "--file", str(ARTICLE),
                        "--lang", "vi", "--output", str(tmp / "cli.mp3")])[0]
            results.setdefault("cli", []).append((wall, len(fake.served)))
            return wall

        ours(4)()  # the fake makes each clip once, for everyone: untimed
        results.clear()
        interleaved(max(1, runs // 2), gtts_cli, ours(4), ours(8))
        interleaved(runs - max(1, runs // 2), ours(4), ours(8))
        encode = encode_seconds(next((tmp / "on1").glob("*.mp3")), tmp)

    cli_wall = median([w for w, _ in results["cli"]])
    cli_requests = results["cli"][0][1]
    print(f"  gtts-cli {cli_wall:.2f} s, {cli_requests} requests; one encode {encode:.3f} s")
    for jobs in (4, 8):
        rows = results[f"j{jobs}"]
        wall, requests = median([w for w, _ in rows]), rows[0][1]
        floor = math.ceil(requests / jobs) * LATENCY + encode
        print(f"  -j {jobs}: {wall:.3f} s, {requests} requests, floor {floor:.3f} s "
              f"(runs: {', '.join(f'{w:.2f}' for w, _ in rows)})")
        report.add(f"online -j {jobs} vs latency floor", f"{wall / floor:.2f}x", "<= 1.3x",
                   wall / floor <= 1.3)
        if jobs == 4:
            speedup = cli_wall / wall
            report.add("online -j 4 speed-up vs gtts-cli", f"{speedup:.1f}x", ">= 5x",
                       speedup >= 5)
            report.add("online requests vs gtts-cli", f"{requests / cli_requests:.2f}x",
                       "<= 0.6x", requests / cli_requests <= 0.6)


def repeated(text: str, times: int) -> str:
    """The article's body `times` over. Each copy's paragraphs carry the copy's
    number, so no clip repeats: the cache would otherwise make each copy after
    the first nearly free, and the build would not be `times` times the work."""
    title, _, rest = text.partition("\n")
    copies = []
    for n in range(1, times + 1):
        copies.append("\n\n".join(f"{p.strip()} Phần {n}." if p.strip() else p
                                  for p in rest.split("\n\n")))
    return title + "\n" + "\n\n".join(copies)


def bench_length(report: Report, tmp: Path) -> None:
    print("offline builds at length (one run each)", flush=True)
    text = ARTICLE.read_text(encoding="utf-8")
    rows = {}
    for n in (10, 100):
        article = tmp / f"x{n}.txt"
        article.write_text(repeated(text, n), encoding="utf-8")
        wall, rss = run(build_cmd(article, tmp / f"len{n}", tmp / f"lencache{n}",
                                  "--engine", "espeak"))
        rows[n] = (wall, rss)
        print(f"  {n:>3}x: {wall:7.2f} s, peak RSS {rss / 1024:6.1f} MB")
    ratio = rows[100][0] / rows[10][0]
    report.add("100x article peak RSS", f"{rows[100][1] / 1024:.0f} MB", "< 200 MB",
               rows[100][1] < 200 * 1024)
    report.add("100x / 10x build time", f"{ratio:.2f}", "<= 11", ratio <= 11)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="runs of each timing (default 5)")
    parser.add_argument("--skip-long", action="store_true",
                        help="leave out the 10x/100x builds (several minutes)")
    parser.add_argument("--code", type=Path, default=None, metavar="DIR",
                        help="time the code of another checkout (python -m audio from DIR)")
    parser.add_argument("--only", choices=("help", "offline", "online", "long"), default=None,
                        help="run one part of the bench")
    args = parser.parse_args()
    global CODE
    CODE = args.code.resolve() if args.code else None
    if CODE:
        print(f"code: {CODE}")
    print(f"article: {ARTICLE.name}; {os.cpu_count()} CPUs; "
          f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    report = Report()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        def part(name: str) -> bool:
            return args.only in (None, name)

        if part("help"):
            bench_help(report, max(args.runs, 7))
        if part("offline"):
            bench_offline(report, args.runs, tmp)
        if part("online"):
            bench_online(report, args.runs, tmp)
        if part("long") and not args.skip_long:
            bench_length(report, tmp)
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0 if report.summary() else 1


if __name__ == "__main__":
    sys.exit(main())
