"""The page's headline when its <title> is only the site's generic name.

Some pages put no headline in their <title>: AP's story pages are all titled
"News from The Associated Press", a site's template "Home | Example News".
Used as the episode's title, that name tells a listener nothing about the
story (every episode of the feed would be called the same). A reader looks at
the page instead and finds the headline where the page marks it: Open Graph
and Twitter cards, schema.org's ``itemprop="headline"``, the hAtom
microformat's ``entry-title`` class, an <h1>. A page that marks none may still
print its headline as the first line of the story; failing that, the generic
name stays (it is still the page's name).
"""

from __future__ import annotations

import re

from lxml import etree
from lxml import html as lxml_html

from audio_companion.article import lines

# "News from X", "Welcome to X", "Home | X", "The latest news from X".
_LEAD = re.compile(
    r"^(?:(?:the )?(?:latest |top |breaking )?(?:news|headlines)(?: (?:from|at|on))?"
    r"|welcome to|home(?: ?page)?(?: of)?)(?:\s*(?:[|:–—·-]|--))?\s+(?P<name>\S.*)$",
    re.IGNORECASE,
)
# "X | Home", "X - Homepage", "X: Latest News" (a separator, then the filler).
_TAIL = re.compile(
    r"^(?P<name>.+?)\s*(?:[|:–—·-]|--)\s*"
    r"(?:home(?: ?page)?|front page|(?:the )?(?:latest |top |breaking )?(?:news|headlines))$",
    re.IGNORECASE,
)
# "X News", "X Home Page": only when X is the site's known name ("Good News" is a headline).
_SITE_TAIL = re.compile(r"^(?P<name>.+?)\s+(?:home(?: ?page)?|news)$", re.IGNORECASE)
_PLACEHOLDER = re.compile(
    r"^(?:home(?: ?page)?|index|untitled(?: document| page)?|new page|news)$", re.IGNORECASE
)
_SMALL_WORDS = frozenset({"of", "the", "and", "&", "for", "on", "in"})

# Where pages mark their headline, most specific first.
HEADLINE_XPATHS = (
    "//meta[@property='og:title']/@content",
    "//meta[@name='twitter:title']/@content",
    "//*[@itemprop='headline']",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' entry-title ')]",
    "//h1",
)
MAX_HEADLINE_WORDS = 25


def _key(text: str) -> str:
    return re.sub(r"[\W_]+", " ", text.replace(".com", "")).casefold().strip()


def _is_name(name: str, sites: list[str], capitalised: bool = True) -> bool:
    """A site's name: one it is known by, or (`capitalised`) a name of two to four
    capitalised words ("The Associated Press"; one word, "Gaza", is more often a place)."""
    key = _key(name)
    if key and any(key == _key(s) or (len(key) > 2 and key in _key(s)) for s in sites if s):
        return True
    words = name.split()
    return (
        capitalised
        and 2 <= len(words) <= 4
        and words[0][:1].isupper()
        and all(w[:1].isupper() or w.casefold() in _SMALL_WORDS for w in words)
    )


def site_name(title: str, sites: list[str]) -> str | None:
    """The site's name when `title` is only that name and filler ("News from X"), else None.

    A title that is the site's name and nothing else is not judged generic: a
    page of documentation is often its site's own name ("What's New In Python
    3.1"), and so is a real headline that trafilatura took as the site name.
    """
    title = " ".join(title.split())
    if _PLACEHOLDER.match(title):
        return title
    m = _LEAD.match(title) or _TAIL.match(title)
    if m and _is_name(m.group("name"), sites):
        return m.group("name")
    m = _SITE_TAIL.match(title)
    if m and _is_name(m.group("name"), sites, capitalised=False):
        return m.group("name")
    return None


def from_markup(page: str, names: list[str]) -> str:
    """The first headline the page marks up that is not a site's `names` or generic."""
    try:
        # As bytes with the encoding said: a str with an XML declaration is refused.
        doc = lxml_html.document_fromstring(
            page.encode("utf-8"), parser=lxml_html.HTMLParser(encoding="utf-8")
        )
    except (ValueError, etree.ParserError):
        return ""
    seen = {_key(n) for n in names if n}
    for xpath in HEADLINE_XPATHS:
        for hit in doc.xpath(xpath):
            if isinstance(hit, str):
                text = " ".join(hit.split())
            else:
                raw = hit.get("content") if hit.tag == "meta" else hit.text_content()
                text = " ".join((raw or "").split())
            words = len(text.split())
            fits = 0 < words <= MAX_HEADLINE_WORDS
            if fits and _key(text) not in seen and site_name(text, names) is None:
                return text
    return ""


def from_first_line(root: etree._Element) -> str:
    """The story's first paragraph when it is a headline (short, unpunctuated, capitalised)."""
    first = next(iter(root.iter("p")), None)
    text = " ".join("".join(first.itertext()).split()) if first is not None else ""
    return text if lines.looks_like_heading(text) else ""


def better_title(title: str, page: str, root: etree._Element) -> str:
    """`title`, or when it is only the site's generic name, the page's headline."""
    sites = [root.get("sitename") or "", root.get("hostname") or ""]
    name = site_name(title, sites)
    if name is None:
        return title
    return from_markup(page, [*sites, name, title]) or from_first_line(root) or title
