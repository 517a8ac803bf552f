"""What a published feed promises its subscribers: stable identities, cheap
rebuilds, one build at a time, and a cover apps accept."""

from __future__ import annotations

import dataclasses
import re
import shutil
import threading
from pathlib import Path

import pytest
from helpers import FakeSynth, needs_media
from PIL import Image

from audio_companion.article import Article, parse_text
from audio_companion.errors import BuildError, InputError
from audio_companion.fsutil import folder_lock
from audio_companion.podcast.build import LOCK_FILE, build
from audio_companion.podcast.plan import plan_episodes
from audio_companion.podcast.settings import BuildSettings, ShowSettings
from audio_companion.publish.manifest import MANIFEST_FILE, load_manifest
from audio_companion.publish.validate import validate_folder

pytestmark = needs_media
DAY = 86_400.0
FIRST = 1_790_000_000.0
EDITED = "Days can pass where the only conversations are about chores."


def settings(out: Path, when: float = FIRST, **show: object) -> BuildSettings:
    return BuildSettings(out_dir=out, published=when, show=ShowSettings(**show))  # type: ignore[arg-type]


def identities(feed_xml: str) -> dict[str, tuple[str, str]]:
    """title -> (guid, pubDate) for every item of a feed."""
    items = re.findall(r"<item>(.*?)</item>", feed_xml, re.S)
    out = {}
    for item in items:
        title = re.search(r"<title>(.*?)</title>", item).group(1)  # type: ignore[union-attr]
        guid = re.search(r"<guid[^>]*>(.*?)</guid>", item).group(1)  # type: ignore[union-attr]
        date = re.search(r"<pubDate>(.*?)</pubDate>", item).group(1)  # type: ignore[union-attr]
        out[title] = (guid, date)
    return out


@pytest.fixture(scope="module")
def sample(sample_text: str) -> Article:
    return parse_text(sample_text, "text")


def test_identities_survive_rebuilds_edits_and_a_fresh_folder(
    tmp_path: Path, sample_text: str, sample: Article
) -> None:
    out = tmp_path / "feed"
    build([sample], settings(out), FakeSynth())
    first = identities((out / "feed.xml").read_text())
    assert len(first) == 5 and len({g for g, _ in first.values()}) == 5

    # A day later, nothing changed: same GUIDs, same dates.
    build([sample], settings(out, FIRST + DAY), FakeSynth())
    assert identities((out / "feed.xml").read_text()) == first

    # Two days later, one paragraph edited: still the same GUIDs and dates.
    edited = parse_text(sample_text.replace(EDITED, "Weeks can go by on chores alone."), "text")
    result = build([edited], settings(out, FIRST + 2 * DAY), FakeSynth())
    assert len(result.rendered) == 1
    assert identities((out / "feed.xml").read_text()) == first

    # Elsewhere, with only the manifest copied over: the same again.
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.copy(out / MANIFEST_FILE, elsewhere / MANIFEST_FILE)
    build([edited], settings(elsewhere, FIRST + 3 * DAY), FakeSynth())
    assert identities((elsewhere / "feed.xml").read_text()) == first
    # … whereas without it the dates would be those of that build.
    bare = tmp_path / "bare"
    build([edited], settings(bare, FIRST + 3 * DAY), FakeSynth())
    assert identities((bare / "feed.xml").read_text()) != first


def section(title: str, topic: str) -> str:
    body = (
        f"A few words on {topic}: it helps to keep it small, to do it at the same time each "
        "day, and to forgive the days it does not happen. Start with one minute and let it "
        "grow only when it feels easy. Notice what changes after a week, and talk about it. "
    )
    return f"## {title}\n\n{body * 3}\n\n"


def test_a_new_section_gets_a_new_guid_and_todays_date(tmp_path: Path) -> None:
    out = tmp_path / "feed"
    text = "# Small Habits\n\n" + section("Mornings", "mornings") + section("Evenings", "evenings")
    build([parse_text(text, "markdown")], settings(out), FakeSynth())
    before = identities((out / "feed.xml").read_text())
    assert list(before) == ["Evenings", "Mornings"]  # newest first

    grown = parse_text(text + section("Weekends", "weekends"), "markdown")
    build([grown], settings(out, FIRST + DAY), FakeSynth())
    after = identities((out / "feed.xml").read_text())
    new = after.pop("Weekends")
    assert after == before
    assert new[0] not in {g for g, _ in before.values()}
    assert "22 Sep 2026" in new[1] and all("21 Sep 2026" in d for _, d in before.values())


def test_a_no_op_rebuild_touches_nothing(tmp_path: Path, sample: Article) -> None:
    out = tmp_path / "feed"
    build([sample], settings(out), FakeSynth())
    stamps = {p.name: p.stat().st_mtime_ns for p in out.iterdir() if p.name != LOCK_FILE}
    synth = FakeSynth()
    result = build([sample], settings(out), synth)
    assert synth.calls == [] and result.rendered == ()
    assert {p.name: p.stat().st_mtime_ns for p in out.iterdir() if p.name != LOCK_FILE} == stamps


def test_a_deleted_episode_file_is_made_again(tmp_path: Path, sample: Article) -> None:
    out = tmp_path / "feed"
    build([sample], settings(out), FakeSynth())
    victim = plan_episodes([sample], settings(out))[2].file_name
    (out / victim).unlink()
    result = build([sample], settings(out), FakeSynth())
    assert result.rendered == (victim,) and not validate_folder(out)


def test_two_builds_at_once_do_not_share_a_folder(tmp_path: Path, sample: Article) -> None:
    out = tmp_path / "feed"
    out.mkdir()
    held = threading.Event()
    release = threading.Event()

    def other_build() -> None:  # stands in for a second process holding the lock
        with folder_lock(out, LOCK_FILE):
            held.set()
            release.wait(10)

    # flock locks belong to open files, so a second open in this process conflicts too.
    t = threading.Thread(target=other_build)
    t.start()
    held.wait(5)
    try:
        with pytest.raises(BuildError, match=r"another build is writing to .*--out"):
            build([sample], settings(out), FakeSynth())
    finally:
        release.set()
        t.join()
    assert not (out / "feed.xml").exists()
    build([sample], settings(out), FakeSynth())  # and once it is gone, building works


def test_a_damaged_manifest_is_refused_with_a_way_out(tmp_path: Path, sample: Article) -> None:
    out = tmp_path / "feed"
    build([sample], settings(out), FakeSynth())
    (out / MANIFEST_FILE).write_text("{ not json", encoding="utf-8")
    with pytest.raises(BuildError, match=r"manifest\.json is damaged.*restore it"):
        build([sample], settings(out), FakeSynth())


def test_the_manifest_records_what_was_published(tmp_path: Path, sample: Article) -> None:
    out = tmp_path / "feed"
    result = build([sample], settings(out), FakeSynth())
    manifest = load_manifest(out)
    assert sorted(r.guid for r in manifest.episodes.values()) == sorted(
        e.guid for e in result.episodes
    )
    for record in manifest.episodes.values():
        assert (out / record.file_name).stat().st_size == record.size
        assert -20.0 <= (record.lufs or 0) <= -18.0


def cover(path: Path, size: tuple[int, int], mode: str = "RGB", fmt: str = "PNG") -> Path:
    Image.new(mode, size, "white" if mode != "CMYK" else (0, 0, 0, 0)).save(path, format=fmt)
    return path


def test_a_given_cover_is_checked_and_copied(tmp_path: Path, sample: Article) -> None:
    good = cover(tmp_path / "art.jpg", (1400, 1400), fmt="JPEG")
    out = tmp_path / "feed"
    build([sample], settings(out, cover=good), FakeSynth())
    assert (out / "cover.jpg").read_bytes() == good.read_bytes()
    assert 'href="http://localhost:8000/cover.jpg"' in (out / "feed.xml").read_text()
    assert not (out / "cover.png").exists()


@pytest.mark.parametrize(
    ("name", "size", "mode", "fmt", "message"),
    [
        ("wide.png", (1600, 1400), "RGB", "PNG", "must be square"),
        ("tiny.png", (600, 600), "RGB", "PNG", "1400-3000 px"),
        ("print.jpg", (1400, 1400), "CMYK", "JPEG", "colour mode is CMYK"),
        ("alpha.png", (1400, 1400), "RGBA", "PNG", "colour mode is RGBA"),
        ("liar.jpg", (1400, 1400), "RGB", "PNG", "a PNG but named .jpg"),
    ],
)
def test_a_bad_cover_is_refused_before_anything_is_made(
    tmp_path: Path,
    sample: Article,
    name: str,
    size: tuple[int, int],
    mode: str,
    fmt: str,
    message: str,
) -> None:
    bad = cover(tmp_path / name, size, mode, fmt)
    out = tmp_path / "feed"
    with pytest.raises(InputError, match=message):
        build([sample], settings(out, cover=bad), FakeSynth())
    assert not list(out.glob("*.mp3"))


def test_the_built_feed_passes_validation_and_has_a_page(tmp_path: Path, sample: Article) -> None:
    out = tmp_path / "feed"
    result = build(
        [sample], dataclasses.replace(settings(out), breathing=(("box", 1.0),)), FakeSynth()
    )
    assert not validate_folder(out)
    page = (out / "index.html").read_text("utf-8")
    for ep in result.episodes:
        assert ep.url.rsplit("/", 1)[-1] in page
    assert "http://localhost:8000/feed.xml" in page


OTHER_SHOW = """Evening Walks

Why walk

A short walk after dinner settles the day. It gives two people a reason to talk
side by side, which is easier than face to face.

How to start

Pick a loop that takes ten minutes. Leave the phones at home.
"""


class StopsAtFirstWord(FakeSynth):
    """The build of another article, stopped (Ctrl+C) once narration begins."""

    identity = "fake:stops"

    def synthesize(self, text: str):  # type: ignore[no-untyped-def]
        raise KeyboardInterrupt


def test_a_stopped_build_of_another_article_leaves_the_cover_alone(
    tmp_path: Path, sample: Article
) -> None:
    out = tmp_path / "feed"
    build([sample], settings(out), FakeSynth())
    cover_a = (out / "cover.png").read_bytes()
    other = parse_text(OTHER_SHOW, "text")
    with pytest.raises(KeyboardInterrupt):
        build([other], settings(out), StopsAtFirstWord())
    assert (out / "cover.png").read_bytes() == cover_a
    assert validate_folder(out) == []
    result = build([sample], settings(out), FakeSynth())
    assert result.rendered == () and (out / "cover.png").read_bytes() == cover_a


def test_a_cover_that_is_not_the_published_one_fails_validation_and_is_redrawn(
    tmp_path: Path, sample: Article
) -> None:
    out, other_out = tmp_path / "feed", tmp_path / "other"
    build([sample], settings(out), FakeSynth())
    build([parse_text(OTHER_SHOW, "text")], settings(other_out), FakeSynth())
    cover_a = (out / "cover.png").read_bytes()
    shutil.copyfile(other_out / "cover.png", out / "cover.png")  # another show's title on it
    problems = validate_folder(out)
    assert [p.where for p in problems] == ["cover.png"]
    assert "build again" in problems[0].message
    build([sample], settings(out), FakeSynth())
    # Redrawn under a new name: the feed and its cover switch together.
    href = re.search(
        r'<itunes:image href="http://localhost:8000/([^"]+)"', (out / "feed.xml").read_text()
    )
    assert href is not None and href.group(1) != "cover.png"
    assert (out / href.group(1)).read_bytes() == cover_a and validate_folder(out) == []
    assert not (out / "cover.png").exists()  # the altered one went once the feed moved on


class ScratchSynth(FakeSynth):
    """Writes each sentence to a temporary file first, as the espeak-ng driver does."""

    identity = "fake:scratch"

    def __init__(self) -> None:
        super().__init__()
        self.scratch: list[Path] = []

    def synthesize(self, text: str):  # type: ignore[no-untyped-def]
        import tempfile

        with tempfile.NamedTemporaryFile(suffix=".wav") as f:
            self.scratch.append(Path(f.name))
        return super().synthesize(text)


def test_scratch_files_live_in_the_staging_folder_and_a_later_build_clears_them(
    tmp_path: Path, sample: Article
) -> None:
    out = tmp_path / "feed"
    stale = out / ".staging" / ".tmp" / "left-by-a-killed-build.wav"
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"RIFF")
    synth = ScratchSynth()
    build([sample], settings(out), synth)
    assert synth.scratch and all(p.parent == out / ".staging" / ".tmp" for p in synth.scratch), (
        synth.scratch[:2]
    )
    assert not (out / ".staging").exists()
    assert not [p for p in out.iterdir() if p.name.startswith(".tmp")]
