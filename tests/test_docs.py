"""The README stays true: its commands exist, CI runs its test command."""
from __future__ import annotations

import re
import subprocess
import sys

from audio.cli import cli
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def readme_commands() -> list[str]:
    return re.findall(r"```sh\n(.+?)\n```", README)


def test_readme_has_the_two_setup_commands():
    install_and_build, install_and_test = readme_commands()[:2]
    assert "pip install ." in install_and_build and "build examples/" in install_and_build
    assert "'.[test]'" in install_and_test and "pytest" in install_and_test


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert readme_commands()[1] in ci


def test_every_command_and_option_is_documented():
    for name, command in cli.commands.items():
        assert f"audio-edition {name}" in README, name
        for param in command.params:
            for opt in param.opts:
                if opt.startswith("--") and opt != "--help":
                    assert f"`{opt}" in README or f"{opt} " in README, (name, opt)


def test_python_dash_m_audio_runs_the_cli():
    out = subprocess.run([sys.executable, "-m", "audio", "--help"], cwd=ROOT,
                         capture_output=True, text=True, check=True)
    assert "build" in out.stdout and "engines" in out.stdout


def test_the_bundled_sample_exists():
    assert (ROOT / "examples" / "sample.txt").read_text(encoding="utf-8").strip()


def test_the_readmes_pause_defaults_are_the_real_ones():
    from script import Pacing

    [row] = [line for line in README.splitlines() if line.startswith("| `--pause-word`")]
    cells = [c.strip() for c in row.strip("|").split("|")]
    kinds = re.findall(r"--pause-(\w+)", cells[0])
    seconds = [float(s) for s in cells[2].split(",")]
    assert kinds == ["word", "phrase", "sentence", "paragraph", "section", "title"]
    assert dict(zip(kinds, seconds)) == {k: Pacing().ms(k) / 1000 for k in kinds}
