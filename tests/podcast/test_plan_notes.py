"""Episode show notes and dates: what opens them, and when an article's episodes are dated."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from audio_companion.article import Article, Block, BlockKind, Section
from audio_companion.podcast.plan import article_time, plan_episodes, show_notes
from audio_companion.podcast.settings import BuildSettings


def test_the_first_episode_notes_skip_the_teaser_the_show_already_describes_itself_with() -> None:
    teaser = "A short guide to the last half hour before sleep."
    section = Section(
        "Lights Low",
        (
            Block(BlockKind.PARAGRAPH, teaser),
            Block(BlockKind.PARAGRAPH, "Dim the main lights and put the phones away."),
        ),
    )
    assert show_notes(section, teaser) == "Dim the main lights and put the phones away."
    assert show_notes(section) == teaser  # another article's section: its first paragraph


def _article(written: date | None) -> Article:
    body = " ".join(["The lamps along the river stay on until midnight."] * 12)
    sections = tuple(Section(t, (Block(BlockKind.PARAGRAPH, body),)) for t in ("One", "Two"))
    return Article("Night Walks", sections, author="Ines Varga", published=written)


BUILT = datetime(2026, 6, 1, 9, 30, tzinfo=timezone.utc).timestamp()


def test_new_episodes_are_dated_on_the_articles_day_in_reading_order() -> None:
    eps = plan_episodes([_article(date(2021, 3, 4))], BuildSettings(published=BUILT))
    assert [e.published for e in eps] == [
        datetime(2021, 3, 4, 12, 0, tzinfo=timezone.utc),
        datetime(2021, 3, 4, 12, 1, tzinfo=timezone.utc),
    ]
    assert {e.author for e in eps} == {"Ines Varga"}


def test_without_a_date_or_with_one_after_the_build_episodes_take_the_build_time() -> None:
    for written in (None, date(2026, 6, 1), date(2027, 1, 1)):
        eps = plan_episodes([_article(written)], BuildSettings(published=BUILT))
        built = datetime.fromtimestamp(BUILT, timezone.utc)
        assert [e.published for e in eps] == [built - timedelta(minutes=1), built], written


def test_article_time_is_noon_utc() -> None:
    build = datetime(2026, 1, 1, tzinfo=timezone.utc)
    assert article_time(date(2025, 12, 31), build) == datetime(
        2025, 12, 31, 12, tzinfo=timezone.utc
    )
    assert article_time(date(2026, 1, 1), build) is None
    assert article_time(None, build) is None
