"""The pronunciation lexicon: loading, layering, matching and its one-line errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from audio_companion.errors import InputError
from audio_companion.narration.lexicon import (
    Lexicon,
    bundled_lexicon,
    default_lexicon,
    user_lexicon_path,
)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    return path


def test_load_reads_words(tmp_path: Path) -> None:
    path = write(tmp_path / "a.toml", '[words]\nHPA = "H P A"\ncortisol = "cor-ti-sol"\n')
    lexicon = Lexicon.load(path)
    assert lexicon.words == {"HPA": "H P A", "cortisol": "cor-ti-sol"}
    assert lexicon.apply("The HPA axis and cortisol.") == "The H P A axis and cor-ti-sol."


def test_later_files_override_earlier_ones(tmp_path: Path) -> None:
    first = write(tmp_path / "a.toml", '[words]\nEFT = "E F T"\nCortisol = "one"\nMRI = "M"\n')
    second = write(tmp_path / "b.toml", '[words]\nEFT = "tapping"\ncortisol = "two"\n')
    lexicon = Lexicon.load(first, second)
    assert lexicon.apply("EFT, cortisol, MRI") == "tapping, two, M"
    assert Lexicon.load(second, first).apply("EFT, cortisol, MRI") == "E F T, one, M"


def test_acronyms_match_case_sensitively_other_words_not() -> None:
    lexicon = Lexicon({"HPA": "H P A", "cortisol": "cor-ti-sol"})
    assert lexicon.apply("HPA hpa Hpa") == "H P A hpa Hpa"
    assert lexicon.apply("cortisol Cortisol CORTISOL") == "cor-ti-sol Cor-ti-sol Cor-ti-sol"


def test_matching_is_whole_word_and_longest_first() -> None:
    lexicon = Lexicon({"CBT": "C B T", "CBT-I": "C B T I", "art": "ART"})
    assert lexicon.apply("CBT-I beats CBTs; CBT works") == "C B T I beats CBTs; C B T works"
    assert lexicon.apply("artful art, (art)") == "artful ART, (ART)"


def test_empty_lexicon_leaves_text_alone() -> None:
    assert Lexicon().apply("HPA") == "HPA"


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ('[words]\nHPA = "H P A"\nEFT = E F T\n', 3, "invalid TOML"),
        ('[words]\nHPA = "H P A"\nMRI = 3\n', 3, '"MRI" must map a word to a quoted string'),
        ('[words]\nHPA = "H P A"\n\n[wrods]\nX = "y"\n', 4, 'unknown table "wrods"'),
        ('[words]\nHPA = "H P A"\n\n[festival]\nX = "y"\n', 4, "[hibari], [piper], [espeak]"),
        ('[words]\nA = "a"\n[espeak]\nHPA = 3\n', 4, '"HPA" must map a word to a quoted'),
        ('hibari = "HPA"\n', 1, "hibari must be a [hibari] table"),
        ('words = "HPA"\n', 1, "words must be a [words] table"),
    ],
)
def test_errors_name_file_and_line(tmp_path: Path, text: str, line: int, fragment: str) -> None:
    path = write(tmp_path / "bad.toml", text)
    with pytest.raises(InputError) as caught:
        Lexicon.load(path)
    message = str(caught.value)
    assert message.startswith(f"{path}:{line}: ")
    assert fragment in message
    assert "\n" not in message


def test_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"nope\.toml: cannot be read"):
        Lexicon.load(tmp_path / "nope.toml")


def test_bundled_lexicon_spells_out_acronyms_for_espeak_and_piper_only() -> None:
    lexicon = bundled_lexicon()
    for engine in ("espeak", "piper"):
        words = lexicon.for_engine(engine).words
        for acronym in ("HPA", "EFT", "MRI", "ADHD", "CBT"):
            assert words[acronym] == " ".join(acronym)
    # hibari says acronyms right by itself, and reads a lone "A" as the article.
    assert "ADHD" not in lexicon.for_engine("hibari").words
    assert lexicon.for_engine("hibari").apply("ADHD and REM") == "ADHD and rem"
    assert lexicon.for_engine("hibari").apply("EFT") == "E.F.T."  # not the word "eft"
    assert "vs" not in lexicon.words


def test_an_engine_table_applies_to_that_engine_only_over_words() -> None:
    lexicon = Lexicon.from_toml(
        '[words]\nEFT = "tapping"\nGottman = "Gott man"\n'
        '[espeak]\nEFT = "E F T"\n[hibari]\nGottman = "Gottmann"\n'
    )
    assert lexicon.apply("EFT, Gottman") == "tapping, Gott man"  # the general table
    assert lexicon.for_engine("espeak").apply("EFT, Gottman") == "E F T, Gott man"
    assert lexicon.for_engine("hibari").apply("EFT, Gottman") == "tapping, Gottmann"
    assert lexicon.for_engine("piper").apply("EFT, Gottman") == "tapping, Gott man"


def test_a_later_general_entry_replaces_earlier_engine_entries(tmp_path: Path) -> None:
    bundled = write(tmp_path / "a.toml", '[espeak]\nEFT = "E F T"\nHPA = "H P A"\n')
    user = write(tmp_path / "b.toml", '[words]\nEFT = "tapping"\n[espeak]\nHRV = "H R V"\n')
    espeak = Lexicon.load(bundled, user).for_engine("espeak")
    assert espeak.apply("EFT HPA HRV") == "tapping H P A H R V"
    later_engine = write(tmp_path / "c.toml", '[hibari]\nEFT = "E. F. T."\n')
    layered = Lexicon.load(bundled, user, later_engine)
    assert layered.for_engine("hibari").apply("EFT") == "E. F. T."
    assert layered.for_engine("espeak").apply("EFT") == "tapping"


def test_user_lexicon_path_follows_xdg(tmp_path: Path) -> None:
    assert user_lexicon_path({"XDG_CONFIG_HOME": str(tmp_path)}) == (
        tmp_path / "audio-companion" / "lexicon.toml"
    )
    assert user_lexicon_path({"XDG_CONFIG_HOME": "relative"}) == (
        Path.home() / ".config" / "audio-companion" / "lexicon.toml"
    )


def test_default_lexicon_layers_bundled_user_and_feed(tmp_path: Path) -> None:
    env = {"XDG_CONFIG_HOME": str(tmp_path / "config")}

    def espeak(lexicon: Lexicon, text: str) -> str:
        return lexicon.for_engine("espeak").apply(text)

    assert espeak(default_lexicon(environ=env), "HPA and EFT") == "H P A and E F T"
    write(user_lexicon_path(env), '[words]\nEFT = "tapping"\nGottman = "Gott man"\n')
    assert espeak(default_lexicon(environ=env), "HPA, EFT, Gottman") == "H P A, tapping, Gott man"
    feed = write(tmp_path / "feed.toml", '[words]\nHPA = "stress axis"\n')
    assert espeak(default_lexicon(feed, environ=env), "HPA, EFT") == "stress axis, tapping"
    with pytest.raises(InputError, match=r"missing\.toml"):
        default_lexicon(tmp_path / "missing.toml", environ=env)
