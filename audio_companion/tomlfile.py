"""TOML for the project's own files (decks, patterns, lexicons), with errors a
person can act on: `file:line: problem`, because the fix happens in an editor."""

from __future__ import annotations

import re
import sys

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

__all__ = ["TOMLDecodeError", "syntax_error_message", "tomllib"]

TOMLDecodeError = tomllib.TOMLDecodeError


def syntax_error_message(shown: str, text: str, error: tomllib.TOMLDecodeError) -> str:
    """tomllib's message, re-pointed at `shown:line` (it puts the place at the end)."""
    message = str(error)
    at = re.search(r"\s*\(at line (\d+), column (\d+)\)$", message)
    if at:
        problem = message[: at.start()]
        return f"{shown}:{at.group(1)}: invalid TOML at column {at.group(2)}: {problem}"
    end = re.search(r"\s*\(at end of document\)$", message)
    if end:
        message = message[: end.start()] + " at the end of the file"
    return f"{shown}:{max(len(text.splitlines()), 1)}: invalid TOML: {message}"
