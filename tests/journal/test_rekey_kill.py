"""A re-key killed at any moment leaves a whole journal: the old one or the new, never half.

Each operation runs in a child process that is killed with SIGKILL (no clean-up at all): at
every named step it passes (``AUDIO_COMPANION_KILL_AT``), and after seeded random delays spread
over the stretch where it writes files (from "keyed", once scrypt is done, to "wiped"), which
lands kills inside the export, the read-back, the fsyncs, the rename and the wipe. Then the
journal must open with the passphrase from before or after the operation and hold every
session, answer and recording; and the staging file the kill left must be gone once the
journal has been opened again.
"""

from __future__ import annotations

import dataclasses
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from child import Child  # type: ignore[import-not-found, unused-ignore]  # tests/ on sys.path

from audio_companion import faults
from audio_companion.journal import rekey, sealed
from audio_companion.journal.passphrase import Passphrase, PassphraseError
from audio_companion.journal.sealed import Kind

if TYPE_CHECKING:
    from conftest import Diary, DiaryMaker

REPO = Path(__file__).resolve().parents[2]
OLD = Passphrase("correct horse battery staple", "typed")
NEW = Passphrase("a different zoë passphrase", "typed")
RANDOM_KILLS = 8  # per operation
SEED = 20260301

CHILD = f"""
import sys
sys.path[:0] = [{str(REPO)!r}]
from pathlib import Path
from audio_companion.journal import rekey
from audio_companion.journal.passphrase import Passphrase
passed = rekey.fault_point
def announce(step):  # each step on stdout as it is reached, for the test's clock
    print(step, flush=True)
    passed(step)
rekey.fault_point = announce
operation, path = sys.argv[1], Path(sys.argv[2])
old, new = Passphrase({OLD.secret!r}, "typed"), Passphrase({NEW.secret!r}, "typed")
print("go", flush=True)
if operation == "encrypt":
    rekey.encrypt(path, old)
elif operation == "decrypt":
    rekey.decrypt(path, old)
else:
    rekey.change(path, old, new)
print("done", flush=True)
"""

# operation -> (the passphrase before, after); None: a plain journal
STATES: dict[str, tuple[Passphrase | None, Passphrase | None]] = {
    "encrypt": (None, OLD),
    "decrypt": (OLD, None),
    "change": (OLD, NEW),
}


def environment(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in (faults.KILL_AT, faults.FAULT_LOG)}
    return {**env, **extra}


@pytest.fixture(scope="module")
def originals(tmp_path_factory: pytest.TempPathFactory, diary_factory: DiaryMaker) -> Diary:
    """One diary (40 check-ins, 60 recordings of 5 s: about 10 MB, so that writing it takes a
    while), made once, in its plain form and sealed with OLD beside it, copied for every kill."""
    folder = tmp_path_factory.mktemp("originals")
    made: Diary = diary_factory(folder / "plain" / "journal.sqlite3", 40, every=2, seconds=5.0)
    (folder / "sealed").mkdir(mode=0o700)
    shutil.copy2(made.path, folder / "sealed" / "journal.sqlite3")
    rekey.encrypt(folder / "sealed" / "journal.sqlite3", OLD)
    return made


def copy_for(originals: Diary, operation: str, folder: Path) -> Diary:
    source = "plain" if operation == "encrypt" else "sealed"
    folder.mkdir(mode=0o700)
    path = folder / "journal.sqlite3"
    shutil.copy2(originals.path.parent.parent / source / "journal.sqlite3", path)
    return dataclasses.replace(originals, path=path)


def check_whole(copy: Diary, operation: str) -> Passphrase | None:
    """The journal opens as before or as after, with everything in it; returns the key used."""
    before, after = STATES[operation]
    kind = sealed.kind_at(copy.path)
    assert kind in (Kind.PLAIN, Kind.SEALED)
    candidates = [p for p in (before, after) if (p is None) == (kind is Kind.PLAIN)]
    for key in candidates:
        try:
            copy.check(key)
        except PassphraseError:
            continue
        assert [p.name for p in copy.path.parent.iterdir()] == ["journal.sqlite3"]
        shutil.rmtree(copy.path.parent)  # ten megabytes a kill: not kept
        return key
    raise AssertionError(f"{copy.path} opens with neither passphrase ({kind})")


def test_every_step_is_named(originals: Diary, tmp_path: Path) -> None:
    """The named steps are all a re-key passes, so killing at each covers every gap."""
    for operation in STATES:
        copy = copy_for(originals, operation, tmp_path / operation)
        log = tmp_path / f"{operation}.steps"
        done = subprocess.run(
            [sys.executable, "-c", CHILD, operation, str(copy.path)],
            env=environment(**{faults.FAULT_LOG: str(log)}),
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        assert tuple(log.read_text().split()) == rekey.STEPS
        assert check_whole(copy, operation) is STATES[operation][1]


@pytest.mark.timeout(300)
@pytest.mark.parametrize("operation", list(STATES))
def test_killed_at_every_step_the_journal_is_whole(
    originals: Diary, tmp_path: Path, operation: str
) -> None:
    before, after = STATES[operation]
    for n, step in enumerate(rekey.STEPS):
        copy = copy_for(originals, operation, tmp_path / f"kill-{n}")
        killed = subprocess.run(
            [sys.executable, "-c", CHILD, operation, str(copy.path)],
            env=environment(**{faults.KILL_AT: step}),
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert killed.returncode == -signal.SIGKILL, (step, killed.stderr)
        staging = sealed.staging_path(copy.path)
        at = rekey.STEPS.index(step)
        if rekey.STEPS.index("staging") <= at < rekey.STEPS.index("replaced"):
            assert staging.exists() and staging.stat().st_mode & 0o077 == 0, step  # private
        replaced = at >= rekey.STEPS.index("replaced")
        assert check_whole(copy, operation) is (after if replaced else before), step


@pytest.mark.timeout(300)
@pytest.mark.parametrize("operation", list(STATES))
def test_killed_at_random_moments_the_journal_is_whole(
    originals: Diary, tmp_path: Path, operation: str
) -> None:
    # How long the writing stretch takes here: from the child's "keyed" to its "wiped".
    copy = copy_for(originals, operation, tmp_path / "timed")
    with Child([sys.executable, "-c", CHILD, operation, copy.path], env=environment()) as child:
        child.expect("done", timeout=60)
        assert child.wait(timeout=30) == 0
        at = {line: when for when, line in child.stamped}
    window = at["wiped"] - at["keyed"]
    assert 0 < window < 30, at
    check_whole(copy, operation)
    rng = random.Random(f"{SEED}-{operation}")
    for n in range(RANDOM_KILLS):
        copy = copy_for(originals, operation, tmp_path / f"random-{n}")
        delay = rng.uniform(0, window)
        with Child([sys.executable, "-c", CHILD, operation, copy.path], env=environment()) as ch:
            ch.expect("keyed", timeout=60)
            time.sleep(delay)
            ch.kill()
        check_whole(copy, operation)
