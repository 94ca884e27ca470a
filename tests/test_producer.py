"""A producer's day (issue 16): what surprised a new user on deadline, each
through the CLI."""
from __future__ import annotations

import pytest

from tests.conftest import SAMPLE
from tests.encodings import legacy
from tests.helpers import run_cli as run


@pytest.mark.parametrize("name, given", [("tcvn3", "tcvn3"), ("tcvn3", "TCVN3"),
                                         ("tcvn3", "abc"), ("vni", "vni"), ("vni", "VNI")])
def test_every_detected_legacy_encoding_can_also_be_named(tmp_path, name, given):
    text = SAMPLE.read_text(encoding="utf-8")
    article = tmp_path / "a.txt"
    article.write_bytes(legacy(text, name))
    result = run("script", str(article), "--encoding", given)
    assert result.exit_code == 0, result.stderr
    assert f"\ntitle: {text.split(chr(10))[0]}\n" in result.stdout
    assert "Warning" not in result.stderr


def test_an_unknown_encoding_is_still_one_line(tmp_path):
    result = run("script", str(SAMPLE), "--encoding", "klingon")
    assert result.exit_code == 1 and result.stderr.strip() == \
        "Error: unknown encoding 'klingon'"
