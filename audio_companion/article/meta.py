"""Who wrote a page and when: the byline and date that go to the feed, never to the audio.

trafilatura reads them from the page's markup (``<meta name="author">``,
JSON-LD, ``article:published_time`` …) and hands them over as attributes of
its XML. What it finds is raw: several names joined by ";" with the outlet
among them ("Dana Ford; Tom Watkins; CNN"), the publisher of a magazine
("Condé Nast; Tom Bennett"), a desk or placeholder instead of a person. This
module turns that into what a listener's app should show: people's names, or
nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

# Names that are an outlet's desk, a wire service or a placeholder, not a writer.
_NOT_A_PERSON = re.compile(
    r"^(?:submitted|admin(?:istrator)?|staff|editor(?:ial)?(?: (?:staff|team|board))?|"
    r"(?:national|news|metro|web|digital|city) desk|newsroom|guest|anonymous|"
    r"[\w.&' -]*\b(?:wire|desk|staff|reports?|news service|press)|"
    r"(?:the )?associated press|reuters|afp|upi|cnn|bbc)$",
    re.IGNORECASE,
)
# Publishers that sites put in the author field beside the writer.
_PUBLISHERS = frozenset({"condé nast", "conde nast", "hearst", "gannett", "meredith"})
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
MAX_NAMES = 4
EARLIEST = date(1990, 1, 1)  # no web article is older; an earlier date is a parse error


@dataclass(frozen=True)
class PageMeta:
    """The byline and date a page declares about itself ("" / None when it does not)."""

    author: str = ""
    published: date | None = None
    site: str = ""


def clean_author(raw: str | None, site: str = "") -> str:
    """The writers' names, "A, B and C"; the outlet, publishers and desks left out.

    More than `MAX_NAMES` names end in "and others": an app shows one line.
    """
    if not raw:
        return ""
    names: list[str] = []
    outlets = {_key(site), _key(re.split(r"\s+[|\u2013\u2014-]\s+", site)[0])} - {""}
    for part in re.split(r"\s*[;|]\s*|\s+and\s+|\s*,\s+(?=[A-Z][^,]*\s)", raw):
        name = " ".join(part.split()).strip(" ,.")
        name = re.sub(r"^by\s+", "", name, flags=re.IGNORECASE)
        key = _key(name)
        if not name or key in outlets or key in _PUBLISHERS or _NOT_A_PERSON.match(name):
            continue
        if name.isupper():  # "LYNNE O'DONNELL" as the page shouts it
            name = _title_case(name)
        if key not in {_key(n) for n in names}:
            names.append(name)
    if len(names) > MAX_NAMES:
        return ", ".join(names[:MAX_NAMES]) + " and others"
    if len(names) > 1:
        return ", ".join(names[:-1]) + " and " + names[-1]
    return names[0] if names else ""


def parse_date(raw: str | None, today: date | None = None) -> date | None:
    """An ISO date as trafilatura gives it ("2014-04-27"); None if absent or implausible.

    `today` bounds it from above when given: a page dated in the future has a
    wrong date, and a feed item from the future hides in apps until then.
    """
    m = _ISO_DATE.match(raw or "")
    if not m:
        return None
    try:
        when = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None
    if when < EARLIEST or (today is not None and when > today):
        return None
    return when


def page_meta(attributes: dict[str, str | None]) -> PageMeta:
    """`PageMeta` from the attributes of trafilatura's ``<doc>`` element."""
    site = " ".join((attributes.get("sitename") or "").split())
    return PageMeta(
        author=clean_author(attributes.get("author"), site),
        published=parse_date(attributes.get("date")),
        site=site,
    )


def _key(name: str) -> str:
    return " ".join(name.lower().replace(".com", "").split())


def _title_case(name: str) -> str:
    """ "O'DONNELL" → "O'Donnell", "DE LA GARZA" → "De La Garza"."""
    return re.sub(r"[A-Za-z]+", lambda m: m.group(0).capitalize(), name.lower())
