"""Seconds per MB for each article parser at 1, 2, 4 and 8 MB: a flat column is linear.

The last row is narration's rule table (`normalise.speakable`) on one long word.

Parsing must stay linear in the input (issue 14): a test cannot say so without
timing, so this script measures it. Inputs are synthetic articles of each
format with the size limit raised; each row prints the parse time and the
time per MB, and the last column compares it with the 1 MB row (quadratic
work shows as a ratio near the size in MB, linear as ~1).

    .venv/bin/python scripts/bench_parse.py [--sizes 1,2,4,8] [--formats text,markdown,html]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from typing import Any

from audio_companion.article.loader import parse_text
from audio_companion.narration.normalise import speakable
from audio_companion.narration.sentences import split_sentences

MB = 1_000_000
PARA = (
    "Evening light falls slowly over the quiet town, and people walk home; "
    "Dr. Ng says the **calm** of a [walk](https://example.org) helps sleep. "
) * 3


def _sections(size: int, heading: str, para: str, every: int = 20) -> str:
    """Paragraphs to `size` characters, a heading every `every` paragraphs."""
    parts, n, i = [], 0, 0
    while n < size:
        chunk = (heading.format(i=i) if i % every == 0 else "") + para
        parts.append(chunk)
        n += len(chunk)
        i += 1
    return "".join(parts)


def synthetic(fmt: str, size: int) -> str:
    if fmt == "text":
        return "A Long Article\n\n" + _sections(size, "Part Number {i}\n\n", PARA + "\n\n")
    if fmt == "markdown":
        return "# A Long Article\n\n" + _sections(size, "## Part {i}\n\n", PARA + "\n\n")
    body = _sections(size, "<h2>Part {i}</h2>\n", f"<p>{PARA}</p>\n")
    head = "<html><head><title>A Long Article</title></head>"
    return f"{head}<body><article>{body}</article></body></html>"


def run_on_one_line(size: int) -> str:
    """A paste without a single line break or full stop: the splitter's worst case."""
    words = ("word, " * (size // 6))[:size]
    return words


def one_long_token(size: int) -> str:
    """Text without a space (a pasted hash, a minified line): the narration rules' worst
    case. A rule that may start a match inside a word rescans the word to its end from
    every character: "sys.argv[0]"'s rule took 1.1 s for 10,000 letters, 4.4 s for 20,000."""
    return ("x_A-a.1" * (size // 7 + 1))[:size]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1,2,4,8", help="MB, comma-separated")
    ap.add_argument("--formats", default="text,markdown,html")
    args = ap.parse_args()
    sizes = [float(s) for s in args.sizes.split(",")]
    print(f"{'parser':<12}{'MB':>6}{'seconds':>10}{'s/MB':>8}{'vs 1st':>8}")
    for fmt in args.formats.split(","):
        rows(
            fmt,
            sizes,
            lambda mb, f=fmt: synthetic(f, int(mb * MB)),
            lambda text, f=fmt: parse_text(text, f, f"<{f}>", max_bytes=len(text.encode()) + 1),
            lambda article: f"{len(article.sections)} sections",
        )
    rows(
        "sentences",
        sizes,
        lambda mb: run_on_one_line(int(mb * MB)),
        split_sentences,
        lambda pieces: f"{len(pieces)} pieces",
    )
    rows(  # a hundredth of the sizes: 10,000 to 80,000 characters of one word
        "one token",
        [mb / 100 for mb in sizes],
        lambda mb: one_long_token(int(mb * MB)),
        speakable,
        lambda said: f"{len(said)} characters said",
    )


def rows(
    label: str,
    sizes: list[float],
    make: Callable[[float], str],
    parse: Callable[[str], Any],
    describe: Callable[[Any], str],
) -> None:
    """One line per size: seconds, seconds per MB, and that against the first size."""
    first = None
    for mb in sizes:
        text = make(mb)
        start = time.perf_counter()
        result = parse(text)
        took = time.perf_counter() - start
        per = took / mb
        first = first or per
        print(
            f"{label:<12}{mb:>6g}{took:>10.2f}{per:>8.2f}{per / first:>8.2f}   ({describe(result)})"
        )


if __name__ == "__main__":
    main()
