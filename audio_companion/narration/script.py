"""The narration script of an episode: what is said, in order, and the pauses.

Pure data from an article section; rendering to audio happens elsewhere, so
the script can be printed (`audio-companion script`), tested, diffed and
cached without any speech engine. Every line keeps its written form (what a
person reads on the page) beside its speech form (what the voice says), and
the narrator only ever reads the speech form of this script.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

from audio_companion.article.model import Block, BlockKind, Section
from audio_companion.narration.lexicon import Lexicon
from audio_companion.narration.normalise import speakable as _speakable
from audio_companion.narration.pacing import Pacing
from audio_companion.numbers import number_to_words

# Code is not read aloud (symbols make poor speech): the listener is sent to the page,
# once per run of code blocks, in full the first time in an episode and briefly after
# (a documentation page said the long sentence eight times in one episode).
CODE_EXAMPLE = "The article shows a code example here, which is best read on the page."
CODE_AGAIN = "Another code example follows on the page."
# Code that is already speech: a number or a few plain words ("0.33", "Hello world").
_SPEECH_LIKE_CODE = re.compile(r"[-+]?\d[\d.,]*%?|[A-Za-z]+(?: [A-Za-z]+){0,3}[.!?]?")

# What the voice says before a callout, by its written lead ("Tip:" …).
CALLOUT_LEAD_INS = {
    "tip": "Here's a tip.",
    "quick tip": "A quick tip.",
    "pro tip": "A tip.",
    "brain byte": "A brain byte.",
    "lab to life": "From the lab to daily life.",
    "neuro tip": "A tip from neuroscience.",
    "neuro insight": "An insight from neuroscience.",
    "note": "A note.",
    "remember": "Remember this.",
    "key takeaway": "The key takeaway.",
    "takeaway": "The takeaway.",
    "try this": "Something to try.",
    "warning": "A word of caution.",
    "did you know": "Did you know?",
    "fact": "A fact.",
    "see also": "See also.",
    "important": "An important point.",
    "caution": "A word of caution.",
    "hint": "A hint.",
}

# Speaking rate used to estimate how long a script will last before any audio exists.
ESTIMATE_WPM = 165


@dataclass(frozen=True)
class Line:
    text: str  # the speech form: what the voice says
    pause_after: float
    kind: str = "paragraph"
    chapter: str | None = None  # set on the first line of a sub-section
    display: str = ""  # the written form, as on the page

    @property
    def shown(self) -> str:
        return self.display or self.text


def _sentence(text: str) -> str:
    """End a spoken heading or title with a full stop, unless it has its own."""
    return text if text.endswith((".", "?", "!")) else text + "."


def _cap(text: str) -> str:
    """A sentence after a spoken label starts with a capital, as it is read as one."""
    return text[:1].upper() + text[1:]


def _lead_in(label: str) -> str:
    return CALLOUT_LEAD_INS.get(label.lower(), f"{label}.")


def _list_intro(count: int) -> str:
    return f"Here are {number_to_words(count)} points." if count > 2 else ""


def _code(run: tuple[Block, ...], pauses: Mapping[str, float], say: Callable[[str], str]) -> Line:
    """One line for a run of code blocks: read when it is speech already, else announced."""
    written = "\n\n".join(b.text for b in run)
    if len(run) == 1 and _SPEECH_LIKE_CODE.fullmatch(written.strip()):
        return Line(say(written.strip()), pauses["paragraph"], "code", display=written)
    return Line(CODE_EXAMPLE, pauses["paragraph"], "code", display=written)


def _code_again(lines: list[Line]) -> list[Line]:
    """Every announcement of code after an episode's first in its brief form."""
    out, seen = [], False
    for line in lines:
        if line.kind == "code" and line.text == CODE_EXAMPLE:
            out.append(replace(line, text=CODE_AGAIN) if seen else line)
            seen = True
        else:
            out.append(line)
    return out


def _blocks(
    blocks: tuple[Block, ...],
    lexicon: Lexicon | None,
    pauses: Mapping[str, float],
) -> list[Line]:

    def speakable(text: str) -> str:
        return _speakable(text, lexicon)

    out: list[Line] = []
    i = 0
    while i < len(blocks):
        block = blocks[i]
        if block.kind is BlockKind.CODE:
            j = i
            while j < len(blocks) and blocks[j].kind is BlockKind.CODE:
                j += 1
            out.append(_code(blocks[i:j], pauses, speakable))
            i = j
            continue
        if block.kind is BlockKind.LIST_ITEM:
            j = i
            while j < len(blocks) and blocks[j].kind is BlockKind.LIST_ITEM:
                j += 1
            run = blocks[i:j]
            intro = _list_intro(len(run))
            if intro:
                out.append(Line(intro, pauses["list_intro"], "list_intro"))
            for k, item in enumerate(run):
                written = f"{item.label}: {item.text}" if item.label else item.text
                spoken = speakable(f"{item.label}. {_cap(item.text)}" if item.label else item.text)
                pause = pauses["list_end" if k == len(run) - 1 else "list_item"]
                if spoken:
                    out.append(Line(spoken, pause, "list_item", display=f"• {written}"))
            i = j
            continue
        if spoken := speakable(block.text):
            out.append(_said(block, spoken, pauses))
        i += 1
    return out


def _said(block: Block, spoken: str, pauses: Mapping[str, float]) -> Line:
    """A paragraph, callout or quote as said and shown; `spoken` is its text made speakable.

    The three differ only in their framing words, pause and display, so they
    share one Line here; the Line's kind is the block's.
    """
    if block.kind is BlockKind.CALLOUT:
        said = f"{_lead_in(block.label)} {_cap(spoken)}"
        return Line(said, pauses["callout"], "callout", display=f"{block.label}: {block.text}")
    if block.kind is BlockKind.QUOTE:
        said, display = f"Quote. {spoken} End quote.", f"> {block.text}"
    else:
        said, display = spoken, block.text
    return Line(said, pauses["paragraph"], block.kind.value, display=display)


def episode_script(
    show_title: str,
    number: int,
    section: Section,
    lexicon: Lexicon | None = None,
    pacing: Pacing | None = None,
    *,
    only: bool = False,
) -> list[Line]:
    """Every line of one episode, with the pauses of `pacing` (the usual ones if None).

    `only`: the article is this one episode, so the intro names no episode
    number, and names the title once when the section carries the show's own
    title ("Title. Episode one: Title." was heard as a stutter).
    """
    pauses = (pacing or Pacing()).line_pauses

    def speakable(text: str) -> str:
        return _speakable(text, lexicon)

    show, title = _sentence(speakable(show_title)), _sentence(speakable(section.title))
    if not only:
        said = f"{show} Episode {number_to_words(number)}: {title}"
        display = f"{show_title} — Episode {number}: {section.title}"
    elif _same_title(show_title, section.title):
        said, display = show, show_title
    else:
        said, display = f"{show} {title}", f"{show_title} — {section.title}"
    lines = [Line(said, pauses["intro"], "intro", display=display)]
    lines.extend(_blocks(section.blocks, lexicon, pauses))
    for sub in section.subsections:
        last = lines[-1]
        lines[-1] = Line(
            last.text,
            max(last.pause_after, pauses["before_heading"]),
            last.kind,
            last.chapter,
            last.display,
        )
        lines.append(
            Line(
                _sentence(speakable(sub.title)),
                pauses["heading"],
                "heading",
                sub.title,
                display=sub.title,
            )
        )
        lines.extend(_blocks(sub.blocks, lexicon, pauses))
    lines.append(
        Line(
            _sentence(f"That was {speakable(section.title)}"),
            pauses["outro"],
            "outro",
            display=f"(end of {section.title})",
        )
    )
    return _code_again(lines)


def _same_title(a: str, b: str) -> bool:
    """Two titles that read the same aloud: case, spacing and punctuation aside."""

    def letters(text: str) -> str:
        return " ".join("".join(c if c.isalnum() else " " for c in text.casefold()).split())

    return letters(a) == letters(b)


def estimated_seconds(lines: list[Line], wpm: int = ESTIMATE_WPM) -> float:
    """How long the script will take to read, before any audio exists."""
    words = sum(len(line.text.split()) for line in lines)
    return words / wpm * 60 + sum(line.pause_after for line in lines)


def script_text(lines: list[Line]) -> str:
    """The script as readable text, for show notes, transcripts and hashing."""
    return "\n".join(line.text for line in lines)
