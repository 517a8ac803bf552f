import json

import pytest
from helpers import GOLDEN, SEED, SEED_TITLES  # type: ignore[import-not-found, unused-ignore]  # tests/ on sys.path

from audio_companion.article import BlockKind, parse_text
from audio_companion.article.lines import chrome_kind, looks_like_caption, looks_like_heading


def test_sample_sections_match_golden(sample_text: str) -> None:
    article = parse_text(sample_text, "text")
    golden = json.loads((GOLDEN / "sample_article.sections.json").read_text("utf-8"))
    got = {
        "title": article.title,
        "teaser": article.teaser,
        "highlights": len(article.highlights),
        "citations": len(article.citations),
        "sections": [
            {"title": s.title, "subsections": [x.title for x in s.subsections]}
            for s in article.sections
        ],
    }
    assert got == golden


def test_sample_drops_captions_chrome_and_emoji(sample_text: str) -> None:
    article = parse_text(sample_text, "text")
    spoken = " ".join(b.text for s in article.sections for b in s.all_blocks())
    assert "mugs of tea" not in spoken  # image caption
    assert "Previous Article" not in spoken and "Newsletter" not in spoken
    assert "Press play" not in spoken
    assert not any(ord(ch) > 0x2000 and ch not in "–—’“”…" for ch in spoken), "emoji left in"
    assert all(
        "(2012)" not in b.text or "Algoe" in b.text
        for s in article.sections
        for b in s.all_blocks()
    )


def test_sample_callouts_and_lists_are_typed(sample_text: str) -> None:
    article = parse_text(sample_text, "text")
    blocks = [b for s in article.sections for b in s.all_blocks()]
    labels = {b.label for b in blocks if b.kind is BlockKind.CALLOUT}
    assert {"Tip", "Brain Byte", "Lab to Life"} <= labels
    items = [b for b in blocks if b.kind is BlockKind.LIST_ITEM]
    assert [b.label for b in items] == ["High", "Low", "Need"]


@pytest.mark.skipif(not SEED.exists(), reason="the seed article lives in ../shared")
def test_seed_article_has_twelve_main_sections() -> None:
    article = parse_text(SEED.read_text("utf-8"), "text")
    titles = [s.title.replace("\u2019", "'") for s in article.sections]
    assert titles == SEED_TITLES
    assert [s.title for s in article.sections[1].subsections] == [
        "The Emotional Alarm of Betrayal",
        "The Stress Cascade",
        "Attachment System Breakdown",
    ]


def test_headings_without_captions_are_all_main_sections() -> None:
    text = "My Title\n\nFirst Part\n\nSome words here.\n\nSecond Part\n\nMore words here.\n"
    article = parse_text(text, "text")
    assert [s.title for s in article.sections] == ["First Part", "Second Part"]


@pytest.mark.parametrize(
    ("line", "heading", "caption"),
    [
        ("The Stress Cascade", True, False),
        ("Can Trust Be Rebuilt?", True, False),
        ("This is a sentence.", False, False),
        ("woman holding a cup of tea by a window", False, True),
        ("Ends with a colon:", False, False),
    ],
)
def test_line_shapes(line: str, heading: bool, caption: bool) -> None:
    assert looks_like_heading(line) is heading
    assert looks_like_caption(line) is caption


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("Previous Article", "stop"),
        ("Leave a Comment", "stop"),
        ("Subscribe to our Newsletter", "stop"),
        ("⬇️ Prefer to listen instead? ⬇️", "skip"),
        ("✨✨", "skip"),
        ("The Stress Cascade", None),
        ("Home | Video | World | U.S. | Africa", "skip"),
        ("Tools and Widgets | RSS | Podcasts | Mobile |", "skip"),
        ("Loading weather data…", "skip"),
        ("© 2014 Example Media Group. All Rights Reserved.", "skip"),
        ("By Dana Reyes, Staff Writer", "skip"),
        ("By Dana Reyes Follow @danareyes", "skip"),
        ("Write to Dana Reyes at", "skip"),
        ("Today's five most popular stories", "skip"),
        ("Want Weekly Recs for Better Sleep? Sign Up for Our Newsletter", "skip"),
        ("Please share your videos, pictures and stories at our tips page.", "skip"),
        ("Get a glimpse of the night by clicking through our photo gallery.", "skip"),
        ("April 27, 2014 -- Updated 1531 GMT (2331 HKT)", "skip"),
        ("Write to Alejandro de la Garza at alejandro.delagarza@time.com", "skip"),
        ("More Must-Reads From TIME", "stop"),
        ("Are you in the grips of the storm? Please share your videos at iReport.", "skip"),
        # The corpus of real pages (tests/article/corpus).
        ("Part of complete coverage on", "stop"),
        ("CNN's Jason Carroll and Greg Botelho contributed to this report.", "skip"),
        ("Associated Press writers in Kabul contributed to this story.", "skip"),
        ("CNN", "skip"),
        ("AP Photo/Uncredited", "skip"),
        ("Photo: Dana Reyes", "skip"),
        ("Author: Andrew Dalke and Raymond Hettinger", "skip"),
        ("Release: 0.1", "skip"),
        ("See more photos:", "skip"),
        ("Follow ONE Esports on Facebook and Twitter for more LoL news.", "skip"),
        ("Just a heads up, some of the links on ONE Esports are affiliate links.", "skip"),
        ("Can Anything Change That? Read more. »", "skip"),
        ("Can you guess what Americans think about the spending bill?", "skip"),
        ("Contents:", "skip"),
        ("Footnotes", "skip"),
        ("---", "skip"),
        ("* * *", "skip"),
        # Real prose that looks close: kept.
        ("By then, the house was quiet.", None),
        ("By the Numbers", None),
        ("By the Numbers, a Short Guide", None),
        ("By the time we sat down, the tea was cold.", None),
        ("Copying her routine helped: lights low, phones away.", None),
        ("Either | or is a choice we rarely write down.", None),
        ("CNN's reporters asked the mayor twice.", None),
        ("She had contributed to this report's early drafts, she said, and left.", None),
        ("Photographs of the evening sky hung in the hall.", None),
        ("Authors of the most popular tools answer questions.", None),
        ("Follow the river until the path turns left.", None),
        ("We wanted to read more before we slept.", None),
        ("Can you guess the ending? Most readers cannot.", None),
        ("By nine I only wished I could read more.", None),
        ("The contents of the drawer were a mess.", None),
    ],
)
def test_chrome_table(line: str, kind: str | None) -> None:
    assert chrome_kind(line) == kind
