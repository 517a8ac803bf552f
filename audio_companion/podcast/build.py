"""The build step: articles in, narrated MP3 episodes and feed.xml out.

Planning (what each episode is called, says and is identified by) is pure;
only `build` touches the synthesizer, ffmpeg and the output folder.
"""

from __future__ import annotations

import os
import re
import time
import uuid
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Protocol

from audio_companion import __version__
from audio_companion.article.model import Article, BlockKind, Section, slugify
from audio_companion.audio.chunk import AudioChunk
from audio_companion.errors import BuildError, InputError
from audio_companion.fsutil import write_bytes_atomic
from audio_companion.narration.lexicon import Lexicon, default_lexicon
from audio_companion.podcast import feed, transcript
from audio_companion.podcast.audiobook import BookPart, write_audiobook
from audio_companion.podcast.chapters import (
    Chapter,
    episode_chapters,
    json_chapters,
    shift,
    write_id3,
)
from audio_companion.podcast.chime import make_chime
from audio_companion.podcast.cover import make_cover
from audio_companion.podcast.encode import encode_mp3, mp3_duration, require_ffmpeg
from audio_companion.podcast.master import MasterReport, master
from audio_companion.podcast.render import RenderedEpisode, assemble, script_sentences
from audio_companion.podcast.script import Line, episode_script, estimated_seconds
from audio_companion.settings import BuildSettings
from audio_companion.speech.narrator import Narrator, Pending, SpeechStore
from audio_companion.speech.tts import Synthesizer

GUID_NAMESPACE = uuid.UUID("6f1c1a52-5a8e-4f57-9a43-3c1f0b7e2d10")
DEFAULT_SHOW_TITLE = "Audio Companion"
FEED_FILE = "feed.xml"
COVER_FILE = "cover.png"


@dataclass(frozen=True)
class PlannedEpisode:
    season: int
    number: int
    title: str
    guid: str
    file_name: str
    lines: tuple[Line, ...]
    notes: str


class Reporter(Protocol):
    def episode_done(
        self, ep: PlannedEpisode, index: int, total: int, audio_seconds: float
    ) -> None: ...


class SilentReporter:
    def episode_done(
        self, ep: PlannedEpisode, index: int, total: int, audio_seconds: float
    ) -> None:
        pass


@dataclass(frozen=True)
class BuildResult:
    feed_path: Path
    episodes: tuple[feed.Episode, ...]
    audio_seconds: float
    wall_seconds: float
    loudness: tuple[MasterReport, ...] = ()  # per narrated episode, in order
    sentences_synthesized: int = 0
    sentences_cached: int = 0
    audiobook: Path | None = None


def episode_guid(article: Article, section: Section) -> str:
    """Identity of an episode: its article and section titles, never its text or
    the place it is served from, so edits and moves keep subscribers' history."""
    return str(uuid.uuid5(GUID_NAMESPACE, f"{article.slug}/{slugify(section.title)}"))


def _summary(section: Section, limit: int = 320) -> str:
    paras = [b.text for b in section.all_blocks() if b.kind is BlockKind.PARAGRAPH]
    text = paras[0] if paras else section.title
    if len(text) <= limit:
        return text
    cut = text[:limit]
    end = max(cut.rfind(". "), cut.rfind("? "), cut.rfind("! "))
    return cut[: end + 1] if end > 40 else cut.rsplit(" ", 1)[0] + "…"


def cited_in(section: Section, citations: tuple[str, ...]) -> list[str]:
    """Citations whose first author's surname the section mentions."""
    body = " ".join(b.text for b in section.all_blocks())
    found = []
    for cite in citations:
        surname = re.split(r"[,(]", cite, maxsplit=1)[0].strip()
        if surname and re.search(rf"\b{re.escape(surname)}\b", body):
            found.append(cite)
    return found


def show_notes(section: Section, citations: tuple[str, ...]) -> str:
    parts = [_summary(section)]
    if section.subsections:
        parts.append("In this episode: " + "; ".join(s.title for s in section.subsections) + ".")
    sources = cited_in(section, citations)
    if sources:
        parts.append("Sources: " + " ".join(sources))
    return "\n\n".join(parts)


def show_title(articles: list[Article], settings: BuildSettings) -> str:
    if settings.show.title:
        return settings.show.title
    return articles[0].title if len(articles) == 1 else DEFAULT_SHOW_TITLE


def show_description(articles: list[Article], settings: BuildSettings) -> str:
    if settings.show.description:
        return settings.show.description
    if len(articles) == 1:
        a = articles[0]
        text = a.teaser or a.title
        if a.highlights:
            text += "\n\n" + "\n".join(f"• {h}" for h in a.highlights)
        return text
    return "Narrated articles: " + "; ".join(a.title for a in articles) + "."


MIN_EPISODE_S = 30.0  # shorter sections join a neighbour
MAX_EPISODE_S = 25 * 60.0  # longer ones split at sub-section boundaries


def shape_sections(
    sections: tuple[Section, ...],
    show: str,
    min_s: float = MIN_EPISODE_S,
    max_s: float = MAX_EPISODE_S,
    lexicon: Lexicon | None = None,
) -> list[Section]:
    """Episodes of a listenable length: tiny sections become a chapter of the
    next section (or of the previous one, at the end); very long ones are cut
    into parts between their sub-sections."""

    def seconds(section: Section) -> float:
        return estimated_seconds(episode_script(show, 1, section, lexicon))

    shaped = list(sections)
    i = 0
    while len(shaped) > 1 and i < len(shaped):
        if seconds(shaped[i]) >= min_s:
            i += 1
            continue
        tiny = shaped.pop(i)
        chapter = Section(tiny.title, tiny.all_blocks())
        if i < len(shaped):  # the next section opens with it, in reading order
            host = shaped[i]
            own = (Section(host.title, host.blocks),) if host.blocks else ()
            shaped[i] = Section(host.title, (), (chapter, *own, *host.subsections))
        else:  # the last section closes the previous episode
            host = shaped[i - 1]
            shaped[i - 1] = Section(host.title, host.blocks, (*host.subsections, chapter))
    out: list[Section] = []
    for section in shaped:
        if seconds(section) <= max_s or len(section.subsections) < 2:
            out.append(section)
            continue
        parts: list[list[Section]] = [[]]
        for sub in section.subsections:
            trial = Section(section.title, (), tuple([*parts[-1], sub]))
            if parts[-1] and seconds(trial) > max_s:
                parts.append([])
            parts[-1].append(sub)
        for k, subs in enumerate(parts, start=1):
            blocks = section.blocks if k == 1 else ()
            out.append(Section(f"{section.title}, part {k}", blocks, tuple(subs)))
    return out


def plan(articles: list[Article], settings: BuildSettings) -> list[PlannedEpisode]:
    title = show_title(articles, settings)
    lexicon = default_lexicon(settings.lexicon)
    episodes = []
    for season, article in enumerate(articles, start=1):
        prefix = article.slug[:24].rstrip("-")
        for number, section in enumerate(
            shape_sections(article.sections, title, lexicon=lexicon), start=1
        ):
            slug = slugify(section.title, max_len=32)
            episodes.append(
                PlannedEpisode(
                    season=season,
                    number=number,
                    title=section.title,
                    guid=episode_guid(article, section),
                    file_name=f"{prefix}-s{season:02d}e{number:02d}-{slug}.mp3",
                    lines=tuple(episode_script(title, number, section, lexicon)),
                    notes=show_notes(section, article.citations),
                )
            )
    return episodes


@dataclass(frozen=True)
class _Tags:
    title: str
    artist: str
    album: str
    track: int
    date: str
    cover_png: bytes | None


@dataclass(frozen=True)
class _Encoded:
    size: int
    duration: float
    loudness: MasterReport
    audio: AudioChunk  # mastered, as encoded
    chapters: tuple[Chapter, ...]


def _encode(
    rendered: RenderedEpisode, path: Path, settings: BuildSettings, tags: _Tags
) -> _Encoded:
    """Master and encode one episode with its tags, chapters (ID3 and Podcasting
    2.0 JSON) and transcripts, all at the real offsets in the mastered audio."""
    audio, report = master(rendered.audio)
    encode_mp3(audio, path, settings.encode, {})
    marks = episode_chapters(rendered.placed, rendered.audio.duration, intro_title=tags.title)
    marks = shift(marks, -report.trimmed_start_s)
    write_id3(
        path,
        title=tags.title,
        artist=tags.artist,
        album=tags.album,
        track=tags.track,
        date=tags.date,
        chapters=marks,
        cover_png=tags.cover_png,
    )
    write_bytes_atomic(chapters_path(path), json_chapters(marks, tags.title).encode("utf-8"))
    cues = transcript.cues_from_sentences([(s.start, s.end, s.shown) for s in rendered.sentences])
    cues = transcript.shift(cues, -report.trimmed_start_s, audio.duration)
    vtt, srt = transcript_paths(path)
    write_bytes_atomic(vtt, transcript.to_vtt(cues).encode("utf-8"))
    write_bytes_atomic(srt, transcript.to_srt(cues).encode("utf-8"))
    return _Encoded(path.stat().st_size, mp3_duration(path), report, audio, tuple(marks))


def chapters_path(mp3: Path) -> Path:
    return mp3.with_name(mp3.stem + ".chapters.json")


def transcript_paths(mp3: Path) -> tuple[Path, Path]:
    """The WebVTT and SubRip transcripts of an episode file."""
    return mp3.with_suffix(".vtt"), mp3.with_suffix(".srt")


def parse_breathing(spec: str) -> tuple[tuple[str, float], ...]:
    """`box:4,resonance:5` → (("box", 4.0), ("resonance", 5.0)); minutes default to 4."""
    out = []
    for item in filter(None, (p.strip() for p in spec.split(","))):
        name, _, minutes = item.partition(":")
        try:
            value = float(minutes) if minutes else 4.0
        except ValueError:
            raise InputError(
                f"--breathing {item!r}: minutes must be a number, e.g. box:4"
            ) from None
        out.append((name.strip(), value))
    return tuple(out)


def _breathing_episodes(
    settings: BuildSettings, synth: Synthesizer, season: int, published: datetime
) -> list[feed.Episode]:
    """Guided breathing sessions as a season of their own, to follow from a podcast app."""
    if not settings.breathing:
        return []
    from audio_companion.breathing import render_file, resolve_pattern
    from audio_companion.breathing.render import feed_episode
    from audio_companion.breathing.session import session_title
    from audio_companion.speech.prompts import PromptCache

    prompts = PromptCache(synth)
    episodes = []
    for number, (name, minutes) in enumerate(settings.breathing, start=1):
        pattern = resolve_pattern(name)
        title = session_title(pattern, minutes)
        path = settings.out_dir / f"breathing-{slugify(pattern.name)}-{minutes:g}min.mp3"
        written = render_file(
            pattern,
            path,
            prompts,
            minutes=minutes,
            title=title,
            artist=settings.show.author,
            encode=settings.encode,
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
                published=published,
            )
        )
    return episodes


def build(
    articles: list[Article],
    settings: BuildSettings,
    synth: Synthesizer,
    reporter: Reporter | None = None,
    factory: Callable[[], Synthesizer] | None = None,
) -> BuildResult:
    """Narrate, master and encode every episode and write the feed.

    `factory` builds a synthesizer like `synth` inside worker processes (it
    must be picklable); with it and `settings.workers` > 1, sentences are
    synthesised on every core while finished episodes are encoded.
    """
    if not articles:
        raise BuildError("nothing to build: no articles given")
    reporter = reporter or SilentReporter()
    require_ffmpeg()
    started = time.monotonic()
    out = settings.out_dir
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BuildError(f"cannot create output folder {out}: {exc.strerror}") from exc

    title = show_title(articles, settings)
    image_url = settings.show.image_url
    if image_url is None:
        cover = make_cover(title, settings.show.author)
        cover_path = out / COVER_FILE
        if not cover_path.exists() or cover_path.read_bytes() != cover:
            write_bytes_atomic(cover_path, cover)
        image_url = settings.base_url + COVER_FILE

    planned = plan(articles, settings)
    # Embedded art stays small: every episode file carries a copy.
    small_cover = make_cover(title, settings.show.author, size=600)
    base_time = datetime.fromtimestamp(settings.published, tz=timezone.utc).replace(microsecond=0)
    store = SpeechStore(settings.speech_cache) if settings.speech_cache else None
    with (
        Narrator(synth, store=store, workers=settings.workers, factory=factory) as narrator,
        ThreadPoolExecutor(
            max_workers=max(1, min(len(planned), os.cpu_count() or 1)),
            thread_name_prefix="encode",
        ) as pool,
    ):
        # Every episode's sentences are queued at once, so the synthesis
        # workers never wait while finished episodes are mastered and encoded
        # (ffmpeg runs in its own processes; numpy releases the GIL).
        pending = [narrator.submit(script_sentences(ep.lines)) for ep in planned]
        chime = make_chime(first_rate(narrator, pending[0])) if settings.chime else None
        jobs: list[Future[_Encoded]] = []
        for index, (ep, waiting) in enumerate(zip(planned, pending, strict=True)):
            rendered = assemble(ep.lines, narrator.result(waiting), chime)
            tags = _Tags(
                ep.title,
                settings.show.author,
                title,
                ep.number,
                base_time.strftime("%Y"),
                small_cover,
            )
            jobs.append(pool.submit(_encode, rendered, out / ep.file_name, settings, tags))
            reporter.episode_done(ep, index, len(planned), rendered.audio.duration)
        encoded = [job.result() for job in jobs]

    book = None
    if settings.audiobook is not None:
        book = settings.audiobook
        write_audiobook(
            [
                BookPart(ep.title, enc.audio, enc.chapters)
                for ep, enc in zip(planned, encoded, strict=True)
            ],
            book,
            title=title,
            author=settings.show.author,
            cover_png=small_cover,
            bitrate=settings.encode.bitrate,
        )

    entries = [
        feed.Episode(
            guid=ep.guid,
            title=ep.title,
            description=ep.notes,
            url=settings.base_url + ep.file_name,
            length_bytes=enc.size,
            duration_s=enc.duration,
            number=ep.number,
            season=ep.season,
            # One minute apart, oldest first, so apps list them in article order.
            published=base_time - timedelta(minutes=len(planned) - 1 - index),
        )
        for index, (ep, enc) in enumerate(zip(planned, encoded, strict=True))
    ]
    entries.extend(_breathing_episodes(settings, synth, len(articles) + 1, base_time))
    audio_total = sum(e.duration_s for e in entries)

    channel = feed.Channel(
        title=title,
        description=show_description(articles, settings),
        link=settings.base_url,
        feed_url=settings.feed_url,
        language=settings.show.language,
        author=settings.show.author,
        owner_email=settings.show.owner_email,
        image_url=image_url,
        category=settings.show.category,
        subcategory=settings.show.subcategory,
        explicit=settings.show.explicit,
        generator=f"audio-companion {__version__}",
    )
    feed_path = out / FEED_FILE
    write_bytes_atomic(feed_path, feed.render_feed(channel, entries))
    return BuildResult(
        feed_path,
        tuple(entries),
        audio_total,
        time.monotonic() - started,
        tuple(enc.loudness for enc in encoded),
        sentences_synthesized=len(narrator.stats.synthesized),
        sentences_cached=narrator.stats.hits,
        audiobook=book,
    )


def first_rate(narrator: Narrator, pending: Pending) -> int:
    """The sample rate the voice speaks at (the chime is made to match it)."""
    return narrator.result(pending)[0].rate
