"""`breathe`: guided paced breathing, live with voice control or rendered to a file."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from audio_companion.cli import main, show
from audio_companion.cli.journal import journal_option
from audio_companion.cli.stack import (
    VoiceOptions,
    VoiceStack,
    open_speaker,
    open_voice,
    prompt_cache,
    vocabulary_for,
)
from audio_companion.cli.voice import stop_word_option, with_voice_options
from audio_companion.voice.heard import ANY_ANSWER, Ask, Heard

if TYPE_CHECKING:
    from audio_companion.breathing.cues import CueStyle
    from audio_companion.breathing.session import BreathingSession
    from audio_companion.tts.prompts import PromptCache
    from audio_companion.voice.intents import CommandVocabulary
    from audio_companion.voice.loop import VoiceLoop


@main.command()
@click.option(
    "--pattern",
    default="box",
    show_default=True,
    help="box, 4-7-8, resonance, sigh, custom phases like 4-2-6-0, or a .toml file.",
)
@click.option("--minutes", type=float, help="Length in minutes (default 4).")
@click.option("--breaths", type=int, help="Length in breaths instead of minutes.")
@click.option(
    "--render",
    "render_to",
    type=click.Path(path_type=Path),
    help="Write the session to this MP3 (with chapters) instead of playing it.",
)
@click.option(
    "--tones/--no-tones",
    default=False,
    show_default=True,
    help="Soft rising and falling tones with the spoken cues.",
)
@click.option("--count", is_flag=True, help="Count quietly through long phases.")
@click.option(
    "--voice-cues/--no-voice-cues",
    default=True,
    show_default=True,
    help="Spoken cues, intro and close; without them the session is tones only.",
)
@click.option(
    "--countdown/--no-countdown",
    default=True,
    show_default=True,
    help="Three, two, one (spoken, or three pips) before the first breath.",
)
@click.option("--gong/--no-gong", default=True, show_default=True, help="A soft gong at the end.")
@click.option("--double-out", is_flag=True, help="The out-breath tone as two short falling glides.")
@click.option(
    "--ambient",
    type=click.Choice(["brown", "pink", "rain-like"]),
    help="A generated noise bed under the cues; fades in and out, ducks under every cue.",
)
@click.option(
    "--listen/--no-listen",
    default=True,
    show_default=True,
    help="Listen for stop, pause, resume, slower, faster and skip.",
)
@with_voice_options
@stop_word_option
@click.option(
    "--report",
    "report_to",
    type=click.Path(path_type=Path),
    help="Write each cue's planned and actual start, and every command heard with what it "
    "did and when (JSON), to this file.",
)
@click.option(
    "--find-resonance",
    is_flag=True,
    help="Find your own resonance pace: 6.5 down to 4.5 breaths a minute, about 2 minutes "
    "each, rated for comfort (1-5, or easier/harder) after each; kept in the journal, and "
    "--pattern resonance uses it from then on. Comfort, not heart rate variability: there is "
    "no sensor. With --render, the steps as one episode, without questions.",
)
@journal_option
def breathe(
    pattern: str,
    minutes: float | None,
    breaths: int | None,
    render_to: Path | None,
    tones: bool,
    count: bool,
    voice_cues: bool,
    countdown: bool,
    gong: bool,
    double_out: bool,
    ambient: str | None,
    listen: bool,
    voice_options: VoiceOptions,
    stop_word: str | None,
    report_to: Path | None,
    find_resonance: bool,
    journal_path: Path | None,
) -> None:
    """Breathe along with spoken cues that start exactly on each phase boundary.

    Live, say "slower" or "faster" (every phase changes by about 10% from the
    next breath; a soft tone answers at once), "pause" and "resume" (the
    interrupted breath starts again), "skip" (straight to the close), or
    "stop". With --render the same session is written to an MP3 to follow
    from any player or podcast app.
    """
    from audio_companion.breathing import BreathingSession, resolve_pattern
    from audio_companion.breathing.cues import CueStyle

    if find_resonance:
        _resonance_options(minutes, breaths, listen or render_to is not None)
    chosen = resolve_pattern(pattern, None if find_resonance else _own_pace(pattern, journal_path))
    if minutes is None and breaths is None:
        minutes = 4.0
    # One clear line for a bad length, before any work.
    style = CueStyle(
        voice=voice_cues,
        tones=tones or not voice_cues,
        count=count,
        intro=voice_cues,
        countdown=countdown,
        gong=gong,
        double_out=double_out,
    )
    session = BreathingSession(chosen, minutes, breaths, style, ambient=ambient)
    prompts = prompt_cache()
    if find_resonance:
        _find_resonance(style, ambient, render_to, voice_options, stop_word, journal_path, prompts)
        return

    if render_to is not None:
        from audio_companion.breathing import render_file

        written = render_file(session, render_to, prompts)
        click.echo(
            f"Wrote {written.path} ({written.duration_s / 60:.1f} min, "
            f"{len(written.chapters)} chapters)."
        )
        return
    vocabulary = vocabulary_for(stop_word) if listen else None
    _live(session, prompts, voice_options, vocabulary, report_to)


def _live(
    session: BreathingSession,
    prompts: PromptCache,
    options: VoiceOptions,
    vocabulary: CommandVocabulary | None,
    report_to: Path | None,
) -> None:
    """Play the session on the speaker; with a vocabulary, spoken commands steer it."""
    import contextlib

    from audio_companion.audio.speaker import SpeakerSink
    from audio_companion.breathing.cues import RATE as CUE_RATE
    from audio_companion.breathing.session import live_bed, live_player
    from audio_companion.breathing.voice import VoiceControl

    # The ambient bed plays on a stream of its own, so the cue stream keeps its timing.
    bed_speaker: contextlib.AbstractContextManager[SpeakerSink | None] = (
        SpeakerSink(options.output_device, CUE_RATE)
        if session.ambient
        else contextlib.nullcontext()
    )
    with (
        (
            open_speaker(options.output_device, prompts, CUE_RATE)
            if vocabulary is None
            else open_voice(
                options,
                prompts,
                vocabulary,
                commands=True,
                rate=CUE_RATE,
                ambient=bool(session.ambient),
            )
        ) as voice,
        bed_speaker as bed_sink,
    ):
        player = live_player(session, voice.speaker, prompts)
        bed = live_bed(session, bed_sink, player) if bed_sink is not None else None
        if isinstance(voice, VoiceStack):
            player.poll = VoiceControl(voice.loop, player, show=show)
        click.echo("Breathing; say stop to end." if vocabulary is not None else "Breathing.")
        sys.stdout.flush()
        if bed is not None:
            bed.start()
        report = player.run()
        if bed is not None:
            bed.stop(fade=not report.stopped)  # a spoken stop silences everything at once
    ms = [x * 1000 for x in report.latenesses]
    timing = (
        f"cue timing: mean {sum(ms) / len(ms):.1f} ms, max {max(ms):.1f} ms late"
        if ms
        else "no cue played"
    )
    ended = "stopped" if report.stopped else "finished"
    click.echo(f"Session {ended} ({timing}).")
    if report_to is not None:
        import json

        from audio_companion.breathing.session import report_data
        from audio_companion.fsutil import write_bytes_atomic

        data = report_data(session, player, report)
        write_bytes_atomic(report_to, json.dumps(data, indent=1).encode())


def _resonance_options(minutes: float | None, breaths: int | None, asks: bool) -> None:
    """The protocol sets its own paces and lengths, and listens: say so, before any work."""
    from audio_companion.breathing.errors import BreathingError

    source = click.get_current_context().get_parameter_source("pattern")
    if (
        minutes is not None
        or breaths is not None
        or source is click.core.ParameterSource.COMMANDLINE
    ):
        raise BreathingError(
            "--find-resonance sets its own paces and lengths; leave out --pattern, --minutes "
            "and --breaths"
        )
    if not asks:
        raise BreathingError(
            "--find-resonance asks how each pace felt: drop --no-listen, or --render it"
        )


def _own_pace(pattern: str, journal_path: Path | None) -> float | None:
    """The pace --find-resonance kept, for --pattern resonance; None: the built-in one.

    Reading never creates a journal; an encrypted one without its passphrase
    falls back to the built-in pace with a note, rather than not breathing at all.
    """
    from audio_companion.breathing.patterns import is_resonance
    from audio_companion.cli.journal_crypto import passphrase_for
    from audio_companion.journal.passphrase import PassphraseError
    from audio_companion.journal.store import Journal, default_journal_path

    path = journal_path if journal_path is not None else default_journal_path()
    if not is_resonance(pattern) or not path.expanduser().exists():
        return None
    try:
        with Journal.open(path, passphrase_for(path)) as journal:
            found = journal.latest_pace()
    except PassphraseError as exc:
        click.echo(f"{exc}; breathing at the built-in resonance pace.", err=True)
        return None
    if found is None:
        return None
    how = "by comfort" if found.measure == "comfort" else "by heart rate variability"
    click.echo(f"Your resonance pace: {found.breaths_per_minute:g} breaths a minute (found {how}).")
    return found.breaths_per_minute


def _find_resonance(
    style: CueStyle,
    ambient: str | None,
    render_to: Path | None,
    options: VoiceOptions,
    stop_word: str | None,
    journal_path: Path | None,
    prompts: PromptCache,
) -> None:
    """`breathe --find-resonance`: the stepped protocol, live and rated, or rendered."""
    import dataclasses
    import time

    from audio_companion.breathing import resonance_io as io
    from audio_companion.breathing.cues import RATE as CUE_RATE
    from audio_companion.breathing.resonance import ResonanceProtocol, stepped_plan
    from audio_companion.breathing.voice import VoiceControl
    from audio_companion.cli.journal_crypto import passphrase_for
    from audio_companion.journal.store import Journal, default_journal_path

    plan = stepped_plan()
    if render_to is not None:
        written = io.render_episode(plan, render_to, prompts, style, ambient=ambient)
        click.echo(
            f"Wrote {written.path} ({written.duration_s / 60:.1f} min, {len(plan.steps)} paces)."
        )
        return
    path = journal_path if journal_path is not None else default_journal_path()
    vocabulary = io.comfort_vocabulary(vocabulary_for(stop_word))
    # The journal first: a missing passphrase is told before any device opens.
    with (
        Journal.open(path, passphrase_for(path)) as journal,
        open_voice(options, prompts, vocabulary, commands=True, rate=CUE_RATE) as voice,
    ):
        loop = _Shown(voice.loop)
        click.echo(
            "Finding your resonance pace (comfort, not heart rate variability); say stop to end."
        )
        sys.stdout.flush()
        steps = io.LiveStep(
            plan,
            voice.speaker,
            prompts,
            dataclasses.replace(style, intro=False),
            loop.say,
            lambda player: VoiceControl(voice.loop, player, show=show),
        )
        protocol = ResonanceProtocol(plan, time.monotonic, time.time)
        pace = io.run(protocol, steps, io.VoiceAsker(loop), loop.say)
        if pace is not None:
            journal.add_pace(pace)
    if pace is None:
        click.echo(
            "No pace kept (stopped, or no pace was rated); --pattern resonance is unchanged."
        )
        return
    ratings = ", ".join(f"{s.breaths_per_minute:g}: {s.comfort or '-'}" for s in pace.steps)
    click.echo(f"Comfort by pace: {ratings}.")
    click.echo(
        f"Your resonance pace: {pace.breaths_per_minute:g} breaths a minute, kept in {path}; "
        "--pattern resonance uses it from now on."
    )


class _Shown:
    """The voice loop, with what it says and hears shown on the terminal as well.

    The protocol takes ten minutes with eyes closed, but whoever glances at the
    screen sees which pace this is, the question, and the rating as heard.
    """

    def __init__(self, loop: VoiceLoop) -> None:
        self.loop = loop

    def say(self, text: str) -> None:
        show(text)
        self.loop.say(text)

    def listen(self, ask: Ask = ANY_ANSWER) -> Heard:
        heard = self.loop.listen(ask)
        if heard.kind == "speech":
            show(f"heard: {heard.text}")
        return heard
