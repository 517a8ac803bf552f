"""Spoken-command matching: whole utterances and clear endings count, answers do not."""

from __future__ import annotations

import pytest

from audio_companion.voice.intents import (
    DEFAULT_PHRASES,
    NUMBER_HOMOPHONES,
    Command,
    CommandVocabulary,
    Intent,
    contains_stop_ending,
    match_command,
)

VOCAB = CommandVocabulary()
COUPLE = CommandVocabulary(personal_stop_word="Pineapple")
YES_NO = frozenset({Intent.YES, Intent.NO})


def intent_of(text: str, vocab: CommandVocabulary = VOCAB, **kwargs: object) -> Intent:
    return match_command(text, vocab, **kwargs).intent  # type: ignore[arg-type]


# --- whole utterances -----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("stop", Intent.STOP),
        ("Stop!", Intent.STOP),
        ("STOP.", Intent.STOP),
        ("please stop", Intent.STOP),
        ("stop please", Intent.STOP),
        ("stop now", Intent.STOP),
        ("stop it", Intent.STOP),
        ("um, uh, stop", Intent.STOP),
        ("stop stop stop", Intent.STOP),
        ("okay stop", Intent.STOP),
        ("hey companion, stop", Intent.STOP),
        ("I want to stop", Intent.STOP),
        ("let's stop", Intent.STOP),
        ("repeat", Intent.REPEAT),
        ("please repeat", Intent.REPEAT),
        ("can you repeat that", Intent.REPEAT),
        ("Could you say that again?", Intent.REPEAT),
        ("sorry, what?", Intent.REPEAT),
        ("one more time", Intent.REPEAT),
        ("skip", Intent.SKIP),
        ("next", Intent.SKIP),
        ("skip this", Intent.SKIP),
        ("next question", Intent.SKIP),
        ("move on", Intent.SKIP),
        ("let's move on", Intent.SKIP),
        ("Okay, I would like to skip this question, please.", Intent.SKIP),
        ("pause", Intent.PAUSE),
        ("hold on", Intent.PAUSE),
        ("just a moment", Intent.PAUSE),
        ("pause for a moment", Intent.PAUSE),
        ("resume", Intent.RESUME),
        ("continue", Intent.RESUME),
        ("go on", Intent.RESUME),
        ("I'm back", Intent.RESUME),
        ("i am back", Intent.RESUME),
        ("im back", Intent.RESUME),
        ("you can continue", Intent.RESUME),
        ("yes", Intent.YES),
        ("yeah", Intent.YES),
        ("yep", Intent.YES),
        ("sure", Intent.YES),
        ("correct", Intent.YES),
        ("that's right", Intent.YES),
        ("that is right", Intent.YES),
        ("right", Intent.YES),
        ("ok", Intent.YES),
        ("all right", Intent.YES),
        ("yes please", Intent.YES),
        ("no", Intent.NO),
        ("nope", Intent.NO),
        ("not really", Intent.NO),
        ("no thanks", Intent.NO),
        ("no, thank you", Intent.NO),
        ("wrong", Intent.NO),
        ("slower", Intent.SLOWER),
        ("slow down a bit", Intent.SLOWER),
        ("too fast", Intent.SLOWER),
        ("faster", Intent.FASTER),
        ("a little faster please", Intent.FASTER),
        ("speed up", Intent.FASTER),
        ("too slow", Intent.FASTER),
    ],
)
def test_whole_utterance_commands(text: str, intent: Intent) -> None:
    command = match_command(text, VOCAB)
    assert command.intent is intent
    assert command.confidence == 1.0
    assert command.value is None


def test_matched_reports_the_command_words_without_lead_ins() -> None:
    assert match_command("can you please repeat that", VOCAB).matched == "repeat that"


# --- clear endings --------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("and that's all, stop", Intent.STOP),
        ("okay that's enough stop", Intent.STOP),
        ("... and I felt tired today, that's all, stop", Intent.STOP),
        ("and i felt tired today that's all stop", Intent.STOP),  # no punctuation (vosk)
        ("We talked about the kids. Stop.", Intent.STOP),
        ("I'm done, stop", Intent.STOP),
        ("stop, that's all", Intent.STOP),
        ("I felt really tired today honestly, stop, that's all.", Intent.STOP),
        ("It was a long day at work — next question", Intent.SKIP),
        ("I really don't know what to say about that, skip this", Intent.SKIP),
        ("Sorry, I missed that, can you repeat that?", Intent.REPEAT),
        ("I think so, yes", Intent.YES),
        ("stop, no wait, continue", Intent.RESUME),  # the user's last word wins
    ],
)
def test_clear_endings_are_commands(text: str, intent: Intent) -> None:
    assert intent_of(text) is intent


@pytest.mark.parametrize(
    "text",
    [
        "I want to stop arguing about money",
        "we should stop fighting so much",
        "I need to stop working so late",
        "next week we should talk",
        "next time I will tell you first",
        "skip breakfast less",
        "I tend to skip breakfast",
        "we paused the show",
        "we paused the show and went to bed",
        "we couldn't continue the conversation",
        "don't stop",
        "please don't stop",
        "we argued, and then we had to stop",
        "it was a good day and I think we should stop",
        "I said yes to the party",
        "stop, I said to him, but he kept going on",
        "that's it",
        "enough",
        "",
        "   ",
        "um uh",
        "[unk] stop",
    ],
)
def test_commands_inside_answers_are_not_commands(text: str) -> None:
    command = match_command(text, VOCAB)
    assert command.intent is Intent.NONE
    assert command.confidence == 0.0


def test_long_wrapped_utterance_is_not_a_command() -> None:
    # Each word is a lead-in, but seven of them is an answer, not a command.
    assert intent_of("so well actually now then just skip") is Intent.NONE
    assert intent_of("so well now then just skip") is Intent.SKIP


# --- recognition errors ---------------------------------------------------


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("repeet", Intent.REPEAT),
        ("skipp", Intent.SKIP),
        ("stopp", Intent.STOP),
        ("paws", Intent.PAUSE),
        ("continu", Intent.RESUME),
        ("next questions", Intent.SKIP),
        ("that's all, stopp", Intent.STOP),
    ],
)
def test_near_misses_match_with_reduced_confidence(text: str, intent: Intent) -> None:
    command = match_command(text, VOCAB)
    assert command.intent is intent
    assert 0.8 <= command.confidence < 1.0


@pytest.mark.parametrize(
    "text",
    ["top", "shop", "stock", "step", "master", "nest", "text", "flower", "yet", "know", "snow"],
)
def test_unrelated_words_are_not_fuzzy_matched(text: str) -> None:
    assert intent_of(text) is Intent.NONE


# --- stop words -----------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "pineapple",
        "Pineapple!",
        "pine apple",
        "we went round in circles about it, pineapple",
        "that's enough pineapple",
        "stop",
    ],
)
def test_personal_stop_word_stops(text: str) -> None:
    assert intent_of(text, COUPLE) is Intent.STOP
    assert contains_stop_ending(text, COUPLE)


def test_a_stop_ending_beats_any_other_reading() -> None:
    vocab = CommandVocabulary(phrases={Intent.PAUSE: ("hold on stop",)})
    assert intent_of("hold on stop", vocab) is Intent.PAUSE
    assert intent_of("hold on, stop", vocab) is Intent.STOP


def test_personal_stop_word_is_normalised_and_only_active_when_set() -> None:
    assert COUPLE.personal_stop_word == "pineapple"
    assert intent_of("pineapple") is Intent.NONE
    assert intent_of("I put pineapple on the pizza", COUPLE) is Intent.NONE


def test_custom_stop_words_replace_the_default() -> None:
    vocab = CommandVocabulary(stop_words=("halt", "red light"))
    assert intent_of("halt", vocab) is Intent.STOP
    assert intent_of("that's all, red light", vocab) is Intent.STOP
    assert intent_of("stop", vocab) is Intent.NONE


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("stop", True),
        ("and I felt tired today, that's all, stop", True),
        ("and I felt tired today that's all stop", True),
        ("we should stop", False),
        ("we should stop fighting", False),
        ("next", False),
        ("stop, no wait, continue", False),
        ("", False),
    ],
)
def test_contains_stop_ending(text: str, expected: bool) -> None:
    assert contains_stop_ending(text, VOCAB) is expected


# --- numbers --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [("1", 1), ("4", 4), ("10", 10), ("one", 1), ("four", 4), ("ten", 10), ("number 5", 5)],
)
@pytest.mark.parametrize("expect_number", [False, True])
def test_bare_numbers(text: str, value: int, expect_number: bool) -> None:
    command = match_command(text, VOCAB, expect_number=expect_number)
    assert command == Command(Intent.NUMBER, value, 1.0, command.matched)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("a four", 4),
        ("it's a four", 4),
        ("I'd say three", 3),
        ("I would say three", 3),
        ("maybe 3", 3),
        ("three out of five", 3),
        ("8/10", 8),
        ("I'd give it a 7", 7),
        ("I think it was like a six", 6),
        ("um, probably a two, I guess", 2),
        ("four or so", 4),
        ("It was a hard day. Four.", 4),
    ],
)
def test_wrapped_numbers_count_only_when_a_number_is_expected(text: str, value: int) -> None:
    command = match_command(text, VOCAB, expect_number=True)
    assert (command.intent, command.value, command.confidence) == (Intent.NUMBER, value, 1.0)
    assert intent_of(text) is Intent.NONE


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("for", 4),
        ("fore", 4),
        ("to", 2),
        ("too", 2),
        ("won", 1),
        ("ate", 8),
        ("tree", 3),
        ("free", 3),
        ("it's a for", 4),
    ],
)
def test_homophones_are_numbers_only_when_a_number_is_expected(text: str, value: int) -> None:
    command = match_command(text, VOCAB, expect_number=True)
    assert (command.intent, command.value) == (Intent.NUMBER, value)
    assert command.confidence < 1.0
    assert intent_of(text) is Intent.NONE


def test_homophone_table_has_no_innuendo() -> None:
    assert "sex" not in NUMBER_HOMOPHONES


@pytest.mark.parametrize(
    "text",
    ["I have two kids", "we talked for ten minutes", "I bought it for 10 dollars", "it's free"],
)
def test_numbers_inside_sentences_are_not_commands(text: str) -> None:
    assert intent_of(text) is Intent.NONE


@pytest.mark.parametrize("text", ["I have two kids", "we talked for ten minutes"])
def test_numbers_inside_sentences_are_not_ratings_either(text: str) -> None:
    assert intent_of(text, expect_number=True) is Intent.NONE


@pytest.mark.parametrize("text", ["0", "zero", "11", "eleven", "twenty", "it's a zero", "0.5"])
@pytest.mark.parametrize("expect_number", [False, True])
def test_out_of_range_numbers_are_not_commands(text: str, expect_number: bool) -> None:
    assert intent_of(text, expect_number=expect_number) is Intent.NONE


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("three or four", 3),
        ("3 to 4", 3),
        ("three four", 3),
        ("between three and four", 3),
        ("three and a half", 3),
        ("3.5", 3),
        ("maybe four maybe five", 4),
    ],
)
def test_hedged_numbers_give_the_first_with_low_confidence(text: str, value: int) -> None:
    command = match_command(text, VOCAB, expect_number=True)
    assert (command.intent, command.value) == (Intent.NUMBER, value)
    assert command.confidence < 0.6


def test_a_corrected_number_takes_the_last_value() -> None:
    command = match_command("three, no, four", VOCAB, expect_number=True)
    assert (command.intent, command.value, command.confidence) == (Intent.NUMBER, 4, 1.0)


def test_commands_still_work_while_a_number_is_expected() -> None:
    assert intent_of("too fast", expect_number=True) is Intent.SLOWER
    assert intent_of("one more time", expect_number=True) is Intent.REPEAT
    assert intent_of("skip", expect_number=True) is Intent.SKIP
    assert intent_of("it's a four, stop", expect_number=True) is Intent.STOP


# --- allowed --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("yes", Intent.YES),
        ("nope", Intent.NO),
        ("next", Intent.NONE),
        ("repeat", Intent.NONE),
        ("four", Intent.NONE),
        ("stop", Intent.STOP),  # the stop word is always honoured
        ("that's all, stop", Intent.STOP),
    ],
)
def test_allowed_restricts_results(text: str, intent: Intent) -> None:
    assert intent_of(text, allowed=YES_NO) is intent


def test_allowed_number_only() -> None:
    only_numbers = frozenset({Intent.NUMBER})
    assert match_command("a four", VOCAB, expect_number=True, allowed=only_numbers).value == 4
    assert intent_of("yes", allowed=only_numbers, expect_number=True) is Intent.NONE


# --- grammar and vocabulary -----------------------------------------------


def test_default_phrases_are_already_normalised() -> None:
    assert dict(VOCAB.phrases) == dict(DEFAULT_PHRASES)
    assert Intent.STOP not in DEFAULT_PHRASES


def test_phrases_for_prime_exactly_what_is_allowed_and_always_the_stop_words() -> None:
    breathing = frozenset({Intent.PAUSE, Intent.RESUME, Intent.SLOWER, Intent.FASTER})
    assert COUPLE.phrases_for(breathing, numbers=False) == (
        "stop",
        "pineapple",
        "pause",
        "resume",
        "slower",
        "faster",
    )
    assert VOCAB.phrases_for(YES_NO, numbers=False) == ("stop", "yes", "no")
    assert VOCAB.phrases_for(frozenset(), numbers=False) == ("stop",)


def test_phrases_for_numbers_are_one_to_ten_only_when_asked() -> None:
    rating = VOCAB.phrases_for(frozenset({Intent.NUMBER, Intent.REPEAT}), numbers=True)
    ten = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
    assert rating == ("stop", "repeat", *ten)
    assert "three" not in VOCAB.phrases_for(frozenset({Intent.NUMBER}), numbers=False)
    five = VOCAB.phrases_for(frozenset({Intent.NUMBER}), numbers=True, up_to=5)
    assert five == ("stop", *ten[:5])
    assert VOCAB.phrases_for(frozenset(), numbers=True, up_to=99) == ("stop", *ten)


def test_phrases_for_any_command_are_one_short_word_per_intent() -> None:
    phrases = VOCAB.phrases_for(None, numbers=False)
    assert phrases == ("stop", "repeat", "skip", "pause", "resume", "yes", "no", "slower", "faster")
    vocab = CommandVocabulary(phrases={Intent.SKIP: ("Pass!", "move on")}, stop_words=("halt",))
    assert vocab.phrases_for(None, numbers=False) == ("halt", "pass")


def test_custom_phrases_replace_the_defaults() -> None:
    vocab = CommandVocabulary(phrases={Intent.SKIP: ("Let it go",)})
    assert vocab.phrases[Intent.SKIP] == ("let it go",)
    assert intent_of("let it go", vocab) is Intent.SKIP
    assert intent_of("next", vocab) is Intent.NONE


def test_vocabulary_is_frozen_hashable_and_comparable() -> None:
    source = {Intent.SKIP: ("next",)}
    vocab = CommandVocabulary(phrases=source)
    source[Intent.SKIP] = ("other",)
    assert vocab.phrases[Intent.SKIP] == ("next",)
    assert vocab == CommandVocabulary(phrases={Intent.SKIP: ("next",)})
    assert hash(COUPLE) == hash(CommandVocabulary(personal_stop_word="pineapple"))
    with pytest.raises(AttributeError):
        vocab.personal_stop_word = "x"  # type: ignore[misc]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"personal_stop_word": "next"},  # would make SKIP stop the session
        {"personal_stop_word": "four"},  # would swallow a rating
        {"personal_stop_word": "  !! "},
        {"stop_words": ()},
        {"phrases": {Intent.NONE: ("nothing",)}},
        {"phrases": {Intent.NUMBER: ("a number",)}},
        {"phrases": {Intent.YES: ("sure",), Intent.NO: ("sure",)}},
        {"phrases": {Intent.YES: ("um",)}},
    ],
)
def test_inconsistent_vocabularies_are_rejected(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        CommandVocabulary(**kwargs)  # type: ignore[arg-type]


def test_personal_word_alone_is_enough() -> None:
    vocab = CommandVocabulary(stop_words=(), personal_stop_word="pineapple")
    assert intent_of("pineapple", vocab) is Intent.STOP
    assert intent_of("stop", vocab) is Intent.NONE


def test_command_confidence_is_bounded() -> None:
    with pytest.raises(ValueError):
        Command(Intent.YES, confidence=1.5)
