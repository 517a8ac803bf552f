"""Line-level reading of flattened web text: the tables that say what a line is.

Web pages copied as text lose their markup, so every line is judged on its
own shape. The rules live in readable tables so a new kind of page chrome or
callout is one row, not a new branch.
"""

from __future__ import annotations

import re
import unicodedata

# Lines that belong to the page, not the article. "stop" rows end the body:
# everything after them is footer (previous/next links, comments, newsletter).
CHROME_PATTERNS: tuple[tuple[str, bool], ...] = (
    (r"^(previous|next|related) (article|post|story|stories|posts)$", True),
    (r"^(leave|write|post) a (comment|reply)$", True),
    (r"^comments?( \(\d+\))?$", True),
    (r"^subscribe (to|for)\b", True),
    (r"your email address will not be published", False),
    (r"^(prefer|rather|want) to (listen|hear)\b", False),
    (r"\brather hear this\b|\bpress play\b|\blisten to (this|some of our)\b", False),
    (r"\bother episodes\b", False),
    (r"^share (this|on)\b|^(tweet|pin it|share)$", False),
    (r"\b(no|zero) spam\b", False),
    (r"delivered (right )?to your (inbox|email)", False),
    (r"^(read more|click here|advertisement|sponsored)\b", False),
    # News pages (issue 17): menus, widgets, credits and promos around the story.
    (r"^[^|]{1,30}(?:\s\|\s[^|]{1,30}){2,}\s?\|?$", False),  # "Home | Video | World"
    (r"^loading\b.{0,40}(?:\.\.\.|…)$", False),  # "Loading weather data…"
    (r"\ball rights reserved\b|^(?:©|copyright\b)", False),
    # A byline with a role or a handle; a bare "By Dana Reyes" is too close to a
    # heading ("By the Numbers") to drop on its shape.
    (r"^by (?-i:[A-Z][\w'’-]+ [A-Z][\w'’-]+)(?:, [^.]{1,40}|\s+follow @\w+)$", False),
    (r"(?:^|\s)follow @\w+|^write to \S.{0,60}\bat(?: \S+@\S+)?$", False),  # handles, contacts
    (r"\bmost popular stories\b", False),
    (r"^more must-reads\b", True),  # TIME's list of other stories: the story is over
    (r"\bsign up for\b.{0,60}\bnewsletter\b|^want (?:weekly|daily)\b.{0,60}\?", False),
    (r"(?:^|[.?!] )please share your (?:videos|photos|pictures|stories)\b", False),
    (r"\bby clicking through our (?:photo )?gallery\b", False),
    (r"\bupdated \d{3,4} (?:gmt|utc|et)\b", False),  # a teaser's timestamp line
    # The corpus of real pages (tests/article/corpus): credits, promos, widget labels.
    (r"^part of complete coverage on\b", True),  # CNN's box of other stories follows
    (r"\bcontributed to this (?:report|story)\.?$", False),  # the credit after a story
    (r"^(?:cnn|ap|afp|reuters)$", False),  # a wire service's name alone: its credit
    (r"^(?:ap |afp |reuters |getty )?(?:photo|image)s?(?: credit)?\s*[/:]", False),
    (r"^(?:author|authors|release):\s*\S.{0,60}$", False),  # a HOWTO's field list
    (r"^see more (?:photos|pictures|images|videos)\b", False),  # the gallery is not read
    (r"^follow\b.{1,60}\bon (?:facebook|twitter|instagram|x)\b", False),
    (r"\blinks on\b.{0,40}\bare affiliate links\b", False),  # the shop's disclosure
    # A teaser box: "… Can Anything Change That? Read more. »" (the link's capital: a
    # sentence that ends "… to read more." is prose).
    (r"(?:^|[.?!]\s+)(?-i:Read more|READ MORE)\W*$", False),
    (r"^can you guess\b[^.!?]{0,80}\?$|^take (?:our|the|this) quiz\b", False),  # a quiz's title
    (r"^(?:table of )?contents:?$|^footnotes$", False),  # labels of lists that are not read
    (r"^[\W_]+$", False),  # a rule drawn in text ("---", "* * *"): nothing to say
)
_CHROME = [(re.compile(p, re.IGNORECASE), stop) for p, stop in CHROME_PATTERNS]

# Headings that start the end matter: the list of sources, read into show notes.
CITATION_HEADINGS = frozenset(
    {"citations", "references", "sources", "works cited", "bibliography", "further reading"}
)

# Callout leads that get set apart when read (a lead is "Word Word:" at line start).
CALLOUT_LEADS = frozenset(
    {
        "tip",
        "note",
        "brain byte",
        "lab to life",
        "neuro tip",
        "neuro insight",
        "key takeaway",
        "takeaway",
        "remember",
        "try this",
        "warning",
        "fact",
        "quick tip",
        "pro tip",
        "did you know",
        "see also",
        "important",
        "caution",
        "hint",
    }
)
# Titles documentation generators give their admonition boxes, written as a
# paragraph of their own (`article.html` joins each to the paragraph after it).
ADMONITIONS = frozenset({"note", "see also", "warning", "tip", "important", "caution", "hint"})

_BULLET = re.compile(r"^\s*(?:[•·▪◦‣∙*+\-–]|\d{1,2}[.)])\s+")
_CALLOUT = re.compile(r"^([A-Z][\w'-]*(?: [A-Za-z][\w'-]*){0,3}):\s+(\S.*)$")
_TERMINAL = (".", "!", ",", ";", ":", "…", '"', "”", "'")


# Symbols that are words when read: "1.5°C" is "1.5 degrees C" (the narration says it).
_KEPT_SYMBOLS = frozenset("°")


def strip_symbols(text: str) -> str:
    """Drop emoji, pictographs and their joiners; keep letters and punctuation."""
    out = []
    for ch in text:
        cat = unicodedata.category(ch)
        if (cat == "So" and ch not in _KEPT_SYMBOLS) or ch in "\ufe0f\ufe0e\u200d\u20e3":
            continue
        if cat == "Cs" or (cat == "Co"):
            continue
        out.append(ch)
    return re.sub(r"[ \t]+", " ", "".join(out)).strip()


# A permalink mark a documentation generator appends to each heading (Sphinx's
# "¶", others' "§", "#" or a link emoji), and the dotted section numbers it puts
# before them ("4.1. if Statements"): the page's furniture, not the title. Only
# dotted numbers: "5 Ways to Rest" keeps its 5.
_PERMALINK = re.compile(r"\s*(?:[¶§#]|\U0001f517)+\s*$")
_SECTION_NUMBER = re.compile(r"^\s*\d{1,3}(?:\.\d{1,3})*\.\s+(?=\w)")


def heading_text(text: str) -> str:
    """A heading as a title to say and show: no permalink mark, no section number."""
    cleaned = _SECTION_NUMBER.sub("", _PERMALINK.sub("", text))
    return cleaned.strip() or text.strip()


def chrome_kind(line: str) -> str | None:
    """'stop' for footer chrome that ends the body, 'skip' for inline chrome."""
    text = strip_symbols(line)
    for pattern, stop in _CHROME:
        if pattern.search(text):
            return "stop" if stop else "skip"
    if line.strip() and not text:  # a line of only emoji / arrows
        return "skip"
    return None


def bullet_text(line: str) -> str | None:
    m = _BULLET.match(line)
    if not m:
        return None
    return strip_symbols(line[m.end() :])


def callout(line: str) -> tuple[str, str] | None:
    m = _CALLOUT.match(line.strip())
    if m and m.group(1).lower() in CALLOUT_LEADS:
        return m.group(1), m.group(2)
    return None


def split_label(text: str) -> tuple[str, str]:
    """'High: What was…' → ('High', 'What was…'); labels are short."""
    m = re.match(r"^([^:]{1,40}):\s+(\S.*)$", text)
    if m and len(m.group(1).split()) <= 5:
        return m.group(1), m.group(2)
    return "", text


def looks_like_heading(line: str) -> bool:
    """Short, capitalised, no sentence punctuation at the end."""
    text = strip_symbols(line)
    if not text or len(text) > 90 or len(text.split()) > 14:
        return False
    if text.endswith(_TERMINAL):
        return False
    first = text[0]
    return first.isupper() or first.isdigit()


def looks_like_caption(line: str) -> bool:
    """Image captions and alt text survive flattening as unpunctuated fragments.

    Either a lowercase phrase, or a line too long to be a heading that still
    has no sentence punctuation at its end (prose ends in punctuation).
    """
    text = strip_symbols(line)
    if not text or text.endswith(_TERMINAL) or text.endswith("?"):
        return False
    words = len(text.split())
    if text[0].islower():
        return words >= 3
    return words > 14 or len(text) > 90


# Calls to action a page glues to the end of a real paragraph: cut off, the
# paragraph kept ("… or create a new one. Learn more"; a fold's "...more").
TRAILING_CHROME: tuple[str, ...] = (
    r"(?:(?<=[.!?:])\s*|^)(?-i:Learn more)(?: about [^.!?]{1,40})?$",
    r"\s*(?:\.\.\.|…)\s*more$",
)
_TRAILING = [re.compile(p, re.IGNORECASE) for p in TRAILING_CHROME]


def trim_chrome(line: str) -> str:
    """The line without a call to action at its end ("" when that was all of it)."""
    for pattern in _TRAILING:
        line = pattern.sub("", line)
    return line.strip()


SENTENCE_END = (".", "!", "?", ":", ";", "…", '"', "”", "'", "’")
# A paragraph cut at a link or a bold phrase ends mid-sentence: on a comma or a
# word that cannot end one. The next piece then continues it.
_OPEN_END = re.compile(
    r"(?:,|\b(?:the|a|an|to|of|by|that|under|at|in|on|for|with|from|as|and|or|than|"
    r"into|his|her|their|its|was|were|is|are|took))$",
    re.IGNORECASE,
)


def continues(previous: str, line: str) -> bool:
    """Whether `line` is the rest of the paragraph `previous` (a page split it).

    Only an open end joins: a short heading-like paragraph ("Spying, stealing
    diapers, and burglary plans") ends on a full word and stays apart.
    """
    prev = previous.rstrip()
    if not prev or not line or prev.endswith(SENTENCE_END):
        return False
    return bool(_OPEN_END.search(prev)) or line[0].islower() or line[0] in ",;:)"


_STRAY = re.compile(r"^[a-z][a-z']*(?: [a-z][a-z']*){0,2}$")


def stray_fragment(text: str) -> bool:
    """A paragraph of one to three lowercase words and no punctuation ("per month"):
    the leftover of a widget, never prose. A list item may be that short; a
    paragraph is not."""
    return bool(_STRAY.match(text.strip()))


def join_fragments(previous: str, line: str) -> str:
    """Two pieces of one paragraph as one, spaced as prose."""
    return previous.rstrip() + ("" if line[0] in ",;:.)" else " ") + line.lstrip()


# Code that reached the text as a paragraph or quote: an interpreter prompt, a
# shell prompt or a statement's keyword at its start (case matters: prose
# starts "With", code starts "with").
_CODE_START = re.compile(
    r"^(?:>>>|\$ |\.\.\. |def \w|class \w|import \w|from [\w.]+ import |@\w|#!|"
    r"for \w+ in |with \w|if __name__|print\()"
)


def looks_like_code(text: str) -> bool:
    """Whether a quote is code or other preformatted text (Apache's scoreboard
    "______...WR...W_....") rather than words: a code start, or mostly symbols."""
    text = text.strip()
    letters = sum(ch.isalnum() for ch in text)
    return bool(_CODE_START.match(text)) or (len(text) >= 20 and letters < 0.3 * len(text))


def strip_permalink(text: str) -> str:
    """A documentation entry's term without the "¶" link after it."""
    return re.sub(r"\s*¶+\s*$", "", text).strip()


# Separators pages put between a headline and the site's name in their <title>.
_TITLE_PARTS = re.compile(r"(\s+(?:\||-{1,2}|–|—|·|::)\s+)")


def title_without_site(title: str, names: list[str]) -> str:
    """The headline without the site's name a page's <title> adds to it.

    "… Supreme Court | CNN Politics" (site "CNN"), "LinkNaija | Nigeria's popular
    news platform: Nollywood Actress …", "… Nissan PH - Auto News" (the page's
    category). Only a part at either end that is the site's name (and up to two
    words more: "CNN Politics") or a piece of it goes; "CNN's reporters - …"
    stays, and so does a title that is nothing but the site's name.
    """
    sites = [n.strip() for n in names if len(n.strip()) >= 3]

    def is_site(part: str) -> bool:
        part = part.strip()
        return len(part) >= 3 and any(
            re.fullmatch(rf"{re.escape(n)}(?:\s+[\w&]+){{0,2}}", part, re.IGNORECASE)
            or part.casefold() in n.casefold()
            for n in sites
        )

    parts = _TITLE_PARTS.split(title.strip())
    while len(parts) > 2 and is_site(parts[-1]):
        parts = parts[:-2]
    while len(parts) > 2 and is_site(parts[0]):
        parts = parts[2:]
    text = "".join(parts)
    lead = re.match(r"^([^:]{1,60}):\s+(\S.*)$", text)
    if lead and is_site(lead.group(1)):
        text = lead.group(2)
    return text


# A fold's cut-off teaser is at least this long: a shorter repeat may be the writer's.
FOLD_MIN_WORDS = 8
_FOLD_MARK = re.compile(r"\s*(?:\.\.\.|…)$")


def cut_short(text: str, following: str) -> bool:
    """Whether `text` is a cut-off start of `following`: a fold's teaser before the whole.

    Shops and blogs print the start of a long description, cut ("… and love
    th", "… and love…", a "...more" toggle after it), then the whole of it for
    the toggle to reveal; a reader reads the whole once. Only a cut that stops
    mid-sentence or on an ellipsis counts: a finished sentence said twice may
    be the writer's own refrain.
    """
    text, following = " ".join(text.split()), " ".join(following.split())
    cut = _FOLD_MARK.sub("", text)
    if len(cut.split()) < FOLD_MIN_WORDS or len(following) <= len(cut):
        return False
    return following.startswith(cut) and (cut != text or not cut.endswith(SENTENCE_END))


def unfold(text: str) -> str:
    """A paragraph that holds a fold's cut teaser and then the whole text: the whole.

    The fold's two states can be one paragraph of the page ("… and love th
    It's hard to imagine … love that Silverstein. …"), judged as `cut_short`.
    """
    text = " ".join(text.split())
    words = text.split()
    if len(words) < 2 * FOLD_MIN_WORDS:
        return text
    head = " ".join(words[:4])
    at = text.find(head, 1)
    while at > 0:
        if cut_short(text[:at], text[at:]):
            return text[at:]
        at = text.find(head, at + 1)
    return text
