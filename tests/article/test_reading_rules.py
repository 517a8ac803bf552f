"""How a reader handles four shapes of page the corpus showed (tests/article/corpus).

A generic site name as the <title>, a fold that prints a description twice,
a table's title set as a heading, and API signatures. Each is shown on a page
written here, and on a close shape that must stay as it is.
"""

from __future__ import annotations

from audio_companion.article.html import parse_html
from audio_companion.article.lines import cut_short, unfold
from audio_companion.article.model import Article

LONG = (
    "The harbour lamps were switched on again last night after two years of repairs, "
    "and the old quay filled with people walking slowly in both directions."
)
MORE = (
    "Most of the walkers said the light made the evening feel longer, and that the walk "
    "had become a habit they shared with a friend."
)


def _texts(article: Article) -> list[str]:
    return [b.text for s in article.sections for b in s.all_blocks()]


# 2. A fold that prints the start of a text, cut, and then the whole of it.


def test_a_cut_teaser_before_the_whole_text_is_the_folds() -> None:
    cut = LONG[:100]  # "… and the old qu"
    assert cut_short(cut, LONG)
    assert cut_short(cut + "...", LONG) and cut_short(cut + "…", LONG)
    assert unfold(f"{cut} {LONG}") == LONG
    first = LONG.split(", and")[0] + "."  # a finished sentence said twice: the writer's
    assert not cut_short(first, first + " " + MORE)
    assert unfold(f"{first} {first} {MORE}") == f"{first} {first} {MORE}"
    assert not cut_short("The harbour lamps", LONG)  # too short to be a teaser


def test_a_description_printed_twice_by_its_fold_is_read_once() -> None:
    one = (
        "<html><head><title>Lamp</title></head><body><article><h1>Brass Lamp</h1>"
        f"<h2>Description</h2><p>{LONG[:100]} {LONG} ...more</p>"
        f"<h2>Care</h2><p>{MORE}</p></article></body></html>"
    )
    two = one.replace(f"{LONG[:100]} {LONG} ...more", f"{LONG[:100]}...</p><p>{LONG}")
    for page in (one, two):
        description = parse_html(page).sections[0]
        assert [b.text for b in description.blocks] == [LONG]
