"""Which episodes a build makes: their titles, scripts, GUIDs, dates and content hashes.

Pure: articles and settings in, `PlannedEpisode`s out; nothing is synthesised
or written. A GUID is computed in one place (`episode_guid`) from the
episode's key, never from its text or URL, so edits and moves keep
subscribers' history; the manifest keeps the GUID and date an episode was
first published under.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta, timezone

from audio_companion.article.model import Article, BlockKind, Section, slugify
from audio_companion.errors import InputError
from audio_companion.narration.lexicon import Lexicon, default_lexicon
from audio_companion.narration.pacing import Pacing, pacing_for
from audio_companion.narration.script import Line, episode_script, estimated_seconds
from audio_companion.podcast.settings import BuildSettings
from audio_companion.publish.manifest import Manifest

GUID_NAMESPACE = uuid.UUID("6f1c1a52-5a8e-4f57-9a43-3c1f0b7e2d10")
DEFAULT_SHOW_TITLE = "Audio Companion"
# Bump when the audio made from the same script changes (pauses, mastering …):
# every episode is then rendered again on the next build.
RENDER_VERSION = 2
MIN_EPISODE_S = 30.0  # shorter sections join a neighbour
MAX_EPISODE_S = 25 * 60.0  # longer ones split at sub-section boundaries


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
    author: str = ""  # the article's byline, for the feed and show notes
    written: date | None = None  # the date the article's page declares


def episode_key(article: Article, section: Section) -> str:
    return f"{article.slug}/{slugify(section.title)}"


def episode_guid(key: str) -> str:
    """Identity of a new episode: its key (article and section titles)."""
    return str(uuid.uuid5(GUID_NAMESPACE, key))


def _summary(section: Section, limit: int = 320, skip: str = "") -> str:
    paras = [
        b.text for b in section.all_blocks() if b.kind is BlockKind.PARAGRAPH and b.text != skip
    ]
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


def show_notes(section: Section, teaser: str = "") -> str:
    """The summary that opens the show notes (the feed adds chapters and sources).

    The article's teaser, read first in its first episode, is the show's
    description already: the episode's own first paragraph sums it up instead.
    """
    return _summary(section, skip=teaser)


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


def shape_sections(
    sections: tuple[Section, ...],
    show: str,
    min_s: float = MIN_EPISODE_S,
    max_s: float = MAX_EPISODE_S,
    lexicon: Lexicon | None = None,
    pacing: Pacing | None = None,
) -> list[Section]:
    """Episodes of a listenable length: tiny sections become a chapter of the
    next section (or of the previous one, at the end); very long ones are cut
    into parts between their sub-sections."""

    def seconds(section: Section) -> float:
        return estimated_seconds(episode_script(show, 1, section, lexicon, pacing))

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


def check_episode_count(article: Article, episodes: int, limit: int) -> None:
    """Refuse an article that would become more than `limit` episodes.

    Hundreds of episodes from one file are nearly always headings mis-read
    (or a file of many articles); publishing them silently floods every
    subscriber's app, so the build stops and says how to go on.
    """
    if episodes > limit:
        raise InputError(
            f"{article.title!r} would become {episodes} episodes, over the limit of {limit} "
            f"per article; check its headings (each main heading starts an episode), "
            f"or raise the limit with --max-episodes {episodes}"
        )


def _drafts(articles: list[Article], settings: BuildSettings) -> list[PlannedEpisode]:
    """Every episode in reading order, with a new GUID and no date yet."""
    title = show_title(articles, settings)
    # Each engine reads with its own respellings and pauses.
    lexicon = default_lexicon(settings.lexicon).for_engine(settings.voice.engine)
    pacing = pacing_for(settings.voice.engine)
    drafts = []
    seen: set[str] = set()
    for season, article in enumerate(articles, start=1):
        prefix = article.slug[:24].rstrip("-")
        shaped = shape_sections(article.sections, title, lexicon=lexicon, pacing=pacing)
        check_episode_count(article, len(shaped), settings.max_episodes)
        for number, section in enumerate(shaped, start=1):
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
                    guid=episode_guid(key),
                    file_name=f"{prefix}-s{season:02d}e{number:02d}-{slug}.mp3",
                    lines=tuple(
                        episode_script(
                            title, number, section, lexicon, pacing, only=len(shaped) == 1
                        )
                    ),
                    notes=show_notes(section, article.teaser),
                    key=key,
                    citations=tuple(cited_in(section, article.citations)),
                    author=article.author,
                    written=article.published,
                )
            )
    return drafts


def plan_episodes(
    articles: list[Article], settings: BuildSettings, manifest: Manifest | None = None
) -> list[PlannedEpisode]:
    """Every episode of the build, with the GUID and date it was first published
    under (from `manifest`), or new ones, a minute apart and oldest first so that
    apps list them in reading order: dated on the day the article's page says it
    was published (`article_time`), else at the build time."""
    manifest = manifest or Manifest()
    base_time = build_time(settings)
    drafts = _drafts(articles, settings)
    new = [ep for ep in drafts if ep.key not in manifest.episodes]
    out = []
    for ep in drafts:
        record = manifest.episodes.get(ep.key)
        if record is not None:
            out.append(replace(ep, guid=record.guid, published=record.first_published))
        elif (day := article_time(ep.written, base_time)) is not None:
            out.append(replace(ep, published=day + timedelta(minutes=ep.number - 1)))
        else:
            age = len(new) - 1 - new.index(ep)
            out.append(replace(ep, published=base_time - timedelta(minutes=age)))
    return out


def article_time(written: date | None, build: datetime) -> datetime | None:
    """Noon UTC of the article's date: the same calendar day wherever a listener is
    (UTC-11 to UTC+11). None without a date, or for one after the build (an
    episode dated in the future hides in apps until then)."""
    if written is None:
        return None
    noon = datetime.combine(written, time(12), tzinfo=timezone.utc)
    return noon if noon + timedelta(hours=12) <= build else None


def build_time(settings: BuildSettings) -> datetime:
    """When the build says it happened (whole seconds, UTC): new episodes' date."""
    return datetime.fromtimestamp(settings.published, tz=timezone.utc).replace(microsecond=0)


def year(when: datetime) -> str:
    return when.strftime("%Y")


def content_hash(ep: PlannedEpisode, settings: BuildSettings, voice: str, show: str) -> str:
    """Everything an episode's files are made from; equal hashes, equal files."""
    data = {
        "render": RENDER_VERSION,
        "voice": voice,
        "lines": [[ln.text, ln.pause_after, ln.kind, ln.chapter, ln.display] for ln in ep.lines],
        "encode": [settings.encode.bitrate, settings.encode.sample_rate, settings.encode.channels],
        "chime": settings.chime,
        "tags": [ep.title, settings.show.author, show, ep.number, year(ep.published)],
    }
    return hashlib.sha256(json.dumps(data, ensure_ascii=False).encode("utf-8")).hexdigest()
