"""podcast/switch.py: a build killed at any step of publishing leaves one whole feed."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from helpers import FakeSynth, needs_media

from audio_companion.article import parse_text
from audio_companion.faults import FAULT_LOG, KILL_AT
from audio_companion.podcast.build import build
from audio_companion.podcast.settings import BuildSettings, ShowSettings
from audio_companion.podcast.switch import files_of, fresh_name, in_use, strays
from audio_companion.publish.cover import published_cover
from audio_companion.publish.manifest import load_manifest
from audio_companion.publish.validate import validate_folder

REPO = Path(__file__).resolve().parents[2]
WHEN = 1_790_000_000.0
ARTICLE = """# Two Small Habits

## The evening question

Ask one question at the end of the day and listen to the whole answer. Nothing
needs fixing tonight. Sit where you can both see the window, or walk around the
block if sitting feels too formal. Let the answer be as long as it wants to be,
and do not plan your reply while you listen. When it is your turn, answer the
same question, even if your day was ordinary. Ordinary days are most days, and
hearing about them is how two people keep up with each other. If one of you is
too tired, say so, and agree to try again tomorrow at the same time.

## The morning note

Leave a short note where the other will find it. One line is enough. It can be
a thank you for something small, a reminder of a plan, or a joke only the two of
you understand. Paper works better than a phone, because it stays where it was
left and can be kept. Some couples keep a jar of them. Do not write about
problems in the notes; save those for a talk with time for it. Write the note
the night before if mornings are rushed, and put it by the kettle or the keys.
"""
# Run in a child process so that it can be killed: the same build with another voice,
# so every episode is made again and every published file is replaced.
CHILD = f"""
import sys
sys.path[:0] = [{str(REPO / "tests")!r}, {str(REPO)!r}]
from helpers import FakeSynth
from audio_companion.article import parse_text
from audio_companion.podcast.build import build
from audio_companion.podcast.settings import BuildSettings, ShowSettings
class Other(FakeSynth):
    identity = "fake:another-voice"
build([parse_text({ARTICLE!r}, "markdown")],
      BuildSettings(out_dir=__import__("pathlib").Path(sys.argv[1]), published={WHEN},
                    show=ShowSettings()),
      Other(seconds_per_char=0.012))
"""


class Other(FakeSynth):
    identity = "fake:another-voice"


def settings(out: Path) -> BuildSettings:
    return BuildSettings(out_dir=out, published=WHEN, show=ShowSettings())


def rebuild(out: Path, kill_at: str | None = None, log: Path | None = None) -> int:
    env = {k: v for k, v in os.environ.items() if k not in (KILL_AT, FAULT_LOG)}
    if kill_at is not None:
        env[KILL_AT] = kill_at
    if log is not None:
        env[FAULT_LOG] = str(log)
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(out)], env=env, capture_output=True, timeout=120
    )
    return done.returncode


def test_new_content_never_takes_a_published_name() -> None:
    taken = {"s01e01-why.mp3"}.__contains__
    assert fresh_name("s01e02-how.mp3", "3f2a9c1b77", taken) == "s01e02-how.mp3"
    assert fresh_name("s01e01-why.mp3", "3f2a9c1b77", taken) == "s01e01-why-3f2a9c1b.mp3"
    assert files_of("a-3f2a9c1b.mp3") == [
        "a-3f2a9c1b.mp3",
        "a-3f2a9c1b.chapters.json",
        "a-3f2a9c1b.vtt",
        "a-3f2a9c1b.srt",
    ]
    assert in_use(["a.mp3", "cover.png", ""]) == {*files_of("a.mp3"), "cover.png"}


def test_strays_are_only_digest_named_versions_of_planned_episodes(tmp_path: Path) -> None:
    for name in ("a-0123abcd.mp3", "a-0123abcd.vtt", "a-notahash.mp3", "b-0123abcd.mp3", "a.mp3"):
        (tmp_path / name).write_bytes(b"x")
    assert strays(tmp_path, ["a.mp3"], set()) == {"a-0123abcd.mp3", "a-0123abcd.vtt"}
    assert strays(tmp_path, ["a.mp3"], {"a-0123abcd.mp3"}) == {"a-0123abcd.vtt"}


def published_files(out: Path) -> set[str]:
    """What the folder holds besides the build's own bookkeeping."""
    return {p.name for p in out.iterdir() if not p.name.startswith(".")}


@needs_media
def test_a_build_killed_at_any_step_of_publishing_leaves_a_whole_feed(tmp_path: Path) -> None:
    first = tmp_path / "first"
    build([parse_text(ARTICLE, "markdown")], settings(first), FakeSynth())
    assert validate_folder(first) == []

    # Every step this rebuild passes (episodes made, files moved in, manifest,
    # feed, page, old files swept), as the build itself reports them.
    log = tmp_path / "steps.txt"
    walk = Path(shutil.copytree(first, tmp_path / "walk"))
    assert rebuild(walk, log=log) == 0
    steps = log.read_text().split()
    kinds = {s.split(":")[0] for s in steps}
    assert {"episode", "move", "manifest", "feed", "index", "sweep", "swept"} <= kinds, steps

    for n, step in enumerate(steps):
        out = Path(shutil.copytree(first, tmp_path / f"kill-{n}"))
        assert rebuild(out, kill_at=step) == -9, step  # killed there, no clean-up at all
        assert validate_folder(out) == [], step  # enclosures, sizes, cover: whole
        result = build(
            [parse_text(ARTICLE, "markdown")], settings(out), Other(seconds_per_char=0.012)
        )
        assert validate_folder(out) == [], step
        manifest = load_manifest(out)
        assert manifest.retired == (), step
        needed = in_use([r.file_name for r in manifest.episodes.values()])
        needed |= {published_cover(manifest), "feed.xml", "index.html", "manifest.json"}
        assert published_files(out) == needed, step  # nothing left over from the kill
        assert len(result.episodes) == 2
