"""An article that would become more episodes than the limit is refused, not built."""

from __future__ import annotations

import pytest

from audio_companion.article import parse_text
from audio_companion.errors import InputError
from audio_companion.podcast.plan import plan_episodes
from audio_companion.podcast.settings import DEFAULT_MAX_EPISODES, BuildSettings

BODY = "The evening light falls over the quiet town while people walk home. " * 12


def _markdown(headings: int) -> str:
    sections = (f"## Part {i}\n\n{BODY}\n\n" for i in range(headings))
    return "# A Long Book\n\n" + "".join(sections)


def test_too_many_episodes_is_an_error_naming_the_option() -> None:
    article = parse_text(_markdown(DEFAULT_MAX_EPISODES + 20), "markdown")
    with pytest.raises(InputError) as info:
        plan_episodes([article], BuildSettings())
    message = str(info.value)
    assert "\n" not in message
    assert "'A Long Book' would become 120 episodes, over the limit of 100" in message
    assert message.endswith("--max-episodes 120")


def test_a_raised_limit_plans_every_episode() -> None:
    article = parse_text(_markdown(120), "markdown")
    episodes = plan_episodes([article], BuildSettings(max_episodes=120))
    assert len(episodes) == 120


def test_the_limit_is_per_article() -> None:
    articles = [parse_text(_markdown(3), "markdown") for _ in range(2)]
    assert len(plan_episodes(articles, BuildSettings(max_episodes=3))) == 6


def test_tiny_sections_that_join_into_few_episodes_are_within_the_limit() -> None:
    tiny = "".join(f"## Note {i}\n\nA short line.\n\n" for i in range(300))
    article = parse_text("# Notes\n\n" + tiny, "markdown")
    assert len(plan_episodes([article], BuildSettings())) <= DEFAULT_MAX_EPISODES


@pytest.mark.parametrize("field", ["max_episodes", "max_input_bytes"])
def test_limits_below_one_are_refused(field: str) -> None:
    with pytest.raises(InputError, match="--max-"):
        BuildSettings(**{field: 0})  # type: ignore[arg-type]
