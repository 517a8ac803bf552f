"""A pronunciation lexicon: words and acronyms mapped to how they should be said.

Lexicons are TOML files with a table for every voice and, optionally, one per engine::

    [words]                  # every voice
    HPA = "H P A"            # all-caps key: matched case-sensitively ("hpa" is left alone)
    cortisol = "cor-ti-sol"  # any other key: matched case-insensitively

    [espeak]                 # only when espeak-ng speaks (a respelling for its rules)
    REM = "rem"

A respelling that helps one engine can hurt another: espeak-ng reads "A D H D"
as four letters, but hibari reads the lone "A" as the article "uh", and it
says "ADHD" right by itself. So entries written for one engine go in its own
table (``[hibari]``, ``[piper]``, ``[espeak]``); ``for_engine`` gives the
lexicon one engine uses, its own table over ``[words]``.

Matching is whole-word. A case-insensitive match that starts with a capital keeps it
("Cortisol" -> "Cor-ti-sol"). Files are layered, later ones overriding earlier ones: the
bundled ``audio_companion/data/lexicon.toml``, then the person's
``$XDG_CONFIG_HOME/audio-companion/lexicon.toml`` (if it exists), then a per-feed file.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from audio_companion import paths
from audio_companion.errors import InputError
from audio_companion.tomlfile import syntax_error_message, tomllib
from audio_companion.tts.base import VOICE_ENGINES

BUNDLED_NAME = "lexicon.toml"


def _is_acronym(word: str) -> bool:
    """All-caps keys (letters present, none lowercase) are matched case-sensitively."""
    return any(c.isalpha() for c in word) and word == word.upper()


@dataclass(frozen=True)
class Lexicon:
    """Spoken forms by written word; build with `load`, `from_toml` or `default_lexicon`.

    `words` apply to every voice; `engines` holds each engine's own entries,
    used only through `for_engine`.
    """

    words: Mapping[str, str] = field(default_factory=dict)
    engines: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    @classmethod
    def load(cls, *paths: Path) -> Lexicon:
        """Read each TOML file in turn; entries in later files override earlier ones."""
        lexicon = cls()
        for path in paths:
            try:
                text = path.read_text("utf-8")
            except UnicodeDecodeError:
                raise InputError(f"{path}: not UTF-8 text; save the file as UTF-8") from None
            except OSError as error:
                raise InputError(f"{path}: cannot be read: {error.strerror}") from None
            lexicon = lexicon.overridden_by(cls.from_toml(text, str(path)))
        return lexicon

    @classmethod
    def from_toml(cls, text: str, shown: str = "<lexicon>") -> Lexicon:
        """Parse one lexicon file; errors are one line, ``shown:LINE: problem``."""
        try:
            table = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            raise _syntax_error(shown, text, error) from None
        tables = ("words", *VOICE_ENGINES)
        for key in table:
            if key not in tables:
                line = _line_of(text, key)
                names = ", ".join(f"[{t}]" for t in tables)
                raise InputError(f'{shown}:{line}: unknown table "{key}" (use {names})')
        words = _table(table, "words", text, shown)
        engines = {e: _table(table, e, text, shown) for e in VOICE_ENGINES if e in table}
        return cls(words, engines)

    def overridden_by(self, other: Lexicon) -> Lexicon:
        """This lexicon with `other`'s entries replacing any for the same word.

        A word `other` gives for every voice replaces this lexicon's entries for
        it in every table, engines' included: a later file's general entry is
        meant for every voice.
        """
        replaced = {_key(word) for word in other.words}
        words = _without(self.words, replaced)
        words.update(other.words)
        engines: dict[str, Mapping[str, str]] = {}
        for engine in (*self.engines, *(e for e in other.engines if e not in self.engines)):
            own = other.engines.get(engine, {})
            table = _without(self.engines.get(engine, {}), replaced | {_key(w) for w in own})
            table.update(own)
            if table:
                engines[engine] = table
        return Lexicon(words, engines)

    def for_engine(self, engine: str) -> Lexicon:
        """The lexicon `engine` reads with: its own table over the general one."""
        own = self.engines.get(engine, {})
        words = _without(self.words, {_key(w) for w in own})
        words.update(own)
        return Lexicon(words)

    def apply(self, text: str) -> str:
        """Replace every whole-word occurrence of a known word by its spoken form
        (the general table only: see `for_engine`)."""
        if not self.words:
            return text
        matcher = _matcher(tuple(sorted(self.words.items())))
        return matcher.pattern.sub(matcher.spoken, text)


def _key(word: str) -> str:
    return word if _is_acronym(word) else word.lower()


def _without(words: Mapping[str, str], keys: set[str]) -> dict[str, str]:
    return {k: v for k, v in words.items() if _key(k) not in keys}


def _table(table: Mapping[str, object], name: str, text: str, shown: str) -> dict[str, str]:
    """One table of a lexicon file (word -> spoken form), checked."""
    words = table.get(name, {})
    if not isinstance(words, dict):
        raise InputError(f"{shown}:{_line_of(text, name)}: {name} must be a [{name}] table")
    for word, spoken in words.items():
        if not word.strip() or not isinstance(spoken, str):
            line = _line_of(text, word)
            raise InputError(
                f'{shown}:{line}: "{word}" must map a word to a quoted string, like HPA = "H P A"'
            )
    return dict(words)


@dataclass(frozen=True)
class _Matcher:
    pattern: re.Pattern[str]
    exact: Mapping[str, str]  # acronyms, matched as written
    folded: Mapping[str, str]  # everything else, by lowercase form

    def spoken(self, match: re.Match[str]) -> str:
        written = match.group(0)
        if written in self.exact:
            return self.exact[written]
        spoken = self.folded[written.lower()]
        if written[:1].isupper() and spoken:
            spoken = spoken[0].upper() + spoken[1:]
        return spoken


@functools.lru_cache(maxsize=16)
def _matcher(items: tuple[tuple[str, str], ...]) -> _Matcher:
    exact = {k: v for k, v in items if _is_acronym(k)}
    folded = {k.lower(): v for k, v in items if not _is_acronym(k)}
    keys = sorted((k for k, _ in items), key=lambda k: (-len(k), k))
    parts = [re.escape(k) if k in exact else f"(?i:{re.escape(k)})" for k in keys]
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)")
    return _Matcher(pattern, exact, folded)


def _line_of(text: str, key: str) -> int:
    """The line where a key (bare, quoted, or as a [table] header) is first defined."""
    quoted = re.escape(key)
    pattern = re.compile(
        rf"""^[ \t]*(?:\[[ \t]*{quoted}[ \t]*\]|["']?{quoted}["']?[ \t]*=)""", re.M
    )
    found = pattern.search(text)
    return text.count("\n", 0, found.start()) + 1 if found else 1


def _syntax_error(shown: str, text: str, error: tomllib.TOMLDecodeError) -> InputError:
    return InputError(syntax_error_message(shown, text, error))


def user_lexicon_path(environ: Mapping[str, str] | None = None) -> Path:
    """``$XDG_CONFIG_HOME/audio-companion/lexicon.toml`` (``~/.config`` if unset or relative)."""
    return paths.lexicon_path(environ)


def bundled_lexicon() -> Lexicon:
    """The general lexicon shipped in the package."""
    text = resources.files("audio_companion").joinpath("data", BUNDLED_NAME).read_text("utf-8")
    return Lexicon.from_toml(text, f"bundled {BUNDLED_NAME}")


def default_lexicon(
    extra: Path | None = None, *, environ: Mapping[str, str] | None = None
) -> Lexicon:
    """Bundled, then the user's file if present, then `extra` (which must exist)."""
    lexicon = bundled_lexicon()
    user = user_lexicon_path(environ)
    if user.is_file():
        lexicon = lexicon.overridden_by(Lexicon.load(user))
    if extra is not None:
        lexicon = lexicon.overridden_by(Lexicon.load(extra))
    return lexicon
