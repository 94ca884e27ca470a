"""Every option value is validated at the edge: a value the build can use
is taken; anything else (NaN, infinities, out of range, not a number) is a
usage error that names the option, in one line, exit 2. Never an internal
error, never a build with a value it cannot use."""
from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import SAMPLE
from .helpers import run_cli

# option -> (lowest, highest, whether the lowest itself is refused)
RANGES = {
    "--speed": (0.75, 1.5, False),
    "--loudness": (-40.0, -5.0, False),
    "--true-peak": (-12.0, 0.0, False),
    "--timeout": (0.0, 300.0, True),
    "--retry-delay": (0.0, 60.0, False),
    **{f"--pause-{kind}": (0.0, 10.0, False)
       for kind in ("word", "phrase", "sentence", "paragraph", "section", "title")},
}


def usable(option: str, text: str) -> bool:
    """The spec, independent of the code: a finite number in the range."""
    try:
        number = float(text)
    except ValueError:
        return False
    low, high, open_low = RANGES[option]
    return math.isfinite(number) and (low < number if open_low else low <= number) \
        and number <= high


def dry_run(*args: str):
    return run_cli("build", str(SAMPLE), "--engine", "espeak", "--dry-run", "--no-cache", *args)


def assert_refused_naming(result, option: str) -> None:
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"Error: Invalid value for '{option}'"), lines


values = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.floats(min_value=-100, max_value=400).map(lambda f: f"{f:g}"),
    st.sampled_from(["nan", "NaN", "-nan", "inf", "-inf", "Infinity", "1e309", "-0", "0",
                     "0.0", "1e-320", "", " ", "abc", "1,5", "0x10", "1_0", "７"]),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sorted(RANGES)), values)
def test_every_number_option_takes_exactly_the_usable_values(option, text):
    result = dry_run(option, text)
    if usable(option, text):
        assert result.exit_code == 0, (option, text, result.stderr)
        assert "segments" in result.stdout
    else:
        assert_refused_naming(result, option)


@pytest.mark.parametrize("url", ["ftp://example.com/x", "javascript:alert(1)", "file:///etc/passwd",
                                 "http://", "example.com/batchexecute", "http://exa mple.com/",
                                 "http://example.com/\x00", ""])
def test_a_voice_url_that_is_not_http_is_refused_naming_the_option(url):
    assert_refused_naming(dry_run("--gtts-url", url), "--gtts-url")


def test_the_feed_base_url_is_an_http_url(tmp_path):
    result = run_cli("feed", str(tmp_path), "--base-url", "javascript:alert(1)")
    assert_refused_naming(result, "--base-url")
    taken = run_cli("feed", str(tmp_path), "--base-url", "https://example.com/audio")
    assert taken.exit_code != 2 and "Invalid value" not in taken.stderr  # (an empty directory)
