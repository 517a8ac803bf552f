"""`journal paces`, and resonance paces through `journal export` and `journal import`: through
CliRunner, on fixed times and zones."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from helpers import three_nights

from audio_companion.cli import main
from audio_companion.journal import Journal, rekey
from audio_companion.journal.paces import Pace, PaceStep
from audio_companion.journal.passphrase import Passphrase

T0 = datetime(2026, 11, 20, 19, 5, tzinfo=timezone.utc).timestamp()
STEPS = (PaceStep(6.5, 120.0, 3, None, "three"), PaceStep(6.0, 120.0, 4, None, "easier"))


def invoke(*args: str) -> Result:
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output
    return result


@pytest.fixture
def journal(tmp_path: Path) -> Path:
    """Three nights of check-ins and two paces: a comfort one, then a newer sensor one."""
    path = three_nights(tmp_path / "journal.sqlite3")
    with Journal.open(path) as j:
        j.add_pace(Pace(T0, 6.0, "comfort", "lehrer-stepped-6.5-4.5", STEPS))
        j.add_pace(Pace(T0 + 86_400, 5.5, "hrv", "lehrer", (PaceStep(5.5, 60.0, None, 41.5),)))
    return path


def test_paces_lists_the_newest_first(journal: Path) -> None:
    result = invoke("journal", "paces", "--tz", "UTC", "--journal", str(journal))
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "when              breaths/min  measure  steps (breaths/min: comfort)",
        "2026-11-21 19:05          5.5  hrv      5.5: - (hrv 41.5)",
        "2026-11-20 19:05          6.0  comfort  6.5: 3, 6: 4",
        "breathe --pattern resonance uses the newest: 5.5 a minute",
    ]


def test_paces_as_json_hold_every_field(journal: Path) -> None:
    result = invoke(
        "journal", "paces", "--format", "json", "--tz", "+01:00", "--journal", str(journal)
    )
    assert result.exit_code == 0, result.output
    newer, older = json.loads(result.output)
    assert (newer["id"], newer["measure"], newer["steps"][0]["hrv"]) == (2, "hrv", 41.5)
    assert older["measured_at"] == "2026-11-20T20:05:00+01:00"
    assert older["steps"][1] == {
        "breaths_per_minute": 6.0,
        "seconds": 120.0,
        "comfort": 4,
        "hrv": None,
        "heard": "easier",
    }


def test_paces_without_journal_creates_none(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "journal.sqlite3"
    result = invoke("journal", "paces", "--journal", str(path))
    assert result.exit_code == 0
    assert result.output == (
        f"no resonance pace yet (journal: {path}); find yours with: "
        "audio-companion breathe --find-resonance\n"
    )
    assert (
        json.loads(invoke("journal", "paces", "--format", "json", "--journal", str(path)).output)
        == []
    )
    assert not path.parent.exists()


def test_paces_of_an_encrypted_journal_need_its_passphrase(journal: Path) -> None:
    pytest.importorskip("sqlcipher3")
    plain = invoke("journal", "paces", "--tz", "UTC", "--journal", str(journal)).output
    rekey.encrypt(journal, Passphrase("correct horse battery staple", "typed"))
    env = {"AUDIO_COMPANION_PASSPHRASE": "correct horse battery staple"}
    result = CliRunner().invoke(
        main, ["journal", "paces", "--tz", "UTC", "--journal", str(journal)], env=env
    )
    assert result.exit_code == 0 and result.output == plain
    assert invoke("journal", "paces", "--journal", str(journal)).exit_code == 2


def test_csv_export_says_it_leaves_the_paces_out(journal: Path) -> None:
    result = invoke("journal", "export", "--format", "csv", "--journal", str(journal))
    assert result.exit_code == 0, result.output
    assert len(list(csv.DictReader(io.StringIO(result.stdout)))) == 6  # standard output: CSV only
    assert (
        result.stderr == "2 resonance paces not in this export; only --format json carries them\n"
    )
    json_export = invoke("journal", "export", "--format", "json", "--journal", str(journal))
    assert json_export.stderr == "" and len(json.loads(json_export.stdout)["paces"]) == 2


def test_export_import_export_keeps_the_paces(journal: Path, tmp_path: Path) -> None:
    first, again, copy = tmp_path / "first.json", tmp_path / "again.json", tmp_path / "copy.db"
    result = invoke(
        "journal", "export", "--format", "json", "-o", str(first), "--journal", str(journal)
    )
    assert result.output == f"Wrote 3 check-ins and 2 resonance paces to {first}\n"
    result = invoke("journal", "import", str(first), "--journal", str(copy))
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[1] == "2 resonance paces imported, 0 already present"
    invoke("journal", "export", "--format", "json", "-o", str(again), "--journal", str(copy))
    assert again.read_bytes() == first.read_bytes()
    result = invoke("journal", "import", str(again), "--journal", str(journal))
    assert result.output.splitlines()[1] == "0 resonance paces imported, 2 already present"


def test_a_bad_pace_is_one_line_and_writes_nothing(journal: Path, tmp_path: Path) -> None:
    doc = json.loads(
        invoke("journal", "export", "--format", "json", "--journal", str(journal)).stdout
    )
    doc["paces"][1]["steps"][0]["comfort"] = 9
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc), "utf-8")
    fresh = tmp_path / "fresh.sqlite3"
    result = invoke("journal", "import", str(bad), "--journal", str(fresh))
    assert result.exit_code == 2
    assert result.output.startswith(f"Error: {bad}: paces[1].steps[0].comfort: 9 is not a comfort")
    assert len(result.output.strip().splitlines()) == 1 and not fresh.exists()
