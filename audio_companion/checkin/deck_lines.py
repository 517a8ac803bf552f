"""Where in a TOML file a step, a key or a word was written, for ``file:line`` messages.

`tomllib` gives values without positions, so the lines are found again in the
text: only lines that start outside any string or array can hold a table
header or a ``key =``, which keeps a "[" or "key =" inside a wording from being
mistaken for one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final


def _statement_lines(lines: Sequence[str]) -> list[int]:
    """Numbers (from 1) of the lines that start outside any string or array.

    Only those can hold a table header or a ``key =``; scanning strings and
    brackets keeps a "[" or "key =" inside a wording from being mistaken for one.
    """
    starts: list[int] = []
    quote = ""  # the open string's delimiter, if any
    depth = 0
    for number, line in enumerate(lines, 1):
        if not quote and depth == 0:
            starts.append(number)
        i = 0
        while i < len(line):
            if not quote:
                char = line[i]
                if char == "#":
                    break
                if line.startswith(('"""', "'''"), i):
                    quote = line[i : i + 3]
                    i += 3
                    continue
                if char in "\"'":
                    quote = char
                elif char == "[":
                    depth += 1
                elif char == "]":
                    depth = max(0, depth - 1)
                i += 1
            elif line[i] == "\\" and quote in ('"', '"""'):
                i += 2
            elif line.startswith(quote, i):
                i += len(quote)
                quote = ""
            else:
                i += 1
        if quote in ('"', "'"):
            quote = ""  # one-line strings cannot span lines
    return starts


_HEADER: Final = re.compile(r"\s*(\[\[?)\s*([^\[\]]+?)\s*\]\]?\s*(?:#.*)?$")


class Locator:
    """Maps "the Nth [[step]]" and "its key" back to line numbers in the raw text."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.statements = _statement_lines(self.lines)
        self.headers: list[tuple[int, str, bool]] = []  # line, dotted name, is array table
        for number in self.statements:
            match = _HEADER.match(self.lines[number - 1])
            if match:
                name = re.sub(r"\s*\.\s*", ".", match.group(2)).replace('"', "").replace("'", "")
                self.headers.append((number, name, match.group(1) == "[["))
        self.steps = [line for line, name, array in self.headers if array and name == "step"]

    def _span(self, index: int | None) -> tuple[int, int]:
        """First and last line of the top level (index None) or of the index-th step."""
        if index is None:
            start = 1
        elif index < len(self.steps):
            start = self.steps[index]
        else:  # steps written inline (step = [{...}]): point at that key
            line = self.key(None, "step")
            return line, line
        after = [line for line, _, _ in self.headers if line > start]
        return start, (after[0] - 1 if after else len(self.lines))

    def step(self, index: int) -> int:
        return self._span(index)[0]

    def key(self, index: int | None, key: str) -> int:
        """Line of ``key =`` in the step (or top level); else of a [key] table; else the start."""
        start, end = self._span(index)
        name = re.escape(key)
        pattern = re.compile(rf"\s*(?:{name}|\"{name}\"|'{name}')\s*=")
        for number in self.statements:
            if start <= number <= end and pattern.match(self.lines[number - 1]):
                return number
        table = key if index is None else f"step.{key}"
        for number, name, _ in self.headers:
            if number >= start and name == table:
                return number
        return max(start, 1)

    def find(self, index: int | None, key: str, needle: str) -> int:
        """First line from ``key =`` to the end of its table that contains `needle`."""
        first = self.key(index, key)
        end = self._span(index)[1]
        for number in range(first, end + 1):
            if needle in self.lines[number - 1]:
                return number
        return first
