from pathlib import Path

import pytest

from audio_companion.article import load_article
from audio_companion.errors import ArticleError, InputError


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        load_article(tmp_path / "nope.txt")


def test_empty_file(tmp_path: Path) -> None:
    p = tmp_path / "empty.txt"
    p.write_text("  \n\n")
    with pytest.raises(InputError, match="empty"):
        load_article(p)


def test_binary_file(tmp_path: Path) -> None:
    p = tmp_path / "image.txt"
    p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(InputError, match="binary"):
        load_article(p)


def test_not_utf8(tmp_path: Path) -> None:
    p = tmp_path / "latin1.txt"
    p.write_bytes("Caf\xe9 au lait\n\nA heading\n\nText.\n".encode("latin-1"))
    with pytest.raises(InputError, match="not UTF-8"):
        load_article(p)


def test_folder(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="folder"):
        load_article(tmp_path)


def test_no_sections(tmp_path: Path) -> None:
    p = tmp_path / "flat.txt"
    p.write_text("Only a title line\n")
    with pytest.raises(ArticleError, match="no section found"):
        load_article(p)


def test_markdown_by_suffix(tmp_path: Path) -> None:
    p = tmp_path / "a.md"
    p.write_text("# T\n\n## One\n\nBody text.\n", encoding="utf-8")
    assert [s.title for s in load_article(p).sections] == ["One"]
