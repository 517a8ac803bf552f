"""The listener's page in a real browser: headless Chromium plays what `render_index` wrote.

The folder is served from 127.0.0.1 while the channel's base URL names another
host, so the page only works if its links really are relative. Needs the Debian
packages chromium and chromium-driver and the PyPI package selenium (installed
by `scripts/setup.sh --test`); without them the tests skip. Selenium is given
the driver's path, so Selenium Manager never runs and nothing is downloaded.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from helpers import example_channel

from audio_companion.media.chapters import json_chapters
from audio_companion.media.tags import Chapter
from audio_companion.publish.feed import Episode, Transcript
from audio_companion.publish.site import render_index

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
WAIT_S = 15
CHROME_ARGS = (
    "--headless=new",
    "--no-sandbox",  # tests run as root in CI
    "--disable-gpu",
    "--autoplay-policy=no-user-gesture-required",
    "--disable-dev-shm-usage",
    # Keep the browser itself off the network: no updater, sync or DNS look-ups.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--no-default-browser-check",
)

if not CHROMIUM.exists() or not CHROMEDRIVER.exists():
    pytest.skip(
        f"needs {CHROMIUM} and {CHROMEDRIVER} (apt-get install chromium chromium-driver)",
        allow_module_level=True,
    )
if shutil.which("ffmpeg") is None:
    pytest.skip("needs ffmpeg to make the test MP3s", allow_module_level=True)
pytest.importorskip("selenium", reason="needs selenium (pip install selenium)")

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.selenium_manager import SeleniumManager  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

try:
    from audio_companion.publish.serve import running_server
except ImportError:  # the project's server is not there: stdlib is enough to play
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    class _QuietHandler(SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

    @contextmanager
    def _stdlib_server(root: Path, host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
        handler = functools.partial(_QuietHandler, directory=str(root))
        with ThreadingHTTPServer((host, port), handler) as server:
            thread = threading.Thread(target=server.serve_forever, daemon=True)
            thread.start()
            try:
                yield f"http://{host}:{server.server_address[1]}/"
            finally:
                server.shutdown()
                thread.join()

    def running_server(  # type: ignore[misc]
        root: Path, host: str = "127.0.0.1", port: int = 0
    ) -> AbstractContextManager[str]:
        return _stdlib_server(root, host, port)


BASE = "https://podcast.example.org/show/"  # not where the test serves it from
CHANNEL = example_channel(BASE, subcategory=None)
SECONDS = (3.0, 2.0)
TITLES = ("Trust & <Repair>", 'The "second" part')
CHAPTER_START = 1.5


@dataclass(frozen=True)
class Site:
    url: str
    episodes: tuple[Episode, ...]


def _mp3(path: Path, seconds: float, frequency: int) -> None:
    sine = f"sine=frequency={frequency}:duration={seconds}"
    args = "-nostdin -hide_banner -loglevel error -y -f lavfi -i SINE -ac 1 -ar 44100 -b:a 64k"
    subprocess.run(
        ["ffmpeg", *(sine if a == "SINE" else a for a in args.split()), str(path)],
        check=True,
        timeout=60,
    )


def _write_folder(root: Path) -> tuple[Episode, ...]:
    from PIL import Image

    Image.new("RGB", (64, 64), (40, 90, 160)).save(root / "cover.png")
    episodes = []
    for n, (seconds, title) in enumerate(zip(SECONDS, TITLES, strict=True), start=1):
        stem = f"episode-{n}"
        _mp3(root / f"{stem}.mp3", seconds, 330 + 110 * n)
        chapters = (
            Chapter("Opening", 0.0, CHAPTER_START),
            Chapter("Middle", CHAPTER_START, seconds),
        )
        (root / f"{stem}.chapters.json").write_text(json_chapters(chapters), "utf-8")
        (root / f"{stem}.vtt").write_text(f"WEBVTT\n\n00:00.000 --> 00:01.500\n{title}\n", "utf-8")
        episodes.append(
            Episode(
                guid=f"guid-{n}",
                title=title,
                description=f"Notes for part {n}.\n\nA second paragraph.",
                url=f"{BASE}{stem}.mp3",
                length_bytes=(root / f"{stem}.mp3").stat().st_size,
                duration_s=seconds,
                number=n,
                season=1,
                published=datetime(2026, 1, n, 20, 0, tzinfo=timezone.utc),
                chapters=chapters,
                chapters_url=f"{BASE}{stem}.chapters.json",
                transcripts=(Transcript(f"{BASE}{stem}.vtt", "text/vtt"),),
            )
        )
    (root / "index.html").write_text(render_index(CHANNEL, episodes), "utf-8")
    return tuple(episodes)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    root = tmp_path_factory.mktemp("feed-site")
    episodes = _write_folder(root)
    with running_server(root, "127.0.0.1", 0) as url:
        yield Site(url, episodes)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in CHROME_ARGS:
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SE_OFFLINE", "true")  # belt and braces: the driver path already skips it
        # Prove Selenium Manager (which would try to download a driver) is never asked.
        mp.setattr(SeleniumManager, "binary_paths", _no_selenium_manager)
        driver = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
    try:
        yield driver
    finally:
        driver.quit()


def _no_selenium_manager(*args: object) -> dict[str, str]:
    raise AssertionError("Selenium Manager was called: pass the driver path explicitly")


def _wait(driver: Any, script: str, what: str) -> Any:
    return WebDriverWait(driver, WAIT_S, poll_frequency=0.1).until(
        lambda d: d.execute_script(script), message=what
    )


def test_page_lists_and_plays_episodes(site: Site, browser: Any) -> None:
    browser.get(site.url + "index.html")
    assert browser.title == CHANNEL.title
    articles = browser.find_elements(By.CSS_SELECTOR, "article.episode")
    assert len(articles) == len(site.episodes)
    titles = [a.find_element(By.TAG_NAME, "h3").text for a in articles]
    assert titles == [f"{e.number}. {e.title}" for e in site.episodes]

    durations = _wait(
        browser,
        "var d = Array.from(document.querySelectorAll('audio'), a => a.duration);"
        "return d.every(x => isFinite(x) && x > 0) && d;",
        "every episode's audio should load its metadata from the relative src",
    )
    assert durations == pytest.approx(list(SECONDS), abs=0.15)
    cover_ok = browser.execute_script(
        "var i = document.querySelector('header img'); return i.complete && i.naturalWidth;"
    )
    assert cover_ok == 64


def test_chapter_button_seeks(site: Site, browser: Any) -> None:
    browser.get(site.url + "index.html#s1e2")
    _wait(browser, "return document.querySelectorAll('audio')[1].duration > 0;", "metadata")
    second = browser.find_elements(By.CSS_SELECTOR, "article.episode")[1]
    buttons = second.find_elements(By.CSS_SELECTOR, "ol.chapters button")
    assert [b.text for b in buttons] == ["0:00 Opening", "0:01 Middle"]
    buttons[1].click()
    now = _wait(
        browser,
        f"var t = document.querySelectorAll('audio')[1].currentTime;"
        f"return t >= {CHAPTER_START - 0.05} && t;",
        "clicking a chapter should move the audio to its start",
    )
    assert CHAPTER_START - 0.05 <= now <= SECONDS[1] + 0.05
    first = browser.execute_script("return document.querySelectorAll('audio')[0].currentTime;")
    assert first == 0  # only the clicked episode's audio moved


def test_copy_button_and_links(site: Site, browser: Any) -> None:
    browser.get(site.url + "index.html")
    field = browser.find_element(By.ID, "feed-url")
    assert field.get_attribute("value") == CHANNEL.feed_url
    browser.find_element(By.ID, "copy-feed").click()
    _wait(
        browser,
        "var f = document.getElementById('feed-url');"
        "var b = document.getElementById('copy-feed');"
        "return b.textContent === 'Copied' || (document.activeElement === f"
        " && f.selectionEnd - f.selectionStart === f.value.length);",
        "Copy should copy the feed URL or at least select it",
    )
    links = {a.text: a.get_attribute("href") for a in browser.find_elements(By.TAG_NAME, "a")}
    assert links["Transcript (WebVTT)"].startswith(site.url)  # resolved against 127.0.0.1
    assert links["Chapters (JSON)"].startswith(site.url)
    status = browser.execute_script(
        "return fetch(arguments[0]).then(r => r.ok && r.text());", links["Chapters (JSON)"]
    )
    assert json.loads(status)["chapters"][1]["startTime"] == CHAPTER_START
    errors = [
        e["message"]
        for e in browser.get_log("browser")
        if e["level"] == "SEVERE" and "favicon.ico" not in e["message"]
    ]
    assert errors == []
