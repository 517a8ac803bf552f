"""Saved or fetched web pages: trafilatura finds the main content, we keep its outline.

trafilatura (offline: it is only handed the HTML string) drops navigation,
asides, footers, scripts, forms and comments, and returns the article as XML
with its headings marked ``<head rend="h2">``. That outline becomes the same
Token stream the text and Markdown parsers produce, so ``assemble`` decides the
sections for every format alike.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from dataclasses import replace

import trafilatura
from lxml import etree

from audio_companion.article import apidoc, headline, lines, tables
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
    # Site notices ("Warning! This is a demo website ..."): Bootstrap's alert boxes.
    "//*[@role='alert']",
    "//div[contains(concat(' ', normalize-space(@class), ' '), ' alert ')]",
]
_SKIP_TAGS = frozenset({"graphic", "figure", "figcaption", "fn", "note"})
# Blocks trafilatura nests in list items and table cells (documentation and CMS pages).
# (A <code> among them is a block only when it spans lines: "the <code>x</code> flag".)
_BLOCK_TAGS = frozenset({"p", "head", "list", "quote", "table"})
_WS = re.compile(r"\s+")
_HEAD_LEVEL = re.compile(r"^h([1-6])$")


def extract_xml(html: str, url: str | None = None, *, links: bool = False) -> etree._Element | None:
    """trafilatura's XML for the page's main content, or None when there is none.

    `links` keeps the links as ``<ref>`` elements; the text is read without them,
    since trafilatura then loses the space after a link ("a security fairin Las
    Vegas"), and only `mark_furniture` looks at them.
    """
    xml = trafilatura.extract(
        html,
        url=url,
        output_format="xml",
        include_comments=False,
        include_tables=True,
        include_images=links,
        include_links=links,
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


TEASER = "ac-teaser"  # attribute set on a paragraph that is only a link
CAPTION = "ac-caption"  # attribute set on a paragraph that captions the image before it
CAPTION_MAX_WORDS = 8


def mark_furniture(root: etree._Element, html: str, url: str | None = None) -> None:
    """Mark the paragraphs of `root` that are a link or a caption, not the article.

    A second extraction, with links and images, shows what the text alone
    cannot: a paragraph whose words are all one link's (a teaser for another
    story), and a short unpunctuated line right under an image (its caption,
    "Kate Henshaw"). The same paragraphs of `root`, matched by their words, get
    the `TEASER` or `CAPTION` attribute; `tokenize` drops them (a teaser only
    when it does not continue a sentence or a "See also").
    """
    linked = extract_xml(html, url, links=True)
    if linked is None:
        return
    teasers = {_key(p) for p in linked.iter("p") if _only_a_link(p)}
    captions = {_key(p) for p in linked.iter("p") if _captions_an_image(p)}
    for p in root.iter("p"):
        key = _key(p)
        if key in captions:
            p.set(CAPTION, "1")
        elif key in teasers:
            p.set(TEASER, "1")


def _captions_an_image(p: etree._Element) -> bool:
    before = p.getprevious()
    text = _key(p)
    return (
        before is not None
        and before.tag == "graphic"
        and 0 < len(text.split()) <= CAPTION_MAX_WORDS
        and not text.endswith(lines.SENTENCE_END)
    )


def _key(p: etree._Element) -> str:
    return " ".join("".join(p.itertext()).split())


def _only_a_link(p: etree._Element) -> bool:
    """A paragraph whose words are all one link's: a teaser for another page."""
    text = "".join(p.itertext()).strip()
    linked = "".join("".join(r.itertext()) for r in p.iter("ref")).strip()
    return bool(text) and len(linked) >= len(text) - 2


def _text(el: etree._Element, skip_lists: bool = False) -> str:
    """The element's spoken text: nested figures (and, on demand, lists) left out.

    Blocks nested in it (a list item's heading and paragraphs) are set apart by a
    space: glued, "Page Inspector" and "Examine the HTML…" read "Page InspectorExamine".
    """
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
            elif tag in _BLOCK_TAGS:
                parts.append(" ")
                walk(child)
                parts.append(" ")
            else:
                walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(el)
    return lines.strip_symbols(_WS.sub(" ", "".join(parts)))


def _elements(root: etree._Element) -> Iterator[tuple[str, str, int]]:
    """(kind, text, level) in reading order: head, para, item, quote, code, row.

    A table's row ("cell, cell") is prose apart from a paragraph: never joined to
    the row before it as the rest of a split paragraph.
    """
    for el in root:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in _SKIP_TAGS:
            continue
        if tag == "head":
            m = _HEAD_LEVEL.match(el.get("rend", ""))
            level = int(m.group(1)) if m else 2
            if tables.titles_a_table(el, level):
                yield "para", f"Table: {lines.heading_text(_text(el))}", 0
            else:
                yield "head", lines.heading_text(_text(el)), level
        elif tag == "p":
            if not el.get(CAPTION):
                yield ("link" if el.get(TEASER) else "para"), _text(el), 0
        elif tag == "list":
            yield from _list_items(el)
        elif tag == "quote":
            # trafilatura turns a <pre> inside a list item into a quote: code all the same.
            if lines.looks_like_code(_text(el)):
                yield "code", "".join(el.itertext()).strip(), 0
            else:
                yield "quote", _text(el), 0
        elif tag == "code":
            yield "code", "".join(el.itertext()).strip("\n"), 0
        elif tag == "table":
            for row in el.iter("row"):
                cells = [c for c in row if c.tag == "cell"]
                if any(child.tag in _BLOCK_TAGS for c in cells for child in c):
                    # A layout table: a whole story in one cell (AP's pages) is read as
                    # its paragraphs, never flattened into one line of "cell, cell".
                    for cell in cells:
                        yield from _elements(cell)
                    continue
                texts = [_text(c) for c in cells]
                yield "row", ", ".join(t for t in texts if t), 0
        elif tag in ("div", "main", "section", "body"):
            yield from _elements(el)
        else:
            yield "para", _text(el), 0


def _list_items(lst: etree._Element) -> Iterator[tuple[str, str, int]]:
    """Each item's own text, then the items of any list nested in it.

    An item that holds blocks (documentation's definition lists, a product page's
    feature boxes) is read block by block: its first words as the item, then its
    paragraphs, code and nested lists in their own kinds, so code inside an item
    is announced, not read out as prose. A definition's term ("msg", "Author:")
    or a box's title labels the first paragraph after it when it is short; a long
    term is a paragraph of its own, and an API signature is announced (`apidoc`).
    """
    term = ""  # a definition list's term, waiting for its definition
    for item in lst:
        if item.tag != "item":
            continue
        if item.get("rend", "").startswith("dt"):
            if term:  # a term without a definition: a plain list (Apache's status lines)
                yield "item", term, 0
            term = lines.strip_permalink(_text(item))
            if item.get(apidoc.SIGNATURE):  # an API entry: announced, then described
                yield "para", item.get(apidoc.SIGNATURE), 0
                term = ""
            continue
        short = len(term.split()) <= 5 and not any(c in term for c in "(=")
        label = term.rstrip(":").strip() if short else ""
        if term and not label:
            yield "para", term, 0
        term = ""
        blocks = [
            child.tag in _BLOCK_TAGS
            or (child.tag == "code" and "\n" in "".join(child.itertext()).strip())
            for child in item
        ]
        if not any(blocks):
            text = _text(item, skip_lists=True)
            yield "item", f"{label}: {text}" if label and text else text or label, 0
            for nested in item:
                if nested.tag == "list":
                    yield from _list_items(nested)
            continue
        pieces: list[tuple[str, str, int]] = []
        inline = [item.text or ""]
        for child, block in zip(item, blocks, strict=True):
            if block:
                pieces.append(("inline", "".join(inline), 0))
                inline = []
                holder = etree.Element("div")
                holder.append(copy.deepcopy(child))
                pieces.extend(_elements(holder))
            elif child.tag not in _SKIP_TAGS:
                inline.append(" " if child.tag == "lb" else _text(child))
            inline.append(child.tail or "")
        pieces.append(("inline", "".join(inline), 0))
        first = "item" if label or not item.get("rend", "").startswith("dd") else "para"
        for kind, raw, level in pieces:
            text = lines.strip_symbols(_WS.sub(" ", raw)) if kind == "inline" else raw
            if not text:
                continue
            if kind == "head":  # a feature box's title ("Page Inspector") labels its text
                label = f"{label}: {text}" if label else text
                continue
            if kind in ("inline", "para"):
                kind, first = first, "para"
            if label and kind != "code":
                text, label = f"{label}: {text}", ""
            yield kind, text, level
        if label:  # a term or title with nothing after it is still read
            yield "para", label, 0
    if term:
        yield "item", term, 0


def _admonitions(items: list[tuple[str, str, int]]) -> Iterator[tuple[str, str, int]]:
    """A documentation admonition's title ("Note", "See also") joined to what follows it.

    Sphinx writes the title as a paragraph of its own; read alone it is a
    one-word paragraph, and what follows loses its frame. Joined ("Note: …"),
    the pair becomes a callout. What follows may be a definition list's entry
    ("See also" over "PEP 372 - Ordered Dictionaries: PEP written by …").
    """
    i = 0
    while i < len(items):
        kind, text, _ = items[i]
        label = text.strip().rstrip(":")
        nxt = items[i + 1] if i + 1 < len(items) else None
        if (
            kind == "para"
            and label.lower() in lines.ADMONITIONS
            and nxt
            and nxt[0] in ("para", "item")
        ):
            yield "para", f"{label}: {nxt[1]}", 0
            i += 2
            continue
        yield items[i]
        i += 1


def tokenize(root: etree._Element, title: str = "") -> list[Token]:
    """The page's outline as tokens, without its chrome.

    Before anything is judged, trailing calls to action are cut from a line
    ("… create a new one. Learn more"), the fragments a page split at its
    links and bold words are joined back into their paragraph ("… told The
    Grayzone that" + "an Ecuadorian official was robbed …"), a fold's cut teaser
    gives way to the whole text printed after it (`lines.cut_short`), and a paragraph
    that is nothing but a link is dropped: a teaser for another story ("Storm
    prompts airlines to relax travel policies"), unless it is a "See also" entry. Chrome headings do
    not count as sections, and the title loses the site's name ("… | CNN
    Politics") that pages put in their <title>.
    """
    body = root.find("main")
    items: list[tuple[str, str, int]] = []
    for kind, raw, level in _elements(body if body is not None else root):
        text = raw if kind == "code" else lines.unfold(lines.trim_chrome(raw))
        if not text:
            continue
        last = items[-1] if items else ("", "", 0)
        if kind == last[0] != "code" and lines.cut_short(last[1], text):
            items[-1] = (kind, text, level)  # a fold's cut teaser gives way to the whole
            continue
        # A link inside a sentence the page split ("… by The Intercept's" + "Sam
        # Biddle.") goes back into it: the paragraph before it has not ended.
        open_before = last[0] == "para" and not last[1].rstrip().endswith(lines.SENTENCE_END)
        if (kind == "link" and open_before) or (
            kind == "para" and last[0] == "para" and lines.continues(last[1], text)
        ):
            items[-1] = ("para", lines.join_fragments(last[1], text), 0)
            continue
        if kind == "para" and lines.stray_fragment(text):
            continue  # "per month" left of a price widget: no paragraph is that
        if kind == "link":
            if last[0] != "para" or last[1].strip().rstrip(":").lower() not in lines.ADMONITIONS:
                continue  # a paragraph that is only a link: a teaser for another story
            kind = "para"  # the entry of a "See also"
        items.append((kind, text, level))
    items = list(_admonitions(items))
    chrome = [lines.chrome_kind(text) if kind != "code" else None for kind, text, _ in items]
    has_sections = any(
        kind == "head" and level > 1 and judged is None
        for (kind, _, level), judged in zip(items, chrome, strict=True)
    )
    page_title = title or next(
        (
            text
            for (kind, text, level), judged in zip(items, chrome, strict=True)
            if kind == "head" and level == 1 and judged is None
        ),
        "",
    )
    site = [root.get("sitename") or "", root.get("hostname") or ""]
    title = lines.title_without_site(page_title, site + (root.get("categories") or "").split(";"))
    tokens: list[Token] = [Token("title", title)] if title else []
    if not has_sections:
        # One untitled run of prose: a single section named after the article.
        tokens.append(Token("heading", title or "Article", level=2))
    seen_heading = not has_sections
    skipped_title = False
    in_citations = False
    for (kind, text, level), judged in zip(items, chrome, strict=True):
        if judged == "stop" and seen_heading:
            break
        if judged is not None:
            continue
        first = kind == "para" and not any(t.kind in ("block", "teaser") for t in tokens)
        if (
            not skipped_title
            and text in (title, page_title)
            and (first or (kind == "head" and level == 1))
        ):
            skipped_title = True  # the headline as the page prints it: the intro says it
            continue
        if kind == "head":
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
    mark_furniture(root, html, url)
    apidoc.mark_signatures(root, html)
    title = headline.better_title(title, html, root)
    tokens = tokenize(root, title)
    if not any(t.kind == "block" for t in tokens):
        raise ArticleError(NO_CONTENT)
    meta = page_meta(dict(root.attrib))
    return replace(assemble(tokens), author=meta.author, published=meta.published)
