"""Saved or fetched web pages: trafilatura finds the main content, we keep its outline.

trafilatura (offline: it is only handed the HTML string) drops navigation,
asides, footers, scripts, forms and comments, and returns the article as XML
with its headings marked ``<head rend="h2">``. That outline becomes the same
Token stream the text and Markdown parsers produce, so ``assemble`` decides the
sections for every format alike.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

import trafilatura
from lxml import etree

from audio_companion.article import lines
from audio_companion.article.meta import page_meta
from audio_companion.article.model import Article
from audio_companion.article.structure import Token, assemble, content_token
from audio_companion.errors import ArticleError

NO_CONTENT = "no main content found in the page"

# Belt and braces: trafilatura drops these already; a page that misuses them
# (a figure caption inside the article body) must still not be read aloud.
_PRUNE = [
    "//nav",
    "//aside",
    "//footer",
    "//figure",
    "//figcaption",
    "//form",
    "//script",
    "//style",
    "//noscript",
    "//template",
    "//iframe",
    "//svg",
]
_SKIP_TAGS = frozenset({"graphic", "figure", "figcaption", "fn", "note"})
_WS = re.compile(r"\s+")
_HEAD_LEVEL = re.compile(r"^h([1-6])$")


def extract_xml(html: str, url: str | None = None) -> etree._Element | None:
    """trafilatura's XML for the page's main content, or None when there is none."""
    xml = trafilatura.extract(
        html,
        url=url,
        output_format="xml",
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
        include_formatting=True,
        favor_recall=True,
        with_metadata=True,
        deduplicate=False,
        prune_xpath=_PRUNE,
        # Only dates the page declares in its markup: the extensive search
        # guesses from any date in the text (a copyright year, a "1998-01-01").
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    if not xml:
        return None
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    root = etree.fromstring(xml.encode("utf-8"), parser)
    return root


def _text(el: etree._Element, skip_lists: bool = False) -> str:
    """The element's spoken text: nested figures (and, on demand, lists) left out."""
    parts: list[str] = []

    def walk(node: etree._Element) -> None:
        if node.text:
            parts.append(node.text)
        for child in node:
            tag = child.tag if isinstance(child.tag, str) else ""
            if tag in _SKIP_TAGS or (skip_lists and tag == "list"):
                pass
            elif tag == "lb":
                parts.append(" ")
            else:
                walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(el)
    return lines.strip_symbols(_WS.sub(" ", "".join(parts)))


def _elements(root: etree._Element) -> Iterator[tuple[str, str, int]]:
    """(kind, text, level) in reading order: head, para, item, quote, code."""
    for el in root:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in _SKIP_TAGS:
            continue
        if tag == "head":
            m = _HEAD_LEVEL.match(el.get("rend", ""))
            yield "head", lines.heading_text(_text(el)), int(m.group(1)) if m else 2
        elif tag == "p":
            yield "para", _text(el), 0
        elif tag == "list":
            yield from _list_items(el)
        elif tag == "quote":
            yield "quote", _text(el), 0
        elif tag == "code":
            yield "code", "".join(el.itertext()).strip("\n"), 0
        elif tag == "table":
            for row in el.iter("row"):
                cells = [_text(c) for c in row if c.tag == "cell"]
                yield "para", ", ".join(c for c in cells if c), 0
        elif tag in ("div", "main", "section", "body"):
            yield from _elements(el)
        else:
            yield "para", _text(el), 0


def _list_items(lst: etree._Element) -> Iterator[tuple[str, str, int]]:
    """Each item's own text, then the items of any list nested in it."""
    for item in lst:
        if item.tag != "item":
            continue
        yield "item", _text(item, skip_lists=True), 0
        for nested in item:
            if nested.tag == "list":
                yield from _list_items(nested)


def _admonitions(items: list[tuple[str, str, int]]) -> Iterator[tuple[str, str, int]]:
    """A documentation admonition's title ("Note", "See also") joined to what follows it.

    Sphinx writes the title as a paragraph of its own; read alone it is a
    one-word paragraph, and what follows loses its frame. Joined ("Note: …"),
    the pair becomes a callout.
    """
    i = 0
    while i < len(items):
        kind, text, _ = items[i]
        label = text.strip().rstrip(":")
        nxt = items[i + 1] if i + 1 < len(items) else None
        if kind == "para" and label.lower() in lines.ADMONITIONS and nxt and nxt[0] == "para":
            yield "para", f"{label}: {nxt[1]}", 0
            i += 2
            continue
        yield items[i]
        i += 1


def tokenize(root: etree._Element, title: str = "") -> list[Token]:
    body = root.find("main")
    items = list(_admonitions([e for e in _elements(body if body is not None else root) if e[1]]))
    has_sections = any(kind == "head" and level > 1 for kind, _, level in items)
    if not title:
        title = next((text for kind, text, level in items if kind == "head" and level == 1), "")
    tokens: list[Token] = [Token("title", title)] if title else []
    if not has_sections:
        # One untitled run of prose: a single section named after the article.
        tokens.append(Token("heading", title or "Article", level=2))
    seen_heading = not has_sections
    skipped_title = False
    in_citations = False
    for kind, text, level in items:
        chrome = lines.chrome_kind(text) if kind != "code" else None
        if chrome == "stop" and seen_heading:
            break
        if chrome is not None:
            continue
        if kind == "head":
            if level == 1 and not skipped_title and text == title:
                skipped_title = True
                continue
            in_citations = text.lower().rstrip(":") in lines.CITATION_HEADINGS
            if not in_citations:
                tokens.append(Token("heading", text, level=max(level, 2)))
                seen_heading = True
            continue
        if in_citations:
            tokens.append(Token("citation", text))
        else:
            tokens.append(content_token(kind, text, seen_heading, tokens))
    return tokens


def parse_html(html: str, url: str | None = None) -> Article:
    """The page's main content as an Article; ArticleError when there is none."""
    root = extract_xml(html, url)
    if root is None:
        raise ArticleError(NO_CONTENT)
    meta_title = _WS.sub(" ", root.get("title") or "").strip()
    first_head = root.find(".//head")
    h1 = _text(first_head) if first_head is not None and first_head.get("rend") == "h1" else ""
    title = lines.heading_text(h1) if h1 else lines.heading_text(lines.strip_symbols(meta_title))
    tokens = tokenize(root, title)
    if not any(t.kind == "block" for t in tokens):
        raise ArticleError(NO_CONTENT)
    meta = page_meta(dict(root.attrib))
    return replace(assemble(tokens), author=meta.author, published=meta.published)
