"""When a person's turn is over: the figures, and whether an answer sounds finished.

Plain silence is a poor judge of a turn's end. Waited for long enough to let a
thoughtful person pause mid-sentence, it makes every reply slow; short, it cuts
people off. So the voice loop also looks at the words so far (a speculative
decode during a short pause, `VoiceLoop`): a complete command or a finished
sentence ends the turn at once, and only an answer that is still going on
("...and then, um") gets the long, reflective patience.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# The last word of a sentence that is not over yet: an article, a conjunction, a
# possessive or a filler leaves the listener waiting for more. Prepositions and
# verbs are left out on purpose: English ends sentences with them ("what I
# worry about.", "I wanted to.").
CONTINUING = frozenset(
    {
        "a", "an", "the", "and", "but", "or", "so", "because", "cause", "if", "when",
        "while", "than", "my", "your", "our", "their", "um", "uh", "er", "erm", "hmm",
        "mm", "like", "very", "i", "it's", "i'm", "we're", "i've",
    }
)  # fmt: skip
_LAST_WORD = re.compile(r"([A-Za-z']+)\W*$")


def sounds_finished(text: str) -> bool:
    """Whether a transcript reads as a finished thought.

    Whisper punctuates what it hears: a finished sentence ends in ".", "!" or
    "?", a trailing-off voice in "..." or nothing. A sentence that ends on a
    word that needs a follow-up ("because.", "and.") is not finished either.
    Engines that do not punctuate (vosk) never sound finished here; their turns
    end on silence alone.
    """
    words = text.strip()
    if not words or words.endswith(("...", "…", ",", "-", "—")):
        return False
    if words[-1] not in ".!?":
        return False
    last = _LAST_WORD.search(words)
    return last is not None and last.group(1).lower() not in CONTINUING


@dataclass(frozen=True)
class TurnSettings:
    """When a person's turn is over.

    Figures from ``scripts/bench_listen.py`` (whisper tiny.en, 100 command clips
    in five voices), ``scripts/bench_reply.py`` (the hands-free check-in on the
    PulseAudio rig) and from how people answer a check-in question.
    """

    answer_end_silence_s: float = 1.5
    """Answer mode: the silence that ends an answer that does not sound finished
    (never less than the endpoint's own). Someone telling how their day was stops
    to think mid-sentence ("I felt, um..."); at 0.7 s such an answer is cut in
    two and its second half is taken for the next turn. Dictation systems wait
    1-1.5 s for the same reason; this is the reflective end of that range,
    because a finished sentence no longer has to wait for it."""
    draft_after_s: float = 0.1
    """The pause after which the words so far are decoded (a draft), in either mode.
    A decode takes 0.25-0.35 s on a small CPU (whisper's encoder always sees a 30 s
    window), so a draft started here is ready about when a turn-ending pause is
    reached. Many drafts are wasted on pauses inside a sentence; they cost CPU,
    never audio (the microphone queues meanwhile)."""
    answer_finished_silence_s: float = 0.45
    """Answer mode: a draft that sounds finished (`sounds_finished`) ends the turn
    once the pause reaches this long. Pauses are measured from where the voice
    fades (`Endpointer.trailing_pause_s`), not from where the VAD lets go, and
    speech that resumes before then discards the draft. Not shorter: a pause at
    a comma often reads as a full stop to whisper ("Honestly, a bit tired."),
    and the test voice pauses 0.34-0.36 s at commas; at 0.35 s the rig's
    person was cut off after "tired" in one run of two."""
    complete_silence_s: float = 0.3
    """Command mode: after this much silence, words that already make a complete
    allowed command or number end the turn, without waiting for the endpoint's full
    end silence (0.7 s in a check-in). Nobody pauses for 0.3 s inside "stop" or
    "four"; a sentence that only begins like a command ("no, I mean...") goes on,
    and then the turn waits as usual. For whisper this is a speculative decode
    of the utterance so far; a streaming engine's partial result is used as is."""
    command_start_speech_s: float = 0.2
    """Command mode: the speech that opens an utterance (the endpoint's own is 0.3 s,
    which keeps a cough or an echo's edge from starting an answer). A one-word reply
    ("Four.") holds the VAD for barely 0.3 s; once or twice in ten rig runs a "Four."
    said to the mood question never opened an utterance at 0.3 s. The recogniser's
    rejection in command mode covers what a shorter start lets in."""
    complete_min_confidence: float = 0.8
    """The matcher's confidence a command needs to end the turn early: exact or near
    phrases, not hedges ("three or four" is 0.5)."""
    complete_min_heard: float = 0.55
    """The recogniser's confidence (whisper's draft) a command needs to end the turn
    early. An unsure draft waits for the end silence (the person may go on); if
    nothing more is said it is the result, and the dialog may confirm it. Whisper's
    15 s command window scores words about 0.12 lower than its 30 s one did, and
    this line (0.65 then) moved with it: on the bench 85 of 96 understood commands
    end their turn early."""

    def __post_init__(self) -> None:
        for name in (
            "answer_end_silence_s",
            "draft_after_s",
            "answer_finished_silence_s",
            "complete_silence_s",
            "command_start_speech_s",
        ):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name} must be positive")
        if self.draft_after_s > min(self.answer_finished_silence_s, self.complete_silence_s):
            raise ValueError("draft_after_s must not be longer than a turn-ending pause")
        for name in ("complete_min_confidence", "complete_min_heard"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ValueError(f"{name} must be within [0, 1]")
