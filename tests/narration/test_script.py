from audio_companion.article import Block, BlockKind, Section, parse_text
from audio_companion.narration.script import episode_script
from audio_companion.podcast.plan import shape_sections


def test_script_reads_intro_subheadings_and_outro(sample_text: str) -> None:
    article = parse_text(sample_text, "text")
    section = article.sections[0]
    lines = episode_script("My Show", 1, section)
    assert lines[0].kind == "intro" and "Episode one" in lines[0].text
    assert lines[0].display == f"My Show — Episode 1: {section.title}"
    assert lines[0].text.startswith("My Show.")
    chapters = [ln.chapter for ln in lines if ln.chapter]
    assert chapters == [s.title for s in section.subsections]
    assert lines[-1].kind == "outro"
    assert all(ln.pause_after > 0 for ln in lines)
    # list items are read with their labels and a shorter pause than paragraphs
    items = [ln for ln in lines if ln.kind == "list_item"]
    assert items[0].text.startswith("High.") and items[0].display.startswith("• High: ")
    assert items[0].pause_after < items[-1].pause_after
    # a list of three is announced before it is read
    assert lines[lines.index(items[0]) - 1].text == "Here are three points."


def test_callouts_get_a_spoken_lead_in_and_keep_their_written_form(sample_text: str) -> None:
    article = parse_text(sample_text, "text")
    lines = [ln for s in article.sections for ln in episode_script("S", 1, s)]
    callouts = {ln.display.split(":")[0]: ln.text for ln in lines if ln.kind == "callout"}
    assert callouts["Tip"].startswith("Here's a tip. Pick a fixed time")
    assert callouts["Brain Byte"].startswith("A brain byte. ")
    assert callouts["Lab to Life"].startswith("From the lab to daily life. ")


def _section(title: str, words: int, subs: tuple[Section, ...] = ()) -> Section:
    text = " ".join(["word"] * words) + "."
    return Section(title, (Block(BlockKind.PARAGRAPH, text),), subs)


def test_tiny_sections_join_the_next_one_as_its_first_chapter() -> None:
    shaped = shape_sections((_section("Tiny", 10), _section("Big", 300)), "Show")
    assert [s.title for s in shaped] == ["Big"]
    assert [c.title for c in shaped[0].subsections] == ["Tiny", "Big"]
    assert shaped[0].blocks == ()


def test_a_tiny_last_section_closes_the_previous_episode() -> None:
    shaped = shape_sections((_section("Big", 300), _section("Tiny", 10)), "Show")
    assert [s.title for s in shaped] == ["Big"]
    assert [c.title for c in shaped[0].subsections] == ["Tiny"]


def test_very_long_sections_split_at_sub_sections() -> None:
    subs = tuple(_section(f"Part {k}", 3000) for k in range(4))  # ~18 min each
    shaped = shape_sections((Section("Long", (), subs),), "Show")
    assert [s.title for s in shaped] == [f"Long, part {k}" for k in range(1, 5)]
    assert [len(s.subsections) for s in shaped] == [1, 1, 1, 1]
    assert shape_sections((_section("Fine", 300),), "Show")[0].title == "Fine"


def test_an_article_of_one_episode_names_no_episode_and_its_title_once() -> None:
    body = (Block(BlockKind.PARAGRAPH, "We talk for ten minutes before sleep."),)
    same = Section("Winding Down, Together", body)
    other = Section("Lights Low", body)
    intro = episode_script("Winding down together", 1, same, only=True)[0]
    assert intro.text == "Winding down together." and intro.display == "Winding down together"
    intro = episode_script("Winding down together", 1, other, only=True)[0]
    assert intro.text == "Winding down together. Lights Low."
    assert intro.display == "Winding down together — Lights Low"
    # One of several: the number is said, as before.
    intro = episode_script("Winding down together", 1, same)[0]
    assert intro.text == "Winding down together. Episode one: Winding Down, Together."


def test_code_is_announced_once_per_run_briefly_after_the_first_and_read_when_it_is_speech() -> (
    None
):
    para = Block(BlockKind.PARAGRAPH, "Start the interpreter and type the loop.")
    code = Block(BlockKind.CODE, "for i in range(3):\n    print(i)")
    value = Block(BlockKind.CODE, "0.33")
    section = Section(
        "Loops",
        (para, code, Block(BlockKind.CODE, ">>> x = 1"), para, code, para, value),
        (Section("More", (code,)),),
    )
    said = [ln.text for ln in episode_script("Docs", 1, section) if ln.kind == "code"]
    assert said == [
        "The article shows a code example here, which is best read on the page.",
        "Another code example follows on the page.",
        "zero point three three",
        "Another code example follows on the page.",
    ]
    shown = [ln.display for ln in episode_script("Docs", 1, section) if ln.kind == "code"]
    assert shown[0] == "for i in range(3):\n    print(i)\n\n>>> x = 1"  # the whole run
