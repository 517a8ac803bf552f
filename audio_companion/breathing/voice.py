"""Spoken control of a live breathing session: stop, pause, resume, slower, faster, skip.

The player asks `poll(until)` between cues; this listens through the voice
loop in that slice, in command mode: the recogniser expects only the
session's command words (never numbers: "three" is not "breathe"), and the
stop words always. Every sound the player has queued (cues and answering
tones) is announced to the voice loop first, so the companion's own
"in … out" never reaches the recogniser, and only the person's voice in the
quiet between cues does. "repeat" is understood and deliberately ignored
(see live.PLAYER_COMMANDS).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from audio_companion.breathing.live import LivePlayer, Spoken
from audio_companion.voice.duplex import normalize_words
from audio_companion.voice.endpoint import EndpointSettings
from audio_companion.voice.intents import Intent
from audio_companion.voice.loop import VoiceLoop

# The intents a breathing session obeys, as the player's command words (live.PLAYER_COMMANDS).
INTENT_COMMANDS: dict[Intent, str] = {
    Intent.STOP: "stop",
    Intent.PAUSE: "pause",
    Intent.RESUME: "resume",
    Intent.SLOWER: "slower",
    Intent.FASTER: "faster",
    Intent.SKIP: "skip",
    Intent.REPEAT: "repeat",
}

# A "stop" whose first sound is lost (a soft "s" ahead of the voice-activity
# detector's onset) comes back as "top". Nobody says "top" to a breathing
# session, and stopping is a safety promise: heard alone, it counts.
CLIPPED = {"top": "stop"}


def command_in(text: str, intent: Intent) -> str | None:
    """The session command a heard utterance asks for, if any."""
    command = INTENT_COMMANDS.get(intent)
    if command is None:
        words = normalize_words(text)
        if len(words) == 1:
            command = CLIPPED.get(words[0])
    return command


# Commands are single short words: a shorter end-of-speech silence than for
# answers lets "stop" take effect within about a second.
COMMAND_ENDPOINT = EndpointSettings(start_speech_s=0.2, end_silence_s=0.4, pre_roll_s=0.3)
# Cue words are never commands, and a cue's fragment before a command still
# leaves the command ("Out. Stop." is a stop), so no tail follows a cue: a
# person who says "stop" just after "out" must not lose the start of the word.
# (With a 0.1 s tail the rig still clipped it now and then: the microphone's
# capture times and the speaker's play times are only aligned to ~0.1 s.)
COMMAND_GATE_TAIL_S = 0.0
# Under an ambient bed the microphone hears the bed between words (in a room without
# headphones), and the voice-activity detector calls steady noise speech: an utterance
# then never ends on silence, only at its length limit (a spoken "stop" over a brown bed,
# speaker looped into the microphone: 4.6 s). A pause is then judged by loudness: audio
# far enough under the voice's loudest frame is a pause, and a complete command ends
# the turn there. The bed plays at -32 dBFS, a command at the microphone about -20.
AMBIENT_ENDPOINT = replace(COMMAND_ENDPOINT, quiet_ratio=0.35)


class VoiceControl:
    """The player's `poll`: listens between cues and hands over what was said, and when."""

    def __init__(
        self, loop: VoiceLoop, player: LivePlayer, show: Callable[[str], None] | None = None
    ) -> None:
        self.loop = loop
        self.player = player
        self.show = show
        self._announced = 0

    def __call__(self, until: float) -> Spoken | None:
        for start, end in self.player.own_sounds[self._announced :]:
            self.loop.own_sound(start, end)
        self._announced = len(self.player.own_sounds)
        heard = self.loop.poll(until, allowed=frozenset(INTENT_COMMANDS))
        if heard is None or heard.kind != "speech":
            return None
        command = command_in(heard.text, heard.command.intent)
        if self.show is not None:
            self.show(f"heard: {heard.text}" + (f" -> {command}" if command else ""))
        return Spoken(command, heard.text, heard.ended)
