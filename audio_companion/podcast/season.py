"""Guided breathing sessions as a season of their own, to follow from a podcast app.

Like narrated episodes they keep their GUID and date and are rendered again
only when what they are made from changes (`session_hash`).
"""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from audio_companion.article.model import slugify
from audio_companion.podcast.plan import RENDER_VERSION
from audio_companion.podcast.settings import BuildSettings
from audio_companion.podcast.switch import fresh_name
from audio_companion.publish import feed
from audio_companion.publish.manifest import EpisodeRecord, Manifest
from audio_companion.tts.base import Synthesizer

if TYPE_CHECKING:
    from audio_companion.breathing.patterns import Pattern
    from audio_companion.breathing.render import WrittenSession

GUID_NAMESPACE = uuid.UUID("0b5e7c2a-8f0e-4d53-a2a8-3f4b7c9d1e60")


def feed_episode(
    written: WrittenSession,
    *,
    title: str,
    description: str,
    base_url: str,
    number: int,
    published: datetime,
    season: int = 1,
    guid: str | None = None,
) -> feed.Episode:
    """The feed entry for a written session (render_feed takes a list of these).

    The guid defaults to one derived from the file name, so re-rendering a
    session under the same name does not show up as a new episode.
    """
    return feed.Episode(
        guid=guid or session_guid(written.path.name),
        title=title,
        description=description,
        url=base_url + written.path.name,
        length_bytes=written.size_bytes,
        duration_s=written.duration_s,
        number=number,
        season=season,
        published=published,
    )


def session_guid(file_name: str) -> str:
    return str(uuid.uuid5(GUID_NAMESPACE, file_name))


def session_hash(
    pattern: Pattern, minutes: float, title: str, voice: str, settings: BuildSettings
) -> str:
    """Everything a session file is made from; equal hashes, equal files."""
    phases = [[p.kind, p.seconds, p.word] for p in pattern.phases]
    spec = [
        RENDER_VERSION,
        {"name": pattern.name, "phases": phases, "description": pattern.description},
        minutes,
        voice,
        settings.show.author,
        [settings.encode.bitrate, settings.encode.sample_rate, title],
    ]
    return hashlib.sha256(json.dumps(spec).encode("utf-8")).hexdigest()


def _file_size(path: Path) -> int:
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return -1


def breathing_season(
    settings: BuildSettings,
    synth: Synthesizer,
    season: int,
    published: datetime,
    manifest: Manifest,
    staging: Path,
) -> list[feed.Episode]:
    """The feed entries of `settings.breathing`, rendering into `staging` the
    sessions that changed and recording every one in `manifest`."""
    if not settings.breathing:
        return []
    from audio_companion.breathing import BreathingSession, render_file, resolve_pattern
    from audio_companion.breathing.render import WrittenSession
    from audio_companion.breathing.session import session_title
    from audio_companion.tts.prompts import PromptCache

    prompts = PromptCache(synth)
    out = settings.out_dir
    episodes = []
    for number, (name, minutes) in enumerate(settings.breathing, start=1):
        pattern = resolve_pattern(name)
        title = session_title(pattern, minutes)
        path = out / f"breathing-{slugify(pattern.name)}-{minutes:g}min.mp3"
        key = f"breathing/{path.stem}"
        digest = session_hash(pattern, minutes, title, synth.identity, settings)
        record = manifest.episodes.get(key)
        live = out / record.file_name if record is not None and record.file_name else path
        if record is not None and record.content_hash == digest and _file_size(live) == record.size:
            written = WrittenSession(live, record.size, record.duration_s, ())
        else:
            # A new name when the old is published (podcast.switch).
            name = fresh_name(path.name, digest, lambda n: (out / n).exists())
            written = render_file(
                BreathingSession(pattern, minutes),
                staging / name,
                prompts,
                title=title,
                artist=settings.show.author,
                encode=settings.encode,
            )
        first = record.first_published if record else published
        manifest.episodes[key] = EpisodeRecord(
            key=key,
            guid=record.guid if record else session_guid(path.name),
            first_published=first,
            file_name=written.path.name,
            content_hash=digest,
            size=written.size_bytes,
            duration_s=written.duration_s,
            chapters=tuple(written.chapters) or (record.chapters if record else ()),
        )
        description = (
            f"{title}: follow the spoken cues, in through the nose and slowly out. "
            f"{pattern.description}"
        ).strip()
        episodes.append(
            feed_episode(
                written,
                title=title,
                description=description,
                base_url=settings.base_url,
                number=number,
                season=season,
                published=first,
                guid=manifest.episodes[key].guid,
            )
        )
    return episodes
