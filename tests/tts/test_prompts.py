"""tts/prompts.py: prompts cached by voice and text, and rendered ahead of need."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

from helpers import FakeSynth

from audio_companion.audio.chunk import AudioChunk
from audio_companion.tts.prompts import PromptCache


class GatedSynth(FakeSynth):
    """A FakeSynth whose syntheses after the first wait until the test opens the gate."""

    def __init__(self) -> None:
        super().__init__()
        self.gate = threading.Event()

    def synthesize(self, text: str) -> AudioChunk:
        if self.calls:
            assert self.gate.wait(10), "the test never opened the gate"
        return super().synthesize(text)


def test_a_prompt_is_synthesised_once_then_kept_on_disk(tmp_path: Path) -> None:
    synth = FakeSynth()
    first = PromptCache(synth, tmp_path)
    audio = first.get("Hello.", own=True)
    assert first.get("Hello.") == audio and synth.calls == ["Hello."]
    again = PromptCache(FakeSynth(), tmp_path)
    assert again.get("Hello.") == audio and again.hits == 1 and again.misses == 0


def test_what_a_person_said_is_never_kept_on_disk(tmp_path: Path) -> None:
    close = "Tonight you noticed the soup, a quiet walk and my sister's call."
    cache = PromptCache(FakeSynth(), tmp_path)
    cache.prepare(["How are you feeling today?"], background=False)
    cache.get("I heard 4. Is that right?")  # said, but not the companion's own wording
    cache.soon(close)
    assert cache.get(close) is not None and cache.ready(10)
    assert cache.get("I heard 4. Is that right?") is not None  # in memory for the session
    assert len(list(tmp_path.rglob("*.wav"))) == 1  # only the prepared question
    later = FakeSynth()
    next_session = PromptCache(later, tmp_path)
    for text in ("How are you feeling today?", "I heard 4. Is that right?", close):
        next_session.get(text)
    assert later.calls == ["I heard 4. Is that right?", close]


def test_cached_prompts_are_private_whatever_the_umask(tmp_path: Path) -> None:
    old = tmp_path / "cache"
    (old / "prompts").mkdir(parents=True, mode=0o755)  # as an older version left it
    os.chmod(old / "prompts", 0o755)
    mask = os.umask(0)
    try:
        PromptCache(FakeSynth(), old / "prompts").get("Hello.", own=True)
        PromptCache(FakeSynth(), tmp_path / "new" / "cache" / "speech").get("Hi.", own=True)
    finally:
        os.umask(mask)
    for root in (old, tmp_path / "new" / "cache"):
        wavs = list(root.rglob("*.wav"))
        assert wavs and all(stat.S_IMODE(w.stat().st_mode) == 0o600 for w in wavs)
        folders = [root, *(p for p in root.rglob("*") if p.is_dir())]
        assert all(stat.S_IMODE(f.stat().st_mode) == 0o700 for f in folders), folders


def test_another_identity_never_reuses_the_audio(tmp_path: Path) -> None:
    PromptCache(FakeSynth(), tmp_path).get("Hello.", own=True)
    other = FakeSynth()
    other.identity = "hibari:heart:abc:0.2.1:175"
    PromptCache(other, tmp_path).get("Hello.")
    assert other.calls == ["Hello."]


def test_prepare_renders_the_first_now_and_the_rest_ahead(tmp_path: Path) -> None:
    synth = GatedSynth()
    cache = PromptCache(synth, tmp_path)
    cache.prepare(["One.", "Two.", "Three.", "One.", " "])
    assert synth.calls == ["One."]  # ready when prepare returns; the rest wait for the gate
    synth.gate.set()
    assert cache.ready(timeout=10)
    assert synth.calls == ["One.", "Two.", "Three."]
    before = cache.misses
    assert [cache.get(t).frames > 0 for t in ("One.", "Two.", "Three.")] == [True] * 3
    assert cache.misses == before  # nothing synthesised when asked for
    assert len(list(tmp_path.rglob("*.wav"))) == 3


def test_prepare_without_background_renders_everything_before_returning() -> None:
    synth = FakeSynth()
    PromptCache(synth).prepare(["A.", "B."], background=False)
    assert synth.calls == ["A.", "B."]


def test_close_stops_rendering_ahead() -> None:
    synth = GatedSynth()
    cache = PromptCache(synth)
    cache.prepare(["One.", "Two.", "Three."])
    cache.close(timeout=0)  # the background is held at "Two." by the gate
    synth.gate.set()
    assert cache.ready(timeout=10)
    assert "Three." not in synth.calls


def test_a_prompt_asked_for_while_rendering_ahead_is_made_once(tmp_path: Path) -> None:
    synth = GatedSynth()
    cache = PromptCache(synth, tmp_path)
    cache.prepare(["One.", "Two."])
    asking = threading.Thread(target=cache.get, args=("Two.",))
    asking.start()
    synth.gate.set()
    asking.join(10)
    assert cache.ready(timeout=10)
    assert synth.calls.count("Two.") == 1


def test_soon_renders_in_the_background_and_returns_at_once(tmp_path: Path) -> None:
    synth = GatedSynth()
    cache = PromptCache(synth, tmp_path)
    cache.get("Hello.")  # the gate holds every synthesis after this one
    rendered = threading.Event()
    real = synth.synthesize

    def synthesize(text: str) -> AudioChunk:
        chunk = real(text)
        rendered.set()
        return chunk

    synth.synthesize = synthesize  # type: ignore[method-assign]
    cache.soon("Rest well, both of you.")  # returns although synthesis is held
    assert synth.calls == ["Hello."]
    synth.gate.set()
    assert rendered.wait(10)
    misses = cache.misses
    cache.get("Rest well, both of you.")  # now waits only for the render's last step
    assert cache.misses == misses and synth.calls.count("Rest well, both of you.") == 1


def test_rendering_ahead_waits_while_the_companion_listens(tmp_path: Path) -> None:
    synth = GatedSynth()
    cache = PromptCache(synth, tmp_path)
    synth.gate.set()
    with cache.listening():
        cache.prepare(["One.", "Two.", "Three."])  # the first is needed now: made at once
        assert not cache.ready(timeout=0.6)  # the rest wait for the listening to end
        assert synth.calls == ["One."]
    assert cache.ready(timeout=10)
    assert synth.calls == ["One.", "Two.", "Three."]
