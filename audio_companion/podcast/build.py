"""The build step: articles in, narrated MP3 episodes and feed.xml out.

Planning (what each episode is called, says and is identified by) is pure;
only `build` touches the synthesizer, ffmpeg and the output folder. Builds are
incremental: the manifest remembers a hash of everything each episode was made
from, and an episode whose hash and files are unchanged is left alone.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
import uuid
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from audio_companion import __version__
from audio_companion.article.model import Article, BlockKind, Section, slugify
from audio_companion.audio.chunk import AudioChunk
from audio_companion.errors import BuildError, InputError
from audio_companion.fsutil import (
    FolderBusy,
    folder_lock,
    scratch_folder,
    write_bytes_atomic,
    write_if_changed,
)
from audio_companion.media.chapters import (
    Chapter,
    episode_chapters,
    json_chapters,
    shift,
    write_id3,
)
from audio_companion.media.encode import encode_mp3, mp3_duration, require_ffmpeg
from audio_companion.narration import transcript
from audio_companion.narration.layout import RenderedEpisode, assemble, script_sentences
from audio_companion.narration.lexicon import Lexicon, default_lexicon
from audio_companion.narration.narrator import Narrator, Pending
from audio_companion.narration.script import Line, episode_script, estimated_seconds
from audio_companion.podcast.audiobook import BookPart, write_audiobook
from audio_companion.podcast.chime import make_chime
from audio_companion.podcast.settings import BuildSettings
from audio_companion.publish import feed
from audio_companion.publish.cover import cover_problems, make_cover
from audio_companion.publish.manifest import EpisodeRecord, Manifest, load_manifest, save_manifest
from audio_companion.publish.site import render_index
from audio_companion.publish.validate import format_problems, validate_folder
from audio_companion.tts.registry import Synthesizer
from audio_companion.tts.store import SpeechStore

if TYPE_CHECKING:  # mastering pulls in scipy (~0.7 s): only builds that render pay for it
    from audio_companion.media.loudness import MasterReport

GUID_NAMESPACE = uuid.UUID("6f1c1a52-5a8e-4f57-9a43-3c1f0b7e2d10")
DEFAULT_SHOW_TITLE = "Audio Companion"
FEED_FILE = "feed.xml"
COVER_FILE = "cover.png"
INDEX_FILE = "index.html"
LOCK_FILE = ".build.lock"
STAGING_DIR = ".staging"
# Bump when the audio made from the same script changes (pauses, mastering …):
# every episode is then rendered again on the next build.
RENDER_VERSION = 2
COVER_VERSION = 1


@dataclass(frozen=True)
class PlannedEpisode:
    season: int
    number: int
    title: str
    guid: str
    file_name: str
    lines: tuple[Line, ...]
    notes: str  # the summary; chapters and sources are added when the feed is written
    key: str = ""  # article slug / section slug, the manifest's key
    published: datetime = datetime(1970, 1, 1, tzinfo=timezone.utc)
    citations: tuple[str, ...] = ()


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
    rendered: tuple[str, ...] = ()  # file names of the episodes made in this build
    reused: tuple[str, ...] = ()  # unchanged episodes left as they were


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


def show_notes(section: Section) -> str:
    """The summary that opens the show notes (the feed adds chapters and sources)."""
    return _summary(section)


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


def episode_key(article: Article, section: Section) -> str:
    return f"{article.slug}/{slugify(section.title)}"


def plan(
    articles: list[Article], settings: BuildSettings, manifest: Manifest | None = None
) -> list[PlannedEpisode]:
    """Every episode of the build, with the GUID and date it was first published
    under (from `manifest`), or new ones: dated at the build time, a minute apart
    and oldest first, so apps list them in reading order."""
    manifest = manifest or Manifest()
    title = show_title(articles, settings)
    lexicon = default_lexicon(settings.lexicon)
    base_time = datetime.fromtimestamp(settings.published, tz=timezone.utc).replace(microsecond=0)
    drafts = []
    seen: set[str] = set()
    for season, article in enumerate(articles, start=1):
        prefix = article.slug[:24].rstrip("-")
        for number, section in enumerate(
            shape_sections(article.sections, title, lexicon=lexicon), start=1
        ):
            key = episode_key(article, section)
            for k in range(2, 1000):  # two sections with one title are two episodes
                if key not in seen:
                    break
                key = f"{episode_key(article, section)}-{k}"
            seen.add(key)
            slug = slugify(section.title, max_len=32)
            drafts.append(
                PlannedEpisode(
                    season=season,
                    number=number,
                    title=section.title,
                    guid=str(uuid.uuid5(GUID_NAMESPACE, key)),
                    file_name=f"{prefix}-s{season:02d}e{number:02d}-{slug}.mp3",
                    lines=tuple(episode_script(title, number, section, lexicon)),
                    notes=show_notes(section),
                    key=key,
                    citations=tuple(cited_in(section, article.citations)),
                )
            )
    new = [ep for ep in drafts if ep.key not in manifest.episodes]
    out = []
    for ep in drafts:
        record = manifest.episodes.get(ep.key)
        if record is not None:
            out.append(replace(ep, guid=record.guid, published=record.first_published))
        else:
            age = len(new) - 1 - new.index(ep)
            out.append(replace(ep, published=base_time - timedelta(minutes=age)))
    return out


def content_hash(ep: PlannedEpisode, settings: BuildSettings, voice: str, show: str) -> str:
    """Everything an episode's files are made from; equal hashes, equal files."""
    data = {
        "render": RENDER_VERSION,
        "voice": voice,
        "lines": [[ln.text, ln.pause_after, ln.kind, ln.chapter, ln.display] for ln in ep.lines],
        "encode": [settings.encode.bitrate, settings.encode.sample_rate, settings.encode.channels],
        "chime": settings.chime,
        "tags": [ep.title, settings.show.author, show, ep.number, _year(ep.published)],
    }
    return hashlib.sha256(json.dumps(data, ensure_ascii=False).encode("utf-8")).hexdigest()


def _year(when: datetime) -> str:
    return when.strftime("%Y")


def _unchanged(record: EpisodeRecord | None, digest: str, out: Path) -> bool:
    """The episode's files are there and were made from exactly this."""
    if record is None or record.content_hash != digest or not record.file_name:
        return False
    mp3 = out / record.file_name
    sidecars = (chapters_path(mp3), *transcript_paths(mp3))
    try:
        return mp3.stat().st_size == record.size and all(p.exists() for p in sidecars)
    except FileNotFoundError:
        return False


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
    from audio_companion.media.loudness import master

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
    settings: BuildSettings,
    synth: Synthesizer,
    season: int,
    published: datetime,
    manifest: Manifest,
    staging: Path,
) -> list[feed.Episode]:
    """Guided breathing sessions as a season of their own, to follow from a podcast app.

    Like narrated episodes they keep their GUID and date and are only rendered
    again when what they are made from changes."""
    if not settings.breathing:
        return []
    from audio_companion.breathing import render_file, resolve_pattern
    from audio_companion.breathing.render import GUID_NAMESPACE as BREATHING_NAMESPACE
    from audio_companion.breathing.render import WrittenSession, feed_episode
    from audio_companion.breathing.session import session_title
    from audio_companion.tts.prompts import PromptCache

    prompts = PromptCache(synth)
    episodes = []
    for number, (name, minutes) in enumerate(settings.breathing, start=1):
        pattern = resolve_pattern(name)
        title = session_title(pattern, minutes)
        path = settings.out_dir / f"breathing-{slugify(pattern.name)}-{minutes:g}min.mp3"
        staged = staging / path.name
        key = f"breathing/{path.stem}"
        spec = [RENDER_VERSION, repr(pattern), minutes, synth.identity, settings.show.author]
        spec.append([settings.encode.bitrate, settings.encode.sample_rate, title])
        digest = hashlib.sha256(json.dumps(spec).encode("utf-8")).hexdigest()
        record = manifest.episodes.get(key)
        if record is not None and record.content_hash == digest and _file_size(path) == record.size:
            written = WrittenSession(path, record.size, record.duration_s, ())
        else:
            written = render_file(
                pattern,
                staged,
                prompts,
                minutes=minutes,
                title=title,
                artist=settings.show.author,
                encode=settings.encode,
            )
        first = record.first_published if record else published
        manifest.episodes[key] = EpisodeRecord(
            key=key,
            guid=record.guid if record else str(uuid.uuid5(BREATHING_NAMESPACE, path.name)),
            first_published=first,
            file_name=path.name,
            content_hash=digest,
            size=written.size_bytes,
            duration_s=written.duration_s,
            chapters=tuple(Chapter(c.title, c.start, c.end) for c in written.chapters)
            or (record.chapters if record else ()),
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


def _file_size(path: Path) -> int:
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return -1


def build(
    articles: list[Article],
    settings: BuildSettings,
    synth: Synthesizer,
    reporter: Reporter | None = None,
    factory: Callable[[], Synthesizer] | None = None,
) -> BuildResult:
    """Narrate, master and encode every changed episode and write the feed.

    `factory` builds a synthesizer like `synth` inside worker processes (it
    must be picklable); with it and `settings.workers` > 1, sentences are
    synthesised on every core while finished episodes are encoded. The output
    folder is locked for the whole build: a second build waits for nothing and
    fails at once with a message naming the first.
    """
    if not articles:
        raise BuildError("nothing to build: no articles given")
    started = time.monotonic()
    out = settings.out_dir
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BuildError(f"cannot create output folder {out}: {exc.strerror}") from exc
    try:
        # New files are made in a staging folder and moved in only when every
        # one of them succeeded: a failed build leaves the published feed and
        # the files it describes exactly as they were.
        with folder_lock(out, LOCK_FILE), scratch_folder(out / STAGING_DIR) as staging:
            return _build_locked(articles, settings, synth, reporter, factory, started, staging)
    except FolderBusy as busy:
        raise BuildError(
            f"another build is writing to {out} ({busy.holder or 'pid unknown'}); "
            "wait for it to finish, or build into another folder with --out"
        ) from None


def _build_locked(
    articles: list[Article],
    settings: BuildSettings,
    synth: Synthesizer,
    reporter: Reporter | None,
    factory: Callable[[], Synthesizer] | None,
    started: float,
    staging: Path,
) -> BuildResult:
    reporter = reporter or SilentReporter()
    out = settings.out_dir
    manifest = load_manifest(out)
    title = show_title(articles, settings)
    image_url = _cover(settings, title, manifest)
    planned = plan(articles, settings, manifest)
    voice = synth.identity
    digests = {ep.key: content_hash(ep, settings, voice, title) for ep in planned}
    todo = [
        ep for ep in planned if not _unchanged(manifest.episodes.get(ep.key), digests[ep.key], out)
    ]
    if todo:
        require_ffmpeg()
    # Embedded art stays small: every episode file carries a copy.
    small_cover = make_cover(title, settings.show.author, size=600) if todo else None
    store = SpeechStore(settings.speech_cache) if settings.speech_cache else None
    encoded: dict[str, _Encoded] = {}
    with (
        Narrator(synth, store=store, workers=settings.workers, factory=factory) as narrator,
        ThreadPoolExecutor(
            max_workers=max(1, min(len(todo), os.cpu_count() or 1)),
            thread_name_prefix="encode",
        ) as pool,
    ):
        # Every episode's sentences are queued at once, so the synthesis
        # workers never wait while finished episodes are mastered and encoded
        # (ffmpeg runs in its own processes; numpy releases the GIL).
        pending = [narrator.submit(script_sentences(ep.lines)) for ep in todo]
        chime = make_chime(first_rate(narrator, pending[0])) if settings.chime and todo else None
        jobs: list[tuple[PlannedEpisode, Future[_Encoded]]] = []
        for index, (ep, waiting) in enumerate(zip(todo, pending, strict=True)):
            rendered = assemble(ep.lines, narrator.result(waiting), chime)
            tags = _Tags(
                ep.title,
                settings.show.author,
                title,
                ep.number,
                _year(ep.published),
                small_cover,
            )
            job = pool.submit(_encode, rendered, staging / ep.file_name, settings, tags)
            jobs.append((ep, job))
            reporter.episode_done(ep, index, len(todo), rendered.audio.duration)
        for ep, job in jobs:
            encoded[ep.key] = job.result()
    for ep in planned:
        enc = encoded.get(ep.key)
        if enc is not None:
            manifest.episodes[ep.key] = EpisodeRecord(
                key=ep.key,
                guid=ep.guid,
                first_published=ep.published,
                file_name=ep.file_name,
                content_hash=digests[ep.key],
                size=enc.size,
                duration_s=enc.duration,
                chapters=enc.chapters,
                lufs=enc.loudness.output_lufs,
                true_peak_dbtp=enc.loudness.true_peak_dbtp,
            )
    records = [manifest.episodes[ep.key] for ep in planned]
    entries = [
        feed.Episode(
            guid=ep.guid,
            title=ep.title,
            description=ep.notes,
            url=settings.base_url + rec.file_name,
            length_bytes=rec.size,
            duration_s=rec.duration_s,
            number=ep.number,
            season=ep.season,
            published=ep.published,
            chapters=rec.chapters,
            chapters_url=settings.base_url + chapters_path(Path(rec.file_name)).name,
            transcripts=tuple(
                feed.Transcript(settings.base_url + p.name, mime)
                for p, mime in zip(
                    transcript_paths(Path(rec.file_name)), feed.TRANSCRIPT_TYPES, strict=True
                )
            ),
            citations=ep.citations,
        )
        for ep, rec in zip(planned, records, strict=True)
    ]
    base_time = datetime.fromtimestamp(settings.published, tz=timezone.utc).replace(microsecond=0)
    entries.extend(
        _breathing_episodes(settings, synth, len(articles) + 1, base_time, manifest, staging)
    )
    for made in sorted(staging.iterdir()):
        os.replace(made, out / made.name)
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
        locked=settings.show.locked,
    )
    feed_path = out / FEED_FILE
    write_if_changed(feed_path, feed.render_feed(channel, entries))
    cover_file = COVER_FILE if image_url == settings.base_url + COVER_FILE else None
    if settings.show.cover is not None:
        cover_file = image_url.rsplit("/", 1)[-1]
    write_if_changed(out / INDEX_FILE, render_index(channel, entries, cover_file).encode("utf-8"))
    save_manifest(out, manifest)
    # The same checks `audio-companion validate` makes: a build that wrote a
    # feed apps would reject fails here rather than on a listener's phone.
    problems = validate_folder(out)
    if problems:
        raise BuildError(
            f"the feed in {out} has {len(problems)} problem(s):\n" + format_problems(problems)
        )

    book = None
    if settings.audiobook is not None:
        book = settings.audiobook
        write_audiobook(
            [
                BookPart(
                    ep.title,
                    encoded[ep.key].audio if ep.key in encoded else decode_mp3(out / rec.file_name),
                    rec.chapters,
                )
                for ep, rec in zip(planned, records, strict=True)
            ],
            book,
            title=title,
            author=settings.show.author,
            cover_png=small_cover or make_cover(title, settings.show.author, size=600),
            bitrate=settings.encode.bitrate,
        )

    return BuildResult(
        feed_path,
        tuple(entries),
        audio_total,
        time.monotonic() - started,
        tuple(enc.loudness for enc in encoded.values()),
        sentences_synthesized=len(narrator.stats.synthesized),
        sentences_cached=narrator.stats.hits,
        audiobook=book,
        rendered=tuple(ep.file_name for ep in todo),
        reused=tuple(ep.file_name for ep in planned if ep.key not in encoded),
    )


def _cover(settings: BuildSettings, title: str, manifest: Manifest) -> str:
    """The cover's URL: the user's image (checked, copied into the folder) or one
    drawn from the show title, redrawn only when title or author change."""
    out = settings.out_dir
    if settings.show.image_url is not None:
        return settings.show.image_url
    if settings.show.cover is not None:
        src = settings.show.cover
        try:
            data = src.read_bytes()
        except OSError as exc:
            raise InputError(f"--cover {src}: {exc.strerror}") from exc
        problems = cover_problems(data, src.name)
        if problems:
            raise InputError(f"--cover {src}: " + "; ".join(problems))
        name = "cover" + src.suffix.lower().replace(".jpeg", ".jpg")
        write_if_changed(out / name, data)
        return settings.base_url + name
    inputs = hashlib.sha256(
        f"{COVER_VERSION}\n{title}\n{settings.show.author}".encode()
    ).hexdigest()
    path = out / COVER_FILE
    if manifest.extra.get("cover") != inputs or not path.exists():
        write_if_changed(path, make_cover(title, settings.show.author))
        manifest.extra["cover"] = inputs
    return settings.base_url + COVER_FILE


def decode_mp3(path: Path, rate: int = 22050) -> AudioChunk:
    """An episode already on disk, back to samples (for the audiobook)."""
    import subprocess

    import numpy as np

    raw = subprocess.run(
        [
            require_ffmpeg(),
            "-v",
            "error",
            "-i",
            str(path),
            "-f",
            "s16le",
            "-ac",
            "1",
            "-ar",
            str(rate),
            "-",
        ],
        check=True,
        capture_output=True,
    ).stdout
    return AudioChunk.from_int16(np.frombuffer(raw, dtype="<i2"), rate)


def first_rate(narrator: Narrator, pending: Pending) -> int:
    """The sample rate the voice speaks at (the chime is made to match it)."""
    return narrator.result(pending)[0].rate
