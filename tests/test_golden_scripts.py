"""Golden narration scripts: articles written for the project, in each input
format, against the full script `audio-companion script` prints for them.

Regenerate after an intended change with:
    AC_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden_scripts.py
and read the diff before committing it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import GOLDEN

from audio_companion.cli import main

ARTICLES = GOLDEN / "articles"
CASES = [
    pytest.param(None, "sample_article.script.json", id="text (bundled sample)"),
    pytest.param("winding-down.md", "winding-down.script.json", id="markdown"),
]
if (ARTICLES / "evening.html").exists():
    CASES.append(pytest.param("evening.html", "evening.script.json", id="html"))


@pytest.mark.parametrize(("article", "golden"), CASES)
def test_script_matches_golden(article: str | None, golden: str) -> None:
    args = ["script", "--format", "json"] + ([str(ARTICLES / article)] if article else [])
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    path = ARTICLES / golden
    if os.environ.get("AC_UPDATE_GOLDEN"):
        path.write_text(result.output, encoding="utf-8")
    assert result.output == Path(path).read_text(encoding="utf-8")
