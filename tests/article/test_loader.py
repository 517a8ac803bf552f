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


def test_not_utf8_is_read_with_a_note(tmp_path: Path) -> None:
    from audio_companion.article.loader import load_article_with_notes

    p = tmp_path / "latin1.txt"
    text = "Café au lait\n\nA Heading\n\nThe crème brûlée was naïve, and the café was warm.\n"
    p.write_bytes(text.encode("cp1252"))
    loaded = load_article_with_notes(p)
    assert loaded.notes == (f"{p} is not UTF-8; read it as windows-1252",)
    assert loaded.article.title == "Café au lait"
    assert loaded.article.sections[0].blocks[0].text.startswith("The crème brûlée")


def test_utf8_has_no_notes(tmp_path: Path) -> None:
    from audio_companion.article.loader import load_article_with_notes

    p = tmp_path / "a.md"
    p.write_text("# Café\n\n## Part\n\nBody.\n", encoding="utf-8")
    assert load_article_with_notes(p).notes == ()


def test_html_file_with_declared_legacy_charset(tmp_path: Path) -> None:
    p = tmp_path / "page.htm"
    html = (
        "<html><head><meta http-equiv='Content-Type' content='text/html; charset=windows-1252'>"
        "</head><body><article><h1>Évening</h1><h2>Première</h2>"
        "<p>Une crème brûlée “pour finir” la soirée, comme toujours au café du coin.</p>"
        "</article></body></html>"
    )
    p.write_bytes(html.encode("cp1252"))
    article = load_article(p)  # declared, so no guessing: the strict call reads it too
    assert article.title == "Évening"
    assert article.sections[0].title == "Première"
    assert "“pour finir”" in article.sections[0].blocks[0].text


def test_markdown_without_headings_is_one_section(tmp_path: Path) -> None:
    p = tmp_path / "evening-walk_notes.md"
    p.write_text("A walk after dinner.\n\n- Coat: warm\n\nHome by nine.\n", encoding="utf-8")
    article = load_article(p)
    assert article.title == "Evening walk notes"
    assert [s.title for s in article.sections] == ["Evening walk notes"]
    blocks = article.sections[0].blocks
    assert [b.text for b in blocks] == ["A walk after dinner.", "warm", "Home by nine."]
    assert blocks[1].label == "Coat"


def _big_text(size: int) -> str:
    para = "Evening light falls slowly over the quiet town, and people walk home slowly. " * 4
    parts = ["Big Title\n\n"]
    n, i = 0, 0
    while n < size:
        chunk = f"Part Number {i}\n\n{para}\n\n" if i % 50 == 0 else f"{para}\n\n"
        parts.append(chunk)
        n += len(chunk)
        i += 1
    return "".join(parts)


def test_large_articles_are_read_up_to_the_limit_and_refused_over_it(tmp_path: Path) -> None:
    # Parsing is linear; scripts/bench_parse.py measures it (a test does not time).
    text = _big_text(1_900_000).replace("Part Number", "## Part Number")
    p = tmp_path / "big.md"
    p.write_text(text, encoding="utf-8")
    assert len(load_article(p).sections) > 1_900_000 // 20_000
    p.write_text(text * 2, encoding="utf-8")
    with pytest.raises(InputError, match="over the 2 MB limit"):
        load_article(p)
