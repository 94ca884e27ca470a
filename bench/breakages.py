"""One-line breakages the test suite must catch, every time.

Each is applied to a fresh copy of the project (the files git knows, with
../shared beside it when there is one), then the suite runs there with -x;
the breakage is caught when the suite fails, and the first failing test is
printed. Deterministic: the same breakage fails the same test on every run.

    python bench/breakages.py [NAME...]

Prints one line per breakage (caught or SURVIVED, by which test, seconds);
the exit status is 1 when any survived.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# name -> (file, the line as it is, the broken line)
BREAKAGES = {
    "README's pause defaults": (
        "script/model.py", "    word: int = 80", "    word: int = 90"),
    "lines under a TIN LIÊN QUAN header": (
        "script/structure.py", "                in_related = True",
        "                in_related = False"),
    "the engine's identity in the clip key": (
        "audio/cache.py", '"engine": dict(identity), "text": text}',
        '"engine": {}, "text": text}'),
    "atomic write: fsync before the rename": (
        "audio/atomic.py", "        os.fsync(f.fileno())", "        pass"),
    "atomic write: write in place": (
        "audio/atomic.py", '        with open(tmp, "wb") as f:', '        with open(path, "wb") as f:'),
    "retry backoff growth": (
        "audio/model.py", "self.base * 2 ** (attempt - 1)", "self.base * attempt"),
    "levelling gain clamp": (
        "audio/loudness.py", "MAX_GAIN_DB = 30.0", "MAX_GAIN_DB = 40.0"),
    "encoder's safety limiter": (
        "audio/export.py", "    if encoding.true_peak is not None:", "    if False:"),
    "encoder's limiter headroom": (
        "audio/export.py", "ENCODER_HEADROOM_DB = 0.7", "ENCODER_HEADROOM_DB = 0.0"),
    "web page chrome rules": (
        "script/html.py",
        "parts.append(Part(DROPPED, text, rule) if rule else Part(BODY, text))",
        "parts.append(Part(BODY, text))"),
}


def copy_project(into: Path) -> Path:
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True,
                           check=True).stdout.decode().split("\0")
    repo = into / "repo"
    for name in filter(None, files):
        source = ROOT / name
        if source.is_file():
            (repo / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, repo / name)
    shared = ROOT.parent / "shared"
    if shared.is_dir():
        (into / "shared").symlink_to(shared)
    return repo


def apply(repo: Path, path: str, old: str, new: str) -> None:
    file = repo / path
    text = file.read_text(encoding="utf-8")
    if text.count(old) != 1:
        raise SystemExit(f"{path}: expected exactly one {old!r}; update bench/breakages.py")
    file.write_text(text.replace(old, new), encoding="utf-8")


def main() -> int:
    names = sys.argv[1:] or list(BREAKAGES)
    survived = 0
    for name in names:
        path, old, new = BREAKAGES[name]
        with tempfile.TemporaryDirectory() as tmp:
            repo = copy_project(Path(tmp))
            apply(repo, path, old, new)
            start = time.perf_counter()
            proc = subprocess.run(
                [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider"],
                cwd=repo, capture_output=True, text=True,
                env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})
            elapsed = time.perf_counter() - start
        failed = re.findall(r"^(?:FAILED|ERROR) (\S+)", proc.stdout, re.MULTILINE)
        if proc.returncode == 0:
            survived += 1
            print(f"SURVIVED  {name}  ({elapsed:.0f} s)")
        else:
            print(f"caught    {name}: {failed[0] if failed else proc.stdout[-200:]}"
                  f"  ({elapsed:.0f} s)")
    print(f"{len(names) - survived}/{len(names)} caught")
    return 1 if survived else 0


if __name__ == "__main__":
    sys.exit(main())
