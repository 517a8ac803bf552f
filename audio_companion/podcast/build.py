"""The build step: articles in, narrated MP3 episodes and feed.xml out.

Planning (podcast.plan) is pure; producing one episode's files is
podcast.produce, the breathing season podcast.season. This module runs a
build: it locks the output folder, narrates the changed episodes, writes the
feed, the index page and the manifest, and checks the result. Builds are
incremental: the manifest remembers a hash of everything each episode was made
from, and an episode whose hash and files are unchanged is left alone.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from audio_companion import __version__
from audio_companion.article.model import Article
from audio_companion.errors import BuildError
from audio_companion.faults import fault_point
from audio_companion.fsutil import (
    FolderBusy,
    folder_lock,
    scratch_folder,
    temp_files_in,
    write_if_changed,
)
from audio_companion.media import ffmpeg
from audio_companion.media.tags import Id3Tags
from audio_companion.narration.layout import assemble, script_sentences
from audio_companion.narration.narrator import Narrator, NarratorStats
from audio_companion.narration.pacing import pacing_for
from audio_companion.podcast.audiobook import BookPart, write_audiobook
from audio_companion.podcast.chime import make_chime
from audio_companion.podcast.plan import (
    PlannedEpisode,
    build_time,
    content_hash,
    plan_episodes,
    show_description,
    show_title,
    year,
)
from audio_companion.podcast.produce import (
    ProducedEpisode,
    chapters_path,
    first_rate,
    is_unchanged,
    produce_episode,
    transcript_paths,
    vtt_texts,
)
from audio_companion.podcast.season import breathing_season
from audio_companion.podcast.settings import BuildSettings
from audio_companion.podcast.switch import fresh_name, retired, sweep
from audio_companion.publish import feed
from audio_companion.publish.cover import (
    COVER_DIGEST,
    EMBEDDED_SIZE,
    CoverChoice,
    make_cover,
    publish_cover,
    published_cover,
)
from audio_companion.publish.manifest import EpisodeRecord, Manifest, load_manifest, save_manifest
from audio_companion.publish.site import render_index
from audio_companion.publish.validate import format_problems, validate_folder
from audio_companion.tts.base import Synthesizer
from audio_companion.tts.store import SpeechStore

if TYPE_CHECKING:
    from audio_companion.audio.chunk import AudioChunk
    from audio_companion.media.loudness import MasterReport

FEED_FILE = "feed.xml"
INDEX_FILE = "index.html"
LOCK_FILE = ".build.lock"
STAGING_DIR = ".staging"


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


@dataclass(frozen=True)
class _Job:
    """What one build is asked to do, and with what."""

    articles: list[Article]
    settings: BuildSettings
    synth: Synthesizer
    reporter: Reporter
    factory: Callable[[], Synthesizer] | None
    title: str  # the show's
    started: float  # time.monotonic() when the build began


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
    ffmpeg.resume()  # an earlier build in this process may have been stopped
    out = settings.out_dir
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BuildError(f"cannot create output folder {out}: {exc.strerror}") from exc
    job = _Job(
        articles,
        settings,
        synth,
        reporter or SilentReporter(),
        factory,
        show_title(articles, settings),
        started,
    )
    try:
        # New files are made in a staging folder and moved in only when every
        # one of them succeeded: a failed build leaves the published feed and
        # the files it describes exactly as they were.
        # Scratch files (a synthesizer's WAVs, anything using tempfile) live in
        # the staging folder too: a killed build leaves nothing in /tmp, and the
        # next build clears what it left here.
        with (
            folder_lock(out, LOCK_FILE),
            scratch_folder(out / STAGING_DIR) as staging,
            temp_files_in(staging / ".tmp"),
        ):
            return _build_locked(job, staging)
    except FolderBusy as busy:
        raise BuildError(
            f"another build is writing to {out} ({busy.holder or 'pid unknown'}); "
            "wait for it to finish, or build into another folder with --out"
        ) from None


@dataclass(frozen=True)
class _Made:
    """The episodes a build narrated, and what the narrator did for them."""

    episodes: dict[str, ProducedEpisode]  # by episode key
    stats: NarratorStats


def _build_locked(job: _Job, staging: Path) -> BuildResult:
    settings, out = job.settings, job.settings.out_dir
    manifest = load_manifest(out)
    old_files = {key: rec.file_name for key, rec in manifest.episodes.items()}
    old_cover = published_cover(manifest) if COVER_DIGEST in manifest.extra else ""
    choice = CoverChoice(settings.show.image_url, settings.show.cover)
    image_url = publish_cover(
        out, staging, settings.base_url, choice, job.title, settings.show.author, manifest
    )
    planned = plan_episodes(job.articles, settings, manifest)
    digests = {ep.key: content_hash(ep, settings, job.synth.identity, job.title) for ep in planned}
    todo = [
        ep
        for ep in planned
        if not is_unchanged(manifest.episodes.get(ep.key), digests[ep.key], out)
    ]
    # New content never takes a name a published feed may still point to.
    names = {
        ep.key: fresh_name(ep.file_name, digests[ep.key], lambda n: (out / n).exists())
        for ep in todo
    }
    # Embedded art stays small: every episode file carries a copy.
    small_cover = _small_cover(job) if todo else None
    made = _narrate(job, todo, names, small_cover, staging)
    _record(manifest, planned, made.episodes, digests, names)
    records = [manifest.episodes[ep.key] for ep in planned]
    entries = [
        _feed_entry(ep, rec, settings.base_url) for ep, rec in zip(planned, records, strict=True)
    ]
    season = len(job.articles) + 1
    entries += breathing_season(
        settings, job.synth, season, build_time(settings), manifest, staging
    )
    for staged in sorted(staging.iterdir()):
        if not staged.name.startswith("."):  # .tmp: the build's scratch space
            fault_point(f"move:{staged.name}")
            os.replace(staged, out / staged.name)
    manifest.retired = retired(
        manifest, old_files, old_cover, [ep.file_name for ep in planned], out
    )
    feed_path = _publish(job, entries, image_url, manifest)
    book = None
    if settings.audiobook is not None:
        book = settings.audiobook
        _write_book(job, planned, records, made.episodes, small_cover or _small_cover(job))
    return BuildResult(
        feed_path,
        tuple(entries),
        sum(e.duration_s for e in entries),
        time.monotonic() - job.started,
        tuple(enc.loudness for enc in made.episodes.values()),
        sentences_synthesized=len(made.stats.synthesized),
        sentences_cached=made.stats.hits,
        audiobook=book,
        rendered=tuple(names[ep.key] for ep in todo),
        reused=tuple(ep.file_name for ep in planned if ep.key not in made.episodes),
    )


def _small_cover(job: _Job) -> bytes:
    return make_cover(job.title, job.settings.show.author, size=EMBEDDED_SIZE)


def _narrate(
    job: _Job,
    todo: Sequence[PlannedEpisode],
    names: dict[str, str],
    cover_png: bytes | None,
    staging: Path,
) -> _Made:
    """Synthesise, lay out and produce every episode in `todo` into `staging`."""
    settings = job.settings
    if todo:
        ffmpeg.require_ffmpeg()
    store = SpeechStore(settings.speech_cache) if settings.speech_cache else None
    pool = ThreadPoolExecutor(
        max_workers=max(1, min(len(todo), os.cpu_count() or 1)), thread_name_prefix="encode"
    )
    try:
        with Narrator(
            job.synth, store=store, workers=settings.workers, factory=job.factory
        ) as narrator:
            produced = _produce_all(job, todo, names, cover_png, staging, narrator, pool)
    except BaseException:
        # Ctrl+C, SIGTERM or a failed episode: drop what is queued and kill the
        # encoders running, rather than finish every episode first (the staging
        # folder, and with it all of this, is thrown away).
        pool.shutdown(wait=False, cancel_futures=True)
        ffmpeg.stop_all()
        # The episodes being mastered stop at their encoder; wait for that, so no
        # thread writes into the staging folder after it is thrown away.
        pool.shutdown(wait=True)
        raise
    pool.shutdown(wait=True)
    return _Made(produced, narrator.stats)


def _produce_all(
    job: _Job,
    todo: Sequence[PlannedEpisode],
    names: dict[str, str],
    cover_png: bytes | None,
    staging: Path,
    narrator: Narrator,
    pool: ThreadPoolExecutor,
) -> dict[str, ProducedEpisode]:
    settings = job.settings
    # Every episode's sentences are queued at once, so the synthesis
    # workers never wait while finished episodes are mastered and encoded
    # (ffmpeg runs in its own processes; numpy releases the GIL).
    pending = [narrator.submit(script_sentences(ep.lines)) for ep in todo]
    chime = make_chime(first_rate(narrator, pending[0])) if settings.chime and todo else None
    sentence_pause = pacing_for(settings.voice.engine).sentence_pause
    jobs: list[tuple[PlannedEpisode, Future[ProducedEpisode]]] = []
    for index, (ep, waiting) in enumerate(zip(todo, pending, strict=True)):
        rendered = assemble(ep.lines, narrator.result(waiting), chime, sentence_pause)
        tags = Id3Tags(
            ep.title, settings.show.author, job.title, ep.number, year(ep.published), cover_png
        )
        jobs.append(
            (ep, pool.submit(produce_episode, rendered, staging / names[ep.key], settings, tags))
        )
        job.reporter.episode_done(ep, index, len(todo), rendered.audio.duration)
    produced = {}
    for ep, future in jobs:
        produced[ep.key] = future.result()
        fault_point(f"episode:{ep.key}")
    return produced


def _record(
    manifest: Manifest,
    planned: Sequence[PlannedEpisode],
    produced: dict[str, ProducedEpisode],
    digests: dict[str, str],
    names: dict[str, str],
) -> None:
    """Remember in `manifest` what every newly produced episode was made from."""
    for ep in planned:
        enc = produced.get(ep.key)
        if enc is not None:
            manifest.episodes[ep.key] = EpisodeRecord(
                key=ep.key,
                guid=ep.guid,
                first_published=ep.published,
                file_name=names[ep.key],
                content_hash=digests[ep.key],
                size=enc.size,
                duration_s=enc.duration,
                chapters=enc.chapters,
                lufs=enc.loudness.output_lufs,
                true_peak_dbtp=enc.loudness.true_peak_dbtp,
            )


def _feed_entry(ep: PlannedEpisode, rec: EpisodeRecord, base_url: str) -> feed.Episode:
    mp3 = Path(rec.file_name)
    return feed.Episode(
        guid=ep.guid,
        title=ep.title,
        description=ep.notes,
        url=base_url + rec.file_name,
        length_bytes=rec.size,
        duration_s=rec.duration_s,
        number=ep.number,
        season=ep.season,
        published=ep.published,
        chapters=rec.chapters,
        chapters_url=base_url + chapters_path(mp3).name,
        transcripts=tuple(
            feed.Transcript(base_url + p.name, mime)
            for p, mime in zip(transcript_paths(mp3), feed.TRANSCRIPT_TYPES, strict=True)
        ),
        citations=ep.citations,
        author=ep.author,
        written=ep.written,
    )


def _channel(job: _Job, image_url: str) -> feed.Channel:
    settings, show = job.settings, job.settings.show
    return feed.Channel(
        title=job.title,
        description=show_description(job.articles, settings),
        link=settings.base_url,
        feed_url=settings.feed_url,
        language=show.language,
        author=show.author,
        owner_email=show.owner_email,
        image_url=image_url,
        category=show.category,
        subcategory=show.subcategory,
        explicit=show.explicit,
        generator=f"audio-companion {__version__}",
        locked=show.locked,
    )


def _publish(
    job: _Job, entries: Sequence[feed.Episode], image_url: str, manifest: Manifest
) -> Path:
    """Write the feed, the index page and the manifest, then check the folder."""
    out = job.settings.out_dir
    channel = _channel(job, image_url)
    feed_path = out / FEED_FILE
    # publish_cover records a cover it published; one hosted elsewhere has no record.
    cover_file = published_cover(manifest) if COVER_DIGEST in manifest.extra else None
    page = render_index(channel, list(entries), cover_file, vtt_texts(out, entries))
    # The switch (podcast.switch): the manifest lists what is retired, one rename
    # puts the new feed in place, and only then do the retired files go.
    save_manifest(out, manifest)
    fault_point("manifest")
    write_if_changed(feed_path, feed.render_feed(channel, list(entries)))
    fault_point("feed")
    write_if_changed(out / INDEX_FILE, page.encode("utf-8"))
    fault_point("index")
    if manifest.retired:
        sweep(out, manifest.retired)
        manifest.retired = ()
        save_manifest(out, manifest)
        fault_point("swept")
    # The same checks `audio-companion validate` makes: a build that wrote a
    # feed apps would reject fails here rather than on a listener's phone.
    problems = validate_folder(out)
    if problems:
        raise BuildError(
            f"the feed in {out} has {len(problems)} problem(s):\n" + format_problems(problems)
        )
    return feed_path


def _write_book(
    job: _Job,
    planned: Sequence[PlannedEpisode],
    records: Sequence[EpisodeRecord],
    produced: dict[str, ProducedEpisode],
    cover_png: bytes,
) -> None:
    """Every narrated episode as one chaptered audiobook file."""
    settings = job.settings
    assert settings.audiobook is not None

    def audio(ep: PlannedEpisode, rec: EpisodeRecord) -> AudioChunk:
        if ep.key in produced:
            return produced[ep.key].audio
        return ffmpeg.decode(settings.out_dir / rec.file_name, rate=22050)

    write_audiobook(
        [
            BookPart(ep.title, audio(ep, rec), rec.chapters)
            for ep, rec in zip(planned, records, strict=True)
        ],
        settings.audiobook,
        title=job.title,
        author=settings.show.author,
        cover_png=cover_png,
        bitrate=settings.encode.bitrate,
    )
