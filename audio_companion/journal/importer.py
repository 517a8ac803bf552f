"""Reading journals back in: our own JSON and CSV exports, and Daylio's CSV, as records.

Everything here is a pure function of the file's text (and, for Daylio's zone-less local
times, of the zone they are read in), so every format and every mistake can be tested without
a file or a journal. The format is told by the content, never by the file's name. A mistake is
one InputError naming the file and the line (or, in JSON, the place in the document) and saying
how to fix it; it is raised before the journal is opened, so a bad file writes nothing.
The checks of single values are in `checks`.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Hashable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timezone, tzinfo
from typing import Literal

from audio_companion.errors import InputError
from audio_companion.journal import checks
from audio_companion.journal.checks import FIX
from audio_companion.journal.export import CSV_COLUMNS, JSON_FORMAT, JSON_VERSION
from audio_companion.journal.mood import MOOD_MAX, MOOD_MIN
from audio_companion.journal.paces import PaceRecord, PaceStep
from audio_companion.journal.store import AnswerRecord, SessionRecord

Format = Literal["json", "csv", "daylio"]

DAYLIO_DECK = "daylio"  # the deck (and engine) of an imported Daylio entry
DAYLIO_PROMPT = "How are you?"  # the question Daylio asks for every entry
DAYLIO_MOODS: Mapping[str, int] = {"rad": 5, "good": 4, "meh": 3, "bad": 2, "awful": 1}
_DAYLIO_NEEDS = ("full_date", "time", "mood", "activities", "note")  # note_title came later
_CLOCK = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(?:([ap])\.?\s*m\.?)?", re.IGNORECASE)

# Our CSV names a few fields apart from the JSON (one row holds a session and an answer).
_SESSION_CELLS = CSV_COLUMNS[: CSV_COLUMNS.index("answer_id")]
_ANSWER_CELLS = CSV_COLUMNS[CSV_COLUMNS.index("answer_id") :]
_CSV_HEAD = {"id": "session_id", "started_at": "session_started_at", "ended_at": "session_ended_at"}
_CSV_ANSWER = {"id": "answer_id", "has_audio": "audio"}


@dataclass(frozen=True)
class Imported:
    """What a file holds, ready for `Journal.add_import`, which numbers a session or pace anew
    when its id is 0 (Daylio) or taken (so ids repeated in a file are harmless)."""

    format: Format
    sessions: tuple[SessionRecord, ...]
    recordings: int  # answers that had a recording where they came from: exports carry none
    paces: tuple[PaceRecord, ...] = ()  # only our JSON carries them (see `export`)


_Rows = Iterator[tuple[int, list[str]]]  # CSV rows with the line each starts on


def decode(data: bytes, source: str) -> str:
    """The file's text: UTF-8, with or without the byte-order mark spreadsheets add."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(f"{source}:{line}: not UTF-8 text; save the file as UTF-8") from exc


def session_key(rec: SessionRecord) -> Hashable:
    """What makes two sessions the same check-in, so that importing a file twice adds nothing.

    The start (to the second: older exports had no fraction), deck, partners and, for each
    answer, its start, who answered, the question and what was said and rated. Ids, the end and
    the engine are left out: they differ between journals, or change while a session runs.
    """
    answers = tuple(
        (_second(a.started_at), a.partner, a.step, a.kind, a.prompt, a.transcript, a.mood)
        for a in rec.answers  # in the order they were given, as the journal reads them
    )
    return (_second(rec.started_at), rec.deck, rec.partners, answers)


def pace_key(pace: PaceRecord) -> Hashable:
    """What makes two resonance paces the same measurement, so that importing a file twice adds
    nothing: when it was measured (to the second, as `session_key`), the pace chosen, the
    measure, the protocol and every step as rated. The id is left out: it differs between
    journals."""
    return (
        _second(pace.measured_at),
        pace.breaths_per_minute,
        pace.measure,
        pace.protocol,
        pace.steps,
    )


def _second(ts: float) -> datetime:
    """The second an export shows for *ts* (it rounds to the microsecond first, as they do)."""
    return datetime.fromtimestamp(ts, timezone.utc).replace(microsecond=0)


def parse(
    text: str, source: str, tz: tzinfo | None = None, moods: Mapping[str, int] | None = None
) -> Imported:
    """Read our JSON or CSV export or Daylio's CSV, told apart by what the text holds.

    *tz* is the zone Daylio's local times are in (None: this machine's); our exports carry
    their offsets and ignore it. *moods* adds mood names of one's own to Daylio's.
    """
    text = text.lstrip("\ufeff")
    if not text.strip(", \t\r\n"):
        raise InputError(f"{source}: the file is empty; import an export of the journal")
    if text.lstrip().startswith("{"):
        return _from_json(text, source)
    rows = _csv_rows(text, source)
    line, header = next(rows)
    names = [h.strip().lower() for h in header]
    if set(_SESSION_CELLS + _ANSWER_CELLS[:-1]) <= set(header):  # written_at came later
        return _from_csv(rows, header, source)
    if set(_DAYLIO_NEEDS) <= set(names):
        return _from_daylio(rows, names, source, tz, moods or {})
    raise InputError(
        f"{source}:{line}: no journal export's or Daylio's columns in the first line; import a "
        "file from `audio-companion journal export --format json|csv` or Daylio's CSV export"
    )


def _csv_rows(text: str, source: str) -> _Rows:
    """Non-blank rows with the line each starts on (a quoted value may span several)."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    start = 1
    try:
        for row in reader:
            if any(cell.strip() for cell in row):
                yield start, row
            start = reader.line_num + 1
    except csv.Error as exc:
        raise InputError(
            f"{source}:{start}: not readable as CSV ({exc}); a value with a comma, quote or "
            'line break must be in double quotes, any quote in it doubled ("")'
        ) from exc


def _row(row: list[str], header: Sequence[str], where: str) -> dict[str, str]:
    if len(row) != len(header):
        raise InputError(
            f"{where}: {len(row)} values where the first line names {len(header)} columns; "
            "a value holding a comma must be in double quotes"
        )
    return dict(zip(header, row, strict=True))


def _session(get: checks.Fields) -> SessionRecord:
    """A session's own fields (its answers are added as they are read)."""
    return SessionRecord(
        id=get("id", checks.row_id),
        started_at=get("started_at", checks.instant),
        ended_at=get("ended_at", checks.instant, empty=True),
        deck=get("deck", checks.text),
        partners=get("partners", checks.names),
        engine=get("engine", checks.text),
        end_reason=get("end_reason", checks.reason, empty=True),
        answers=(),
    )


def _answer(get: checks.Fields, session_id: int) -> tuple[AnswerRecord, bool]:
    """One answer, and whether it had a recording (which no export carries)."""
    ended_at = get("ended_at", checks.instant)
    answer = AnswerRecord(
        id=get("id", checks.row_id),
        session_id=session_id,
        partner=get("partner", checks.text, empty=True),
        step=get("step", checks.text),
        kind=get("kind", checks.text),
        prompt=get("prompt", checks.text),
        transcript=get("transcript", checks.text),
        mood=get("mood", checks.mood, empty=True),
        confidence=get("confidence", checks.number, empty=True),
        started_at=get("started_at", checks.instant),
        ended_at=ended_at,
        written_at=get("written_at", checks.instant, absent=ended_at),  # older exports lack it
        audio_seconds=None,
    )
    return answer, get("has_audio", checks.flag, absent=False)


# -- our own JSON and CSV -------------------------------------------------------------------


def _from_json(text: str, source: str) -> Imported:
    """The versioned document `export.to_json` writes (older versions of it too)."""
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        where = f"{source}:{exc.lineno}:{exc.colno}"
        raise InputError(f"{where}: not valid JSON ({exc.msg}); {FIX}") from None
    if not isinstance(doc, dict) or doc.get("format") != JSON_FORMAT:
        raise InputError(f'{source}: format: not "{JSON_FORMAT}", so not a journal export; {FIX}')
    version = doc.get("version")
    if not isinstance(version, int) or not 1 <= version <= JSON_VERSION:
        raise InputError(
            f"{source}: version: {checks.show(version)}; upgrade audio-companion to read it"
        )
    top = checks.Fields(doc, source, {}, ": ")
    records: list[SessionRecord] = []
    recordings = 0
    for i, s in enumerate(top("sessions", checks.listed)):
        where = f"{source}: sessions[{i}]"
        fields = checks.Fields(s, where, {})
        head, answers = _session(fields), []
        for k, a in enumerate(fields("answers", checks.listed)):
            at = f"{where}.answers[{k}]"
            answer, audio = _answer(checks.Fields(a, at, {}), head.id)
            answers.append(answer)
            recordings += audio
        records.append(replace(head, answers=tuple(answers)))
    listed = top("paces", checks.listed) if version >= 2 else []  # version 2 added them
    paces = tuple(
        _pace(checks.Fields(p, f"{source}: paces[{i}]", {})) for i, p in enumerate(listed)
    )
    return Imported("json", tuple(records), recordings, paces)


def _pace(get: checks.Fields) -> PaceRecord:
    """One resonance pace with its steps, each value checked where it stands (in file order)."""
    return PaceRecord(
        id=get("id", checks.row_id),
        measured_at=get("measured_at", checks.instant),
        breaths_per_minute=get("breaths_per_minute", checks.pace),
        measure=get("measure", checks.measure),
        protocol=get("protocol", checks.text),
        steps=tuple(
            _step(checks.Fields(item, f"{get.where}.steps[{k}]", {}))
            for k, item in enumerate(get("steps", checks.listed))
        ),
    )


def _step(get: checks.Fields) -> PaceStep:
    return PaceStep(
        breaths_per_minute=get("breaths_per_minute", checks.pace),
        seconds=get("seconds", checks.seconds),
        comfort=get("comfort", checks.comfort, empty=True),
        hrv=get("hrv", checks.number, empty=True),
        heard=get("heard", checks.text),
    )


def _from_csv(rows: _Rows, header: list[str], source: str) -> Imported:
    """One row per answer, a session's rows together, an empty session as one answerless row."""
    sessions: list[tuple[SessionRecord, list[AnswerRecord]]] = []
    first: dict[int, tuple[int, list[str]]] = {}  # session id -> its first line and cells
    answerless: set[int] = set()  # sessions written as one row without an answer
    recordings = 0
    for line, row in rows:
        where = f"{source}:{line}"
        r = _row(row, header, where)
        head = _session(checks.Fields(r, where, _CSV_HEAD, ": "))
        cells = [r[c] for c in _SESSION_CELLS]
        sid, problem = head.id, ""
        if sid in first and sessions[-1][0].id != sid:
            problem = f"session {sid} goes on after another began; keep a session's rows together"
        elif sid in first and first[sid][1] != cells:
            problem = f"session {sid} differs from line {first[sid][0]} in its first seven columns"
        elif sid not in first:
            first[sid] = (line, cells)
            sessions.append((head, []))
        answers = sessions[-1][1]
        has_answer = any(r.get(c, "").strip() for c in _ANSWER_CELLS)
        if not problem and (sid in answerless or (answers and not has_answer)):
            problem = f"session {sid} has a row without an answer among rows with one"
        if problem:
            raise InputError(f"{where}: {problem}; {FIX}")
        if not has_answer:
            answerless.add(sid)
            continue
        answer, audio = _answer(checks.Fields(r, where, _CSV_ANSWER, ": "), sid)
        answers.append(answer)
        recordings += audio
    return Imported("csv", tuple(replace(h, answers=tuple(a)) for h, a in sessions), recordings)


# -- Daylio ---------------------------------------------------------------------------------


def _from_daylio(
    rows: _Rows, header: list[str], source: str, tz: tzinfo | None, names: Mapping[str, int]
) -> Imported:
    """Each Daylio entry becomes a one-answer session of the "daylio" deck, oldest first."""
    scale = {**DAYLIO_MOODS, **{name.strip().casefold(): n for name, n in names.items()}}
    unknown: dict[str, int] = {}  # mood name -> the first line with it
    sessions: list[SessionRecord] = []
    for line, row in rows:
        r = {k: v.strip() for k, v in _row(row, header, f"{source}:{line}").items()}
        try:
            mood = _daylio_mood(r["mood"], scale)
            local = _daylio_time(r["full_date"], r["time"])
        except checks.Bad as exc:
            raise InputError(f"{source}:{line}: {exc}") from None
        if isinstance(mood, str):
            unknown.setdefault(mood, line)
            continue
        start = (local.replace(tzinfo=tz) if tz is not None else local).timestamp()
        sessions.append(_daylio_session(start, mood, r))
    if unknown:
        (name, line), *more = unknown.items()
        also = ", ".join(f'"{n}" on line {at}' for n, at in more[:3])
        raise InputError(
            f'{source}:{line}: unknown mood "{name}"'
            + (f" (and {also})" if also else "")
            + f"; say where each sits on the scale with --mood NAME={MOOD_MIN}..{MOOD_MAX} "
            f'(Daylio\'s own: rad 5, good 4, meh 3, bad 2, awful 1), e.g. --mood "{name}=3"'
        )
    sessions.sort(key=lambda s: s.started_at)  # Daylio writes the newest first
    return Imported("daylio", tuple(sessions), 0)


def _daylio_mood(value: str, scale: Mapping[str, int]) -> int | str | None:
    """The mood's place on the scale; its name when that is not known (to be reported)."""
    if not value:
        return None
    if re.fullmatch(r"[0-9]+", value):  # a mood written as its number
        try:
            return checks.mood(value)
        except checks.Bad as exc:
            raise checks.Bad(f"mood: {exc}; use a mood's name or its number") from None
    return scale.get(value.casefold(), value)


def _daylio_time(day: str, clock: str) -> datetime:
    """full_date and a 24-hour ("21:30") or 12-hour ("9:30 pm") time, as Daylio writes it by
    the phone's setting; read without the locale, so "pm" means the same on every machine."""
    try:
        when = date.fromisoformat(day)
    except ValueError:
        raise checks.Bad(f"full_date {day!r} is not YYYY-MM-DD; export from Daylio again") from None
    m = _CLOCK.fullmatch(clock)
    try:
        if m is None or (m[4] and not 1 <= int(m[1]) <= 12):
            raise ValueError
        hour = int(m[1]) % 12 + (12 if m[4].lower() == "p" else 0) if m[4] else int(m[1])
        return datetime.combine(when, time(hour, int(m[2]), int(m[3] or 0)))
    except ValueError:
        raise checks.Bad(
            f"time {clock!r} is not a time of day; write it as 21:30 or 9:30 pm"
        ) from None


def _daylio_session(start: float, mood: int | None, r: Mapping[str, str]) -> SessionRecord:
    """One entry: its title, note and activities (joined by Daylio's " | ") as what was said.

    The activities go into the transcript because it is what every view of the journal shows
    (show, the diary, the exports) and the journal has no field for tags.
    """
    activities = [a.strip() for a in r["activities"].split("|") if a.strip()]
    parts = [r.get("note_title", ""), r["note"].replace("\r\n", "\n")]
    parts.append("Activities: " + " | ".join(activities) if activities else "")
    said = "\n\n".join(p for p in parts if p)
    answer = AnswerRecord(
        id=0,
        session_id=0,
        partner=None,
        step="entry",
        kind="mood",
        prompt=DAYLIO_PROMPT,
        transcript=said,
        mood=mood,
        confidence=None,
        started_at=start,
        ended_at=start,
        written_at=start,
        audio_seconds=None,
    )
    return SessionRecord(0, start, start, DAYLIO_DECK, (), DAYLIO_DECK, "completed", (answer,))
