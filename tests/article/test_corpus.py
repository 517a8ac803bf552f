"""Real web pages narrated end to end: the main content, all of it, and nothing else.

The pages in `corpus/` are real sites' pages (news, documentation, product pages;
see `corpus/SOURCES.md`). Each is read the way `audio-companion script PAGE.html`
reads it, and three things are checked:

- no spoken line is page chrome, by a list of patterns kept here on purpose
  apart from the product's own table (`article.lines.CHROME_PATTERNS`) and
  broader than it, so a rule the product lacks shows up as a failure here;
- every paragraph, list item, quote, heading and table cell of the page's main
  text as trafilatura extracts it (`article.html.extract_xml`) is in the script,
  except the lines `corpus/dropped.json` names with the reason they go, and
  each of those is really gone (the fixture cannot go stale);
- the spoken text matches `tests/golden/corpus/<page>.txt`, the review of what a
  listener hears. Regenerate after an intended change with
      AC_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/article/test_corpus.py
  and read the diff before committing it.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import json
import os
import re
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from lxml import etree

from audio_companion.article.fetch import decode_bytes
from audio_companion.article.html import extract_xml
from audio_companion.cli import main

CORPUS = Path(__file__).resolve().parent / "corpus"
GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "corpus"
PAGES = sorted(p.name.removesuffix(".html.gz") for p in CORPUS.glob("*.html.gz"))
DROPPED: dict[str, list[dict[str, str]]] = json.loads((CORPUS / "dropped.json").read_text("utf-8"))

# What a listener must never hear: the furniture of a web page. Matched against
# both forms of every line (what is said, and what is shown), case aside.
CHROME = [
    r"\s\|\s",  # menus and "Title | Site" joined by bars
    r"\ball rights reserved\b|©|\bcopyright \d{4}\b",
    r"(?:^|\s)follow @\w|(?:^|\s)@[A-Za-z_]\w{2,}\b|^follow\b.{0,60}\bon (?:facebook|twitter|x)\b",
    r"\bsign up (?:for|to)\b|\bnewsletters?\b|\bsubscribe (?:to|for|now)\b|^subscribe\b",
    r"^loading\b|\bloading\s*(?:\.\.\.|…)",
    r"\b(?:updated|posted|published)\b.{0,40}\b(?:gmt|utc|hkt|edt|est|et)\b",
    r"\b\d{3,4} (?:gmt|utc|hkt)\b|^(?:updated|posted|published|last modified):?\s",
    r"\bclick(?:ing)? (?:here|through)\b",
    r"\bshare (?:your|this)\b(?: (?:videos?|photos?|pictures?|stories|story|thoughts|article))?",
    r"^related(?: stories| articles| content| posts)?:|^more from\b",
    r"^most (?:popular|read|viewed)\b",
    r"\bread more\b|\bmore must-reads?\b|\bcontinue reading\b|\blearn more\b",
    r"^advertisement\b|\badvertisement$|^sponsored\b|\baffiliate links?\b",
    r"^by (?-i:[A-Z][\w'’.-]+(?: [A-Z][\w'’.-]+){1,3})(?:,.*)?$",  # bylines
    r"\bcontributed to this (?:report|story)\b|^write to\b|^contact (?:the )?(?:author|us)\b",
    r"^(?:ap |afp |reuters |getty )?(?:photo|image|photograph)s?(?: credit)?\s*[:/]",
    r"\b(?:ap|afp|reuters|getty) (?:photo|images)\b|^(?:cnn|ap|afp|reuters)\.?$",
    r"\bskip to (?:main )?content\b|\bcookies?\b.{0,40}\b(?:accept|consent|policy|settings)\b",
    r"^see more (?:photos|pictures|images|videos)\b|\bcomplete coverage\b",
    r"\bprivacy policy\b|\bterms (?:of use|of service|under which)\b",
    r"^(?:table of )?contents:?$|^footnotes$|(?:\.\.\.|…)\s*more$",
    r"^can you guess\b|\btake (?:our|the|this) quiz\b",
]
_CHROME = [re.compile(p, re.IGNORECASE) for p in CHROME]
# Block-level children: an element's own text stops where one of these starts (and a
# code element that spans lines: one on a single line is inline, "the <code>x</code> flag").
_BLOCKS = frozenset({"p", "head", "list", "item", "quote", "table", "row", "cell"})
_TEXT_TAGS = frozenset({"p", "head", "item", "quote", "cell"})


@pytest.fixture(scope="module")
def script(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], list[dict[str, Any]]]:
    """Every line of a page's script, all episodes, as `audio-companion script` prints them."""
    folder = tmp_path_factory.mktemp("corpus")

    @functools.cache
    def lines(page: str) -> list[dict[str, Any]]:
        path = folder / f"{page}.html"
        path.write_bytes(gzip.decompress((CORPUS / f"{page}.html.gz").read_bytes()))
        result = CliRunner().invoke(main, ["script", "--format", "json", str(path)])
        assert result.exit_code == 0, result.output
        return [line for episode in json.loads(result.stdout) for line in episode["lines"]]

    return lines


def page_html(page: str) -> str:
    decoded = decode_bytes(gzip.decompress((CORPUS / f"{page}.html.gz").read_bytes()), html=True)
    assert decoded is not None
    return decoded.text


def words(text: str) -> str:
    """Text as lower-case words only: what is compared, whatever the punctuation."""
    text = unicodedata.normalize("NFKC", text).casefold().replace("’", "'")
    return " ".join(re.findall(r"[^\W_]+", text))


def _own_text(el: etree._Element) -> str:
    """The element's text without the blocks nested in it (they are lines of their own).

    A heading loses the dotted section number documentation generators put before
    it ("8.1. Syntax Errors"): furniture the product drops on purpose.
    """
    if el.tag in ("p", "head", "quote"):
        text = " ".join("".join(el.itertext()).split())
        return re.sub(r"^\d{1,3}(?:\.\d{1,3})*\.\s+", "", text) if el.tag == "head" else text
    parts = [el.text or ""]
    for child in el:
        text = "".join(child.itertext())
        if child.tag not in _BLOCKS and not (child.tag == "code" and "\n" in text.strip()):
            parts.append(text)
        parts.append(child.tail or "")
    return " ".join("".join(parts).split())


def extracted_lines(page: str) -> Iterator[tuple[str, str]]:
    """(tag, text) of every paragraph, list item, quote, heading and cell of the page's
    main text, in reading order."""
    root = extract_xml(page_html(page))
    assert root is not None, f"{page}: trafilatura found no main content"
    main_el = root.find("main")
    for el in (main_el if main_el is not None else root).iter(*_TEXT_TAGS):
        if any(up.tag in ("p", "head", "quote") for up in el.iterancestors()):
            continue  # its text is in the paragraph, heading or quote around it
        text = _own_text(el)
        if words(text):
            yield str(el.tag), text


def test_corpus_is_what_sources_lists() -> None:
    """SOURCES.md names every page with the checksum of the page as shipped."""
    sources = (CORPUS / "SOURCES.md").read_text("utf-8")
    listed = dict(re.findall(r"^\| `([\w.-]+)` \|.*\| `([0-9a-f]{64})` \|$", sources, re.M))
    assert sorted(listed) == PAGES
    for page in PAGES:
        data = gzip.decompress((CORPUS / f"{page}.html.gz").read_bytes())
        assert hashlib.sha256(data).hexdigest() == listed[page], page
    assert len(PAGES) >= 25
    assert sorted(DROPPED) == sorted(p for p in DROPPED if p in PAGES), "dropped.json: no page"


def chrome_in(page: str, lines: list[dict[str, Any]]) -> list[str]:
    """Each spoken line that matches a chrome pattern, with the pattern; and an intro
    that still names the site beside the headline ("… -- Sott.net", "Scrapinghub: …")."""
    root = extract_xml(page_html(page))
    assert root is not None
    names = [root.get("sitename") or "", *(root.get("categories") or "").split(";")]
    sites = [
        re.compile(
            rf"(?:^|\s(?:[|–-]|--)\s|:\s){re.escape(n.strip())}(?:\s(?:[|–-]|--)\s|:\s|$)", re.I
        )
        for n in names
        if n.strip()
    ]
    found: list[str] = []
    for line in lines:
        forms = [line["speech"]] + ([line["display"]] if line["kind"] != "code" else [])
        for form in forms:
            hits = [p.pattern for p in _CHROME if p.search(form)]
            if line["kind"] == "intro" and form is line["display"]:
                title = form.split(" — Episode ")[0]
                if words(title) not in map(words, names):  # a title that is the site's own
                    hits += [f"site {p.pattern!r}" for p in sites if p.search(title)]
            found.extend(f"{page}: {hit!r} in {form!r}" for hit in hits)
    return found


@pytest.mark.parametrize("page", PAGES)
def test_no_chrome_is_spoken(page: str, script: Callable[[str], list[dict[str, Any]]]) -> None:
    assert chrome_in(page, script(page)) == []


def unread(page: str, lines: list[dict[str, Any]]) -> tuple[list[str], list[str], list[str]]:
    """The extracted lines not read, the dropped ones read after all, and the stale.

    Compared as words (the narration rewrites numbers, so the lines' written form
    is what is compared), in reading order: each line must be found after the one
    before it, so a short line ("CNN") cannot pass on a later line's words.
    Headings are looked for anywhere: an episode's intro names its section
    before the standfirst that opens it. A dropped line counts as read when its
    words are in what is left of the script once the read lines are taken out.
    """
    script = " " + " | ".join(words(line["display"]) for line in lines) + " "
    dropped = {entry["line"] for entry in DROPPED.get(page, [])}
    extracted = list(extracted_lines(page))
    lost, spans, at = [], [], 0
    for tag, line in extracted:
        if line in dropped:
            continue
        needle = f" {words(line)} "
        found = script.find(needle, 0 if tag == "head" else at)
        if found < 0:
            lost.append(line)
            continue
        spans.append((found, found + len(needle) - 1))
        if tag != "head":
            at = found + len(needle) - 1
    left, done = [], 0
    for begin, end in sorted(spans):
        left.append(script[done : begin + 1] if begin + 1 > done else "")
        done = max(done, end)
    left.append(script[done:])
    rest = " | ".join(left)
    kept = [line for _, line in extracted if line in dropped and _still_read(line, rest)]
    stale = sorted(dropped - {line for _, line in extracted})
    return lost, kept, stale


def _still_read(line: str, rest: str) -> bool:
    """Whether a dropped line is in what is left of the script: as a line of its own,
    or, when it has four words or more, anywhere (a short one, "Kate Henshaw", is
    also in the intro that reads the title)."""
    said = words(line)
    as_a_line = said in {piece.strip() for piece in rest.split("|")}
    return as_a_line or (len(said.split()) >= 4 and f" {said} " in rest)


@pytest.mark.parametrize("page", PAGES)
def test_nothing_of_the_article_is_lost(
    page: str, script: Callable[[str], list[dict[str, Any]]]
) -> None:
    """Every extracted line is read, but the ones dropped.json lists, which are not."""
    lost, kept, stale = unread(page, script(page))
    assert lost == [], f"{page}: lines of the article not read"
    assert kept == [], f"{page}: dropped.json lists lines that are read after all"
    assert stale == [], f"{page}: dropped.json lists lines the page does not have"


@pytest.mark.parametrize("page", PAGES)
def test_spoken_script_matches_golden(
    page: str, script: Callable[[str], list[dict[str, Any]]]
) -> None:
    spoken = "".join(line["speech"] + "\n" for line in script(page))
    path = GOLDEN / f"{page}.txt"
    if os.environ.get("AC_UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(spoken, encoding="utf-8")
    assert spoken == path.read_text(encoding="utf-8")


def test_chrome_patterns_catch_chrome_and_spare_prose() -> None:
    """The test's own patterns, on lines seen on real pages and prose that looks close."""
    chrome = [
        "Home | Video | World | U.S.",
        "© 2016 The Associated Press. All rights reserved.",
        "Follow ONE Esports on Facebook and Twitter for more LoL news, guides, and highlights.",
        "By Dana Reyes, CNN",
        "April 27, 2014 -- Updated 1531 GMT (2331 HKT)",
        "AP Photo/Uncredited",
        "Americans Don’t Trust Their Maps. Can Anything Change That? Read more. »",
        "Loading weather data ...",
    ]
    prose = [
        "By then, the house was quiet.",
        "By the late game, T1 was too far ahead with 10 kills to just one.",
        "Not everyone subscribes to a New Year’s resolution.",
        "Let me Google that for you: 2014's most popular food-related searches",
        "Photos which were released online are making the rounds on social media.",
    ]
    assert [line for line in chrome if not any(p.search(line) for p in _CHROME)] == []
    assert [line for line in prose if any(p.search(line) for p in _CHROME)] == []
