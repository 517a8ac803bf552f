"""Episode show notes: what opens them."""

from __future__ import annotations

from audio_companion.article import Block, BlockKind, Section
from audio_companion.podcast.plan import show_notes


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
