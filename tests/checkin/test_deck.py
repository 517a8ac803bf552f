"""Check-in decks: bundled decks are valid, wording varies by night, and every
malformed deck is reported as `file:line: problem` with the right line."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest

from audio_companion.checkin.deck import (
    PLACEHOLDERS,
    Deck,
    DeckError,
    StepKind,
    choose_wording,
    default_user_dir,
    list_decks,
    load_deck,
    names_phrase,
)
from audio_companion.errors import InputError

BUNDLED = ("breathe-first", "nightly", "weekly")
NIGHT = date(2024, 3, 14)
SAMPLE_VALUES = {
    "name": "Sam",
    "names": ", Sam and Alex",
    "value": "4",
    "appreciations": "tea, a walk and music",
    "count": "3",
    "remaining": "2",
}


@pytest.fixture
def no_user_decks(tmp_path: Path) -> Path:
    return tmp_path / "no-decks-here"


def bundled(name: str, user_dir: Path) -> Deck:
    return load_deck(name, user_dir=user_dir)


def kinds(deck: Deck) -> list[tuple[str, StepKind]]:
    return [(s.id, s.kind) for s in deck.steps]


# --- bundled decks ----------------------------------------------------------


def test_nightly_is_the_short_check_in(no_user_decks: Path) -> None:
    deck = bundled("nightly", no_user_decks)
    assert deck.name == "nightly"
    assert deck.time_box_s == 600
    assert kinds(deck) == [
        ("greeting", StepKind.SAY),
        ("checkin", StepKind.FREE),
        ("mood", StepKind.MOOD),
        ("appreciations", StepKind.GRATITUDE),
        ("feeling", StepKind.FEELING),
        ("close", StepKind.CLOSE),
    ]
    by_id = {s.id: s for s in deck.steps}
    assert "How are you feeling today?" in by_id["checkin"].prompts
    assert len(by_id["greeting"].prompts) >= 2
    assert len(by_id["checkin"].prompts) >= 3 and by_id["checkin"].softer
    assert "{value}" in by_id["mood"].confirm
    assert by_id["appreciations"].count == 3 and by_id["appreciations"].nudge
    assert by_id["appreciations"].more
    assert by_id["feeling"].explain
    assert "I feel" in by_id["feeling"].explain and "when" in by_id["feeling"].explain
    assert all("{appreciations}" in p for p in by_id["close"].prompts)


def test_weekly_asks_each_partner(no_user_decks: Path) -> None:
    deck = bundled("weekly", no_user_decks)
    assert 15 * 60 <= deck.time_box_s <= 25 * 60
    assert kinds(deck)[0] == ("greeting", StepKind.SAY)
    assert kinds(deck)[-1] == ("close", StepKind.CLOSE)
    assert deck.steps[1].kind is StepKind.GRATITUDE  # appreciations first
    answered = [s for s in deck.steps if s.kind.answered]
    assert [s.id for s in answered] == ["appreciations", "went-well", "work-on", "needs"]
    assert all(s.per_partner for s in answered)


def test_breathe_first_is_a_minute_of_breathing_then_nightly(no_user_decks: Path) -> None:
    deck = bundled("breathe-first", no_user_decks)
    first, *rest = deck.steps
    assert first.kind is StepKind.BREATHING and first.minutes == 1.0 and first.prompts
    assert tuple(rest) == bundled("nightly", no_user_decks).steps
    assert deck.time_box_s > 600


@pytest.mark.parametrize("name", BUNDLED)
def test_bundled_wordings_are_speakable(name: str, no_user_decks: Path) -> None:
    deck = bundled(name, no_user_decks)
    assert deck.title and deck.description and deck.source.endswith(f"{name}.toml")
    ids = [s.id for s in deck.steps]
    assert len(ids) == len(set(ids))
    for step in deck.steps:
        texts = [*step.prompts, *step.softer, *step.more, step.nudge, step.explain, step.confirm]
        assert step.prompts and all(step.prompts)
        for text in filter(None, texts):
            assert re.fullmatch(r"[A-Za-z0-9 ,.?!:;'{}-]+", text), f"{step.id}: {text!r}"
            spoken = text.format(**SAMPLE_VALUES)  # every placeholder is a known one
            for sentence in re.split(r"[.?!]", spoken):
                assert len(sentence.split()) <= 25, f"{step.id}: long sentence {sentence!r}"
        if step.kind is StepKind.GRATITUDE:
            assert 1 <= step.count <= 10
        if step.kind is StepKind.BREATHING:
            assert 0.5 <= step.minutes <= 10


def test_list_decks_names_the_bundled_ones(no_user_decks: Path) -> None:
    rows = list_decks(no_user_decks)
    assert [name for name, _, _ in rows] == list(BUNDLED)
    assert all(where == "bundled" and title for _, title, where in rows)


# --- wording variety ----------------------------------------------------------


def test_choose_wording_is_stable_for_a_night_and_changes_the_next() -> None:
    options = ("a", "b", "c", "d")
    assert choose_wording(options, NIGHT, "mood") == choose_wording(options, NIGHT, "mood")
    nights = [NIGHT + timedelta(days=d) for d in range(len(options))]
    picked = [choose_wording(options, night, "mood") for night in nights]
    assert sorted(picked) == sorted(options)  # every wording within four nights
    for night in [NIGHT + timedelta(days=d) for d in range(30)]:
        assert choose_wording(options, night, "x") != choose_wording(
            options, night + timedelta(days=1), "x"
        )


def test_choose_wording_salt_shifts_the_rotation() -> None:
    options = tuple("abcdefg")
    picks = {choose_wording(options, NIGHT, f"step-{i}") for i in range(20)}
    assert len(picks) > 1
    assert choose_wording(("only",), NIGHT, "x") == "only"
    with pytest.raises(ValueError):
        choose_wording((), NIGHT, "x")


@pytest.mark.parametrize(
    ("partners", "phrase"),
    [
        ((), ""),
        (("Sam",), ", Sam"),
        (("Sam", " Alex "), ", Sam and Alex"),
        (("A", "B", "C"), ", A, B and C"),
    ],
)
def test_names_phrase(partners: tuple[str, ...], phrase: str) -> None:
    assert names_phrase(partners) == phrase


# --- finding decks ----------------------------------------------------------

MINE = """\
title = "My own nightly"

[[step]]
id = "hi"
kind = "say"
prompts = "Hi{names}."
"""


def test_user_deck_overrides_a_bundled_name(tmp_path: Path) -> None:
    (tmp_path / "nightly.toml").write_text(MINE, encoding="utf-8")
    deck = load_deck("nightly", user_dir=tmp_path)
    assert deck.title == "My own nightly"
    assert deck.source == str(tmp_path / "nightly.toml")
    assert deck.steps[0].prompts == ("Hi{names}.",)
    assert deck.time_box_s == 600  # the default time box
    rows = {name: (title, where) for name, title, where in list_decks(tmp_path)}
    assert rows["nightly"] == ("My own nightly", str(tmp_path / "nightly.toml"))
    assert rows["weekly"][1] == "bundled"


def test_user_deck_may_extend_the_bundled_one_it_hides(tmp_path: Path) -> None:
    (tmp_path / "nightly.toml").write_text(
        'title = "More"\n\n[[step]]\ninclude = "nightly"\n\n'
        '[[step]]\nid = "extra"\nkind = "free"\nprompts = ["Anything else?"]\n',
        encoding="utf-8",
    )
    deck = load_deck("nightly", user_dir=tmp_path)
    assert [s.id for s in deck.steps][-2:] == ["close", "extra"]
    assert deck.steps[0].id == "greeting"
    # breathe-first includes "nightly", which is now the user's own
    assert load_deck("breathe-first", user_dir=tmp_path).steps[-1].id == "extra"


def test_path_loads_any_file_and_env_moves_the_user_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "elsewhere" / "calm.toml"
    path.parent.mkdir()
    path.write_text(MINE, encoding="utf-8")
    assert load_deck(path).name == "calm"
    assert load_deck(str(path)).title == "My own nightly"
    monkeypatch.setenv("AUDIO_COMPANION_DECKS", str(path.parent))
    assert default_user_dir() == path.parent
    assert load_deck("calm").source == str(path)
    monkeypatch.delenv("AUDIO_COMPANION_DECKS")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    assert default_user_dir() == tmp_path / "cfg" / "audio-companion" / "decks"
    assert default_user_dir({"XDG_CONFIG_HOME": "relative"}) == (
        Path.home() / ".config" / "audio-companion" / "decks"
    )


def test_unknown_deck_lists_the_available_ones(tmp_path: Path) -> None:
    (tmp_path / "mine.toml").write_text(MINE, encoding="utf-8")
    with pytest.raises(DeckError) as caught:
        load_deck("nighty", user_dir=tmp_path)
    message = str(caught.value)
    assert message.startswith('unknown deck "nighty"; available: ')
    assert "breathe-first, mine, nightly, weekly" in message
    assert isinstance(caught.value, InputError) and caught.value.exit_code == 2


def test_missing_path_is_named(tmp_path: Path) -> None:
    with pytest.raises(DeckError, match=r"gone\.toml: no such deck file$"):
        load_deck(tmp_path / "gone.toml")


def test_a_broken_user_deck_is_still_listed(tmp_path: Path) -> None:
    (tmp_path / "broken.toml").write_text('title = "x"\n', encoding="utf-8")
    rows = {name: title for name, title, _ in list_decks(tmp_path)}
    assert rows["broken"].startswith("cannot be loaded: ")
    assert "broken.toml:1: no steps" in rows["broken"]


# --- malformed decks: file:line: problem --------------------------------------

HEAD = """\
title = "Mine"
time_box_minutes = 10

[[step]]
id = "hello"
kind = "say"
prompts = ["Hello{names}."]
"""  # seven lines; a case's own text starts on line 8


MALFORMED = [
    pytest.param(
        HEAD + '\n[[step]]\nid = "mood"\nkind = "moood"\nprompts = ["How?"]\n',
        11,
        'step "mood": unknown kind "moood" (use one of: say, free, mood, gratitude, '
        "feeling, close, breathing)",
        id="unknown-kind",
    ),
    pytest.param(
        HEAD + '\n[[step]]\nid = "mood"\nkind = "mood"\nconfirm = "I heard {value}."\n',
        9,
        'step "mood": missing prompts',
        id="missing-prompts",
    ),
    pytest.param(
        HEAD + '\n[[step]]\nid = "ask"\nkind = "free"\npromts = ["How?"]\nprompts = ["How?"]\n',
        12,
        'step "ask": unknown key "promts" '
        "(use one of: id, kind, prompts, softer, per_partner, private)",
        id="unknown-key",
    ),
    pytest.param(
        HEAD + '\n[[step]]\nid = "ask"\nkind = "free"\nprompts = ["How?"]\ncount = 2\n',
        13,
        'step "ask": "count" does not apply to a free step',
        id="key-of-another-kind",
    ),
    pytest.param(
        HEAD + '\n[[step]]\nid = "thanks"\nkind = "gratitude"\nprompts = ["One?"]\ncount = 0\n',
        13,
        'step "thanks": count must be from 1 to 10, got 0',
        id="count-below-one",
    ),
    pytest.param(
        HEAD + '\n[[step]]\nid = "thanks"\nkind = "gratitude"\ncount = "three"\nprompts = ["?"]\n',
        12,
        'step "thanks": count must be a whole number, got text',
        id="count-wrong-type",
    ),
    pytest.param(
        HEAD + '\n[[step]]\nid = "b"\nkind = "breathing"\nprompts = ["Breathe."]\nminutes = 12\n',
        13,
        'step "b": minutes must be from 0.5 to 10, got 12',
        id="minutes-too-long",
    ),
    pytest.param(
        HEAD + '\n[[step]]\nid = "b"\nkind = "breathing"\nminutes = 0.25\nprompts = ["In."]\n',
        12,
        'step "b": minutes must be from 0.5 to 10, got 0.25',
        id="minutes-too-short",
    ),
    pytest.param(
        HEAD + '\n[[step]]\nid = "b"\nkind = "breathing"\nprompts = ["In."]\n',
        9,
        'step "b": missing minutes',
        id="minutes-missing",
    ),
    pytest.param(
        HEAD + '\n[[step]]\nkind = "say"\nid = "hello"\nprompts = ["Again."]\n',
        11,
        'step "hello" again; line 4 uses that id',
        id="duplicate-id",
    ),
    pytest.param(
        HEAD + '\n[[step]]\nid = "ask"\nkind = "free"\nprompts = [\n  "How are you?",\n'
        '  "How was it, {nmae}?",\n]\n',
        14,
        'step "ask": unknown placeholder {nmae} in prompts (use: {name}, {names}',
        id="unknown-placeholder-in-multiline-list",
    ),
    pytest.param(
        HEAD + '\n[[step]]\nid = "ask"\nkind = "free"\nprompts = ["It is {value}."]\n',
        12,
        'step "ask": {value} cannot be used in prompts: only the confirm wording',
        id="placeholder-out-of-place",
    ),
    pytest.param(
        HEAD
        + '\n[[step]]\nid = "ask"\nkind = "free"\nper_partner = false\nprompts = ["Hi {name}."]\n',
        13,
        'step "ask": {name} cannot be used in prompts: only a step asked of each partner',
        id="name-needs-per-partner",
    ),
    pytest.param(
        HEAD + '\n[[step]]\nid = "ask"\nkind = "free"\nsofter = ["a {lone"]\nprompts = ["?"]\n',
        12,
        'step "ask": a lone { or } in softer',
        id="lone-brace",
    ),
    pytest.param(
        HEAD + '\n[[step]]\nid = "m"\nkind = "mood"\nprompts = ["1 to 5?"]\nconfirm = "Right?"\n',
        13,
        'step "m": confirm must say {value}',
        id="confirm-without-value",
    ),
    pytest.param(
        HEAD + '\n[[step]]\nid = "bye"\nkind = "close"\nprompts = ["You named {appreciations}."]\n',
        12,
        'step "bye": {appreciations} needs a gratitude step before it',
        id="appreciations-without-gratitude",
    ),
    pytest.param(
        HEAD + '\n[[step]]\nid = "ask"\nkind = "free"\nprompts = 5\n',
        12,
        'step "ask": prompts must be a list of texts, e.g. prompts = ["..."], got a number',
        id="prompts-wrong-type",
    ),
    pytest.param(
        HEAD + '\n[[step]]\nid = "ask"\nkind = "free"\nprompts = ["?"]\nper_partner = "yes"\n',
        13,
        'step "ask": per_partner must be true or false, got text',
        id="per-partner-wrong-type",
    ),
    pytest.param(
        HEAD + '\n[[step]]\nid = "ask"\nkind = "free"\nprompts = ["", "Ok?"]\n',
        12,
        'step "ask": prompts has an empty wording',
        id="empty-wording",
    ),
    pytest.param(
        HEAD + '\n[[step]]\nid = "two words"\nkind = "say"\nprompts = ["Hi."]\n',
        10,
        'step 2: id must be a short name of letters, digits, - or _, got "two words"',
        id="bad-id",
    ),
    pytest.param(
        HEAD + '\n[[step]]\nkind = "say"\nprompts = ["Hi."]\n',
        9,
        'step 2: missing id (a short name, e.g. id = "mood")',
        id="missing-id",
    ),
    pytest.param(
        HEAD + '\n[[step]]\nid = "ask"\nkind = mood\n',
        11,
        "invalid TOML at column 8: Invalid value",
        id="toml-syntax",
    ),
    pytest.param(
        HEAD + '\n[[step]]\nid = "ask"\nkind = "free"\nprompts = ["?"]\nkind = "say"\n',
        13,
        "invalid TOML",
        id="toml-duplicate-key",
    ),
    pytest.param(
        'time_box_minutes = 10\n\n[[step]]\nid = "a"\nkind = "say"\nprompts = ["Hi."]\n',
        1,
        'missing title (e.g. title = "...")',
        id="missing-title",
    ),
    pytest.param(
        HEAD.replace("time_box_minutes = 10\n", 'time_box_minutes = 10\nauthor = "me"\n'),
        3,
        'unknown key "author" (use one of: title, description, time_box_minutes, recall, step)',
        id="unknown-top-level-key",
    ),
    pytest.param(
        'title = "Mine"\n\n[step]\nid = "a"\nkind = "say"\nprompts = ["Hi."]\n',
        3,
        "write each step as a [[step]] table",
        id="single-bracket-step",
    ),
    pytest.param(
        'title = "Mine"\ntime_box_minutes = 2\n\n[[step]]\nid = "b"\nkind = "breathing"\n'
        'prompts = ["In."]\nminutes = 3\n',
        2,
        "the breathing steps take 3 minutes, more than time_box_minutes = 2",
        id="breathing-longer-than-time-box",
    ),
    pytest.param(
        # A multi-line string full of look-alikes must not shift the count of [[step]]s.
        'title = "Mine"\ndescription = """\n[[step]]\nkind = "x"\n"""\n\n'
        '[[step]]\nid = "a"\nkind = "say"\nprompts = [\n  "Hi.", # [[step]]\n]\n\n'
        '[[step]]\nid = "b"\nkind = "sya"\nprompts = ["Bye."]\n',
        16,
        'step "b": unknown kind "sya"',
        id="look-alikes-inside-strings",
    ),
    pytest.param(
        HEAD + '\n[[step]]\ninclude = "nope"\n',
        10,
        'include "nope": no such deck (available: ',
        id="include-unknown",
    ),
    pytest.param(
        HEAD + '\n[[step]]\ninclude = "nightly"\nid = "x"\n',
        11,
        'step 2: a step with include takes no other keys, found "id"',
        id="include-with-other-keys",
    ),
    pytest.param(
        'title = "Mine"\n\n[[step]]\nid = "greeting"\nkind = "say"\nprompts = ["Hi."]\n\n'
        '[[step]]\ninclude = "nightly"\n',
        9,
        'include "nightly" brings step "greeting" again; line 3 uses that id',
        id="include-duplicate-id",
    ),
]


@pytest.mark.parametrize(("text", "line", "problem"), MALFORMED)
def test_malformed_deck_names_file_line_and_problem(
    tmp_path: Path, text: str, line: int, problem: str
) -> None:
    path = tmp_path / "decks" / "mine.toml"
    path.parent.mkdir()
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DeckError) as caught:
        load_deck(path, user_dir=tmp_path / "no-decks")
    message = str(caught.value)
    prefix = f"{path}:{line}: "
    assert message.startswith(prefix), message
    assert message[len(prefix) :].startswith(problem), message


def test_not_utf8_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "latin.toml"
    path.write_bytes(b'title = "Mine"\n\n[[step]]\nid = "a"\nprompts = ["caf\xe9"]\n')
    with pytest.raises(DeckError, match=re.escape(f"{path}:5: not UTF-8 text")):
        load_deck(path)


def test_include_loop_is_refused(tmp_path: Path) -> None:
    (tmp_path / "a.toml").write_text('title = "A"\n\n[[step]]\ninclude = "b"\n', "utf-8")
    (tmp_path / "b.toml").write_text('title = "B"\n\n[[step]]\ninclude = "a"\n', "utf-8")
    with pytest.raises(DeckError) as caught:
        load_deck("a", user_dir=tmp_path)
    assert (
        str(caught.value)
        == f'{tmp_path / "b.toml"}:4: include "a": that deck includes this one, a loop'
    )


def test_every_placeholder_is_documented() -> None:
    assert set(PLACEHOLDERS) == {"name", "names", "value", "appreciations", "count", "remaining"}
