"""`voices`: which voices are installed, and a sample of one, spoken or written to a file."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from audio_companion.cli import main
from audio_companion.cli.build import VOICE_HELP, chosen_voice, rate_option

if TYPE_CHECKING:
    from audio_companion.audio.chunk import AudioChunk


@main.command()
@click.option("--say", "text", help="Speak this text (or write it with --out) as a sample.")
@click.option("--voice", "voice_spec", default=None, help=VOICE_HELP)
@rate_option
@click.option(
    "--out",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the sample to FILE (.wav, or .mp3 with ffmpeg) instead of playing it.",
)
@click.option("--output", "output_device", help="Output device (index or part of its name).")
def voices(
    text: str | None,
    voice_spec: str | None,
    rate_wpm: int | None,
    out: Path | None,
    output_device: str | None,
) -> None:
    """List the installed voices, or hear one: --say "text" [--voice V] [--out FILE].

    Every voice listed speaks offline; none is ever downloaded. The sample is
    read as `build` would read it (the same normalising and lexicon).
    """
    from audio_companion.tts.registry import installed_voices, make_synthesizer

    if text is None:
        if out is not None or voice_spec is not None:
            raise click.UsageError("--voice and --out go with --say TEXT")
        found = installed_voices()
        if not found:
            click.echo("No voice is installed; run: bash scripts/setup.sh")
            return
        width = max(len(v.spec) for v in found)
        for v in found:
            mark = "*" if v.default else " "
            click.echo(f"{mark} {v.spec:{width}}  {v.description}")
        click.echo("(* the default voice; choose another with --voice SPEC)")
        return
    from audio_companion.narration.lexicon import default_lexicon
    from audio_companion.narration.normalise import speakable

    voice = chosen_voice(voice_spec, rate_wpm)
    spoken = speakable(text, default_lexicon().for_engine(voice.engine))
    audio = make_synthesizer(voice).synthesize(spoken)
    if out is not None:
        _write(audio, out)
        click.echo(f"{out}: {audio.duration:.1f} s, {voice.engine} at {voice.rate_wpm} wpm")
        return
    from audio_companion.audio.speaker import SpeakerSink

    with SpeakerSink(output_device, audio.rate) as speaker:  # played as rendered
        speaker.play(audio).wait(audio.duration + 5.0)


def _write(audio: AudioChunk, out: Path) -> None:
    """The sample as a WAV or an MP3 file, by `out`'s suffix."""
    from audio_companion.errors import InputError

    suffix = out.suffix.lower()
    if suffix == ".wav":
        from audio_companion.audio.wav import write_wav
        from audio_companion.fsutil import atomic_path

        with atomic_path(out) as tmp:
            write_wav(tmp, audio)
    elif suffix == ".mp3":
        from audio_companion.media.encode import EncodeSettings, encode_mp3
        from audio_companion.media.ffmpeg import require_ffmpeg

        require_ffmpeg()
        encode_mp3(audio, out, EncodeSettings(), {"title": "Voice sample"})
    else:
        raise InputError(f"--out {out}: write a .wav or an .mp3 file")
