import pytest

from audio_companion.article import parse_text
from audio_companion.podcast.script import episode_script
from audio_companion.podcast.speech_text import speakable


@pytest.mark.parametrize(
    ("written", "spoken"),
    [
        ("try it for 3–5 minutes", "try it for 3 to 5 minutes"),
        ("about 80% of the time", "about 80 percent of the time"),
        ("small habits, e.g. a note", "small habits, for example a note"),
        ("see https://example.com/x now", "see now"),
        ("as shown[3] before", "as shown before"),
        ("Smith et al. found", "Smith and colleagues found"),
        ("Tea & biscuits", "Tea and biscuits"),
    ],
)
def test_speakable(written: str, spoken: str) -> None:
    assert speakable(written) == spoken


def test_script_reads_intro_subheadings_and_outro(sample_text: str) -> None:
    article = parse_text(sample_text, "text")
    section = article.sections[0]
    lines = episode_script("My Show", 1, section)
    assert lines[0].kind == "intro" and "Episode 1" in lines[0].text
    assert lines[0].text.startswith("My Show.")
    chapters = [ln.chapter for ln in lines if ln.chapter]
    assert chapters == [s.title for s in section.subsections]
    assert lines[-1].kind == "outro"
    assert all(ln.pause_after > 0 for ln in lines)
    # list items are read with their labels and a shorter pause than paragraphs
    items = [ln for ln in lines if ln.kind == "list_item"]
    assert items[0].text.startswith("High.")
    assert items[0].pause_after < items[-1].pause_after
