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
SECONDS = (40.0, 2.0)
TITLES = ("Trust & <Repair>", 'The "second" part')
CHAPTER_START = 1.5
CUE_S = 2.0  # the first episode's transcript: one sentence every two seconds
CUES = tuple(
    f"Sentence {k} says a little more, so that the transcript is taller than its box"
    f" and has to scroll{' & <follow>' if k == 1 else ''}."
    for k in range(int(SECONDS[0] / CUE_S))
)
AXE = Path(__file__).with_name("vendor") / "axe.min.js"


def _vtt(cues: tuple[str, ...], step: float) -> str:
    def ts(t: float) -> str:
        return f"{int(t // 60):02d}:{t % 60:06.3f}"

    escaped = (c.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") for c in cues)
    blocks = [f"{ts(i * step)} --> {ts((i + 1) * step)}\n{c}\n" for i, c in enumerate(escaped)]
    return "WEBVTT\n\n" + "\n".join(blocks)


@dataclass(frozen=True)
class Site:
    url: str
    episodes: tuple[Episode, ...]
    root: Path


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
        vtt = _vtt(CUES, CUE_S) if n == 1 else _vtt((title,), CHAPTER_START)
        (root / f"{stem}.vtt").write_text(vtt, "utf-8")
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
        yield Site(url, episodes, root)


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


def _wait(driver: Any, script: str, what: str, *args: Any) -> Any:
    return WebDriverWait(driver, WAIT_S, poll_frequency=0.1).until(
        lambda d: d.execute_script(script, *args), message=what
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


# The player: transcript, skip, speed, keys, chapters, remembered positions.

FIRST = "document.querySelectorAll('audio')[0]"
CUE_SPANS = "document.querySelectorAll('#s1e1 .transcript .cue')"


def _fresh(browser: Any, site: Site, fragment: str = "") -> None:
    """The page with nothing remembered (localStorage outlives a test), transcript loaded."""
    browser.get(site.url + "index.html")
    browser.execute_script("window.localStorage.clear();")
    browser.get(site.url + "index.html" + fragment)
    _ready(browser)


def _ready(browser: Any) -> None:
    _wait(
        browser,
        f"return {FIRST}.duration > 0 && document.querySelector('#s1e1 .transcript')"
        ".getAttribute('data-ready') === 'true';",
        "the audio's metadata and the transcript track should load",
    )


def _now_cue(browser: Any) -> Any:
    return browser.execute_script(
        f"return Array.prototype.findIndex.call({CUE_SPANS}, c => c.classList.contains('now'));"
    )


def _set_time(browser: Any, t: float, audio: str = FIRST) -> None:
    browser.execute_script(f"{audio}.currentTime = arguments[0];", t)
    _wait(browser, f"return !{audio}.seeking && Math.abs({audio}.currentTime - {t}) < 0.3;", "seek")


def _pause_all(browser: Any) -> None:
    browser.execute_script("document.querySelectorAll('audio').forEach(a => a.pause());")


def test_transcript_shows_the_vtt_sentences(site: Site, browser: Any) -> None:
    _fresh(browser, site)
    texts = [c.text for c in browser.find_elements(By.CSS_SELECTOR, "#s1e1 .transcript .cue")]
    assert texts == list(CUES)  # WebVTT escapes decoded, nothing else changed
    starts = browser.execute_script(
        f"return Array.from({CUE_SPANS}, c => parseFloat(c.getAttribute('data-start')));"
    )
    assert starts == pytest.approx([i * CUE_S for i in range(len(CUES))])
    paragraphs = browser.find_elements(By.CSS_SELECTOR, "#s1e1 .transcript p")
    assert len(paragraphs) == 2  # a new paragraph where the second chapter starts
    second = browser.find_elements(By.CSS_SELECTOR, "#s1e2 .transcript .cue")
    assert [c.text for c in second] == [TITLES[1]]


def test_highlight_follows_playback(site: Site, browser: Any) -> None:
    _fresh(browser, site)
    assert _now_cue(browser) == 0  # at 0:00 the first sentence is current
    _set_time(browser, 3 * CUE_S + 1.5)
    _wait(browser, f"return {CUE_SPANS}[3].classList.contains('now');", "highlight on seek")
    browser.execute_script(f"{FIRST}.playbackRate = 2; {FIRST}.play();")
    try:
        _wait(
            browser,
            f"return {CUE_SPANS}[4].classList.contains('now') && !{FIRST}.paused;",
            "the highlight should move to the next sentence as the audio plays",
        )
    finally:
        _pause_all(browser)
    current = browser.find_elements(By.CSS_SELECTOR, "#s1e1 .cue.now")
    assert len(current) == 1 and current[0].get_attribute("aria-current") == "true"


def test_clicking_a_sentence_seeks_to_its_start(site: Site, browser: Any) -> None:
    _fresh(browser, site)
    browser.execute_script(
        f"window.seeks = []; {FIRST}.addEventListener('seeking',"
        f" () => window.seeks.push({FIRST}.currentTime));"
    )
    cue = browser.find_elements(By.CSS_SELECTOR, "#s1e1 .transcript .cue")[7]
    cue.click()
    try:
        seeks = _wait(browser, "return window.seeks.length && window.seeks;", "a seek")
        assert seeks[0] == pytest.approx(7 * CUE_S, abs=0.1)
        _wait(browser, f"return {CUE_SPANS}[7].classList.contains('now');", "clicked = current")
        _wait(browser, f"return !{FIRST}.paused;", "clicking a sentence plays from there")
    finally:
        _pause_all(browser)


def test_auto_scroll_pauses_when_the_reader_scrolls(site: Site, browser: Any) -> None:
    _fresh(browser, site)
    box = "document.querySelector('#s1e1 .transcript')"
    assert browser.execute_script(f"return {box}.scrollHeight > {box}.clientHeight;")
    _set_time(browser, SECONDS[0] - 1)
    _wait(browser, f"return {box}.scrollTop > 0;", "the box should scroll to the last sentence")
    follow = browser.find_element(By.CSS_SELECTOR, "#s1e1 .follow")
    assert not follow.is_displayed()
    browser.execute_script(f"{box}.scrollTop = 0;")  # the reader scrolls back up
    _wait(browser, "return arguments[0].offsetParent !== null;", "Follow along offered", follow)
    _set_time(browser, SECONDS[0] - 3)
    assert browser.execute_script(f"return {box}.scrollTop;") == 0  # left where the reader is
    follow.click()
    _wait(browser, f"return {box}.scrollTop > 0;", "Follow along scrolls to the sentence again")
    assert not follow.is_displayed()


def test_skip_speed_and_keys(site: Site, browser: Any) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import Select

    _fresh(browser, site)
    first = browser.find_elements(By.CSS_SELECTOR, "article.episode")[0]
    Select(first.find_element(By.CSS_SELECTOR, "select.speed")).select_by_value("1.5")
    rates = browser.execute_script(
        "return Array.from(document.querySelectorAll('audio'), a => a.playbackRate);"
    )
    assert rates == [1.5, 1.5]
    forward = first.find_element(By.CSS_SELECTOR, "[data-skip='30']")
    back = first.find_element(By.CSS_SELECTOR, "[data-skip='-15']")
    forward.click()
    _wait(browser, f"return Math.abs({FIRST}.currentTime - 30) < 0.05;", "forward 30 s")
    back.click()
    _wait(browser, f"return Math.abs({FIRST}.currentTime - 15) < 0.05;", "back 15 s")
    forward.click()
    forward.click()
    _wait(browser, f"return {FIRST}.currentTime >= {SECONDS[0]} - 0.05;", "clamped at the end")

    browser.execute_script("document.activeElement.blur();")
    _set_time(browser, 20)
    ActionChains(browser).send_keys(Keys.ARROW_LEFT).perform()
    _wait(browser, f"return Math.abs({FIRST}.currentTime - 5) < 0.05;", "← is back 15 s")
    ActionChains(browser).send_keys(Keys.ARROW_LEFT).perform()
    _wait(browser, f"return {FIRST}.currentTime === 0;", "never before the start")
    ActionChains(browser).send_keys(Keys.ARROW_RIGHT).perform()
    _wait(browser, f"return Math.abs({FIRST}.currentTime - 30) < 0.05;", "→ is forward 30 s")
    y = browser.execute_script("return window.scrollY;")
    try:
        ActionChains(browser).send_keys(Keys.SPACE).perform()
        _wait(browser, f"return !{FIRST}.paused;", "space plays")
        assert browser.execute_script(f"return {FIRST}.playbackRate;") == 1.5
        assert browser.execute_script("return window.scrollY;") == y  # space did not scroll
        ActionChains(browser).send_keys(Keys.SPACE).perform()
        _wait(browser, f"return {FIRST}.paused;", "space pauses")
    finally:
        _pause_all(browser)
    browser.refresh()
    _ready(browser)
    speed = browser.find_elements(By.CSS_SELECTOR, "select.speed")[1]
    assert speed.get_attribute("value") == "1.5"  # the chosen speed is remembered too
    assert browser.execute_script("return document.querySelectorAll('audio')[1].playbackRate;")


def test_current_chapter_is_marked(site: Site, browser: Any) -> None:
    _fresh(browser, site)
    chapter = "document.querySelectorAll('#s1e1 ol.chapters li')"
    _wait(browser, f"return {chapter}[0].classList.contains('now');", "Opening is current")
    _set_time(browser, CHAPTER_START + 1)
    _wait(browser, f"return {chapter}[1].classList.contains('now');", "Middle is current")
    marked = browser.find_elements(By.CSS_SELECTOR, "#s1e1 ol.chapters button[aria-current]")
    assert [b.text for b in marked] == ["0:01 Middle"]


def test_position_is_remembered_and_offered_on_return(site: Site, browser: Any) -> None:
    _fresh(browser, site)
    resume = "#s1e1 .resume"
    assert not browser.find_element(By.CSS_SELECTOR, resume).is_displayed()
    _set_time(browser, 12.4)
    _wait(
        browser,
        "var s = JSON.parse(localStorage.getItem('audio-companion:guid-1') || 'null');"
        "return s && Math.abs(s.t - 12.4) < 0.3;",
        "the position should be saved",
    )
    browser.refresh()
    _ready(browser)
    button = browser.find_element(By.CSS_SELECTOR, resume)
    assert button.is_displayed() and button.text == "Resume at 0:12"
    assert browser.find_element(By.CSS_SELECTOR, "#s1e2 .resume").is_displayed() is False
    browser.execute_script(
        f"window.seeks = []; {FIRST}.addEventListener('seeking',"
        f" () => window.seeks.push({FIRST}.currentTime));"
    )
    button.click()
    try:
        seeks = _wait(browser, "return window.seeks.length && window.seeks;", "resume seeks")
        assert seeks[0] == pytest.approx(12.4, abs=0.1)
        _wait(browser, "return arguments[0].offsetParent === null;", "offer gone", button)
    finally:
        _pause_all(browser)


def test_finished_episode_is_marked(site: Site, browser: Any) -> None:
    _fresh(browser, site)
    second = "document.querySelectorAll('audio')[1]"
    badge = "#s1e2 .badge"
    assert not browser.find_element(By.CSS_SELECTOR, badge).is_displayed()
    _set_time(browser, SECONDS[1] - 0.3, second)
    browser.execute_script(f"{second}.play();")
    _wait(browser, f"return {second}.ended;", "the episode should play to its end")
    assert browser.find_element(By.CSS_SELECTOR, badge).is_displayed()
    browser.refresh()
    _ready(browser)
    assert browser.find_element(By.CSS_SELECTOR, badge).text == "Finished"
    assert not browser.find_element(By.CSS_SELECTOR, "#s1e2 .resume").is_displayed()
    assert not browser.find_element(By.CSS_SELECTOR, "#s1e1 .badge").is_displayed()


@pytest.fixture
def phone(browser: Any) -> Iterator[Any]:
    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True},
    )
    try:
        yield browser
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def test_phone_viewport_has_no_horizontal_scroll(site: Site, phone: Any, tmp_path: Path) -> None:
    _fresh(phone, site)
    width = phone.execute_script("return window.innerWidth;")
    assert width == 390
    scroll = phone.execute_script("return document.documentElement.scrollWidth;")
    assert scroll <= width
    assert phone.save_screenshot(str(tmp_path / "phone.png"))
    wide = phone.execute_script(
        "return Array.from(document.querySelectorAll('body *'))"
        ".filter(e => e.getBoundingClientRect().right > innerWidth + 1)"
        ".map(e => e.tagName + '.' + e.className);"
    )
    assert wide == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_serious_or_critical_violations(site: Site, browser: Any, scheme: str) -> None:
    browser.execute_cdp_cmd(
        "Emulation.setEmulatedMedia",
        {"features": [{"name": "prefers-color-scheme", "value": scheme}]},
    )
    try:
        _fresh(browser, site)
        _set_time(browser, 12.4)  # a highlighted sentence, a current chapter
        browser.refresh()  # and a resume offer
        _ready(browser)
        serious = _serious_violations(browser)
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})
    assert serious == []


def _serious_violations(browser: Any) -> list[dict[str, Any]]:
    """axe-core (vendored, run offline) on the open page: its serious and critical findings."""
    browser.execute_script(AXE.read_text("utf-8"))
    result = browser.execute_async_script(
        "var done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']})"
        ".then(r => done(r.violations.map(v => ({id: v.id, impact: v.impact,"
        " nodes: v.nodes.map(n => n.target.join(' '))}))),"
        " e => done(String(e)));"
    )
    assert isinstance(result, list), result
    return [v for v in result if v["impact"] in ("serious", "critical")]


def test_a_built_feed_folder_plays_with_its_transcript(sample_feed: Path, browser: Any) -> None:
    """The page `build` wrote, served by the project's server: every episode's
    transcript comes from its own .vtt, sentence for sentence, and axe is content."""
    with running_server(sample_feed, "127.0.0.1", 0) as url:
        browser.get(url + "index.html")
        browser.execute_script("window.localStorage.clear();")
        browser.refresh()
        boxes = browser.find_elements(By.CSS_SELECTOR, ".transcript")
        assert boxes, "the built page should have a transcript box per episode"
        _wait(
            browser,
            "return Array.from(document.querySelectorAll('.transcript'))"
            ".every(b => b.getAttribute('data-ready') === 'true');",
            "every built transcript should load from its .vtt",
        )
        for box in boxes:
            article = box.find_element(By.XPATH, "./ancestor::article")
            vtt = article.find_element(By.TAG_NAME, "track").get_attribute("src")
            cues = (sample_feed / vtt.rsplit("/", 1)[-1]).read_text("utf-8").count(" --> ")
            assert len(box.find_elements(By.CSS_SELECTOR, ".cue")) == cues > 0
        assert _serious_violations(browser) == []


def test_the_axe_check_catches_a_planted_violation(site: Site, browser: Any) -> None:
    """The check above is live: an image without alt text and a nameless button fail it."""
    _fresh(browser, site)
    browser.execute_script(
        "var main = document.querySelector('main');"
        "main.insertAdjacentHTML('beforeend', '<img src=\"cover.png\"><button></button>');"
    )
    ids = {v["id"] for v in _serious_violations(browser)}
    assert {"image-alt", "button-name"} <= ids


def test_embedded_transcripts_work_from_a_file_url(site: Site, browser: Any) -> None:
    """From file:// the browser refuses the .vtt track (the page says so); with the
    WebVTT text embedded the transcript follows along there too."""
    browser.get(site.root.joinpath("index.html").as_uri())
    _wait(browser, "return document.querySelector('track').readyState === 3;", "track refused")
    note = browser.find_element(By.CSS_SELECTOR, "#s1e1 .transcript").text
    assert "could not be loaded" in note

    vtts = {
        e.guid: (site.root / f"episode-{e.number}.vtt").read_text("utf-8") for e in site.episodes
    }
    page = site.root / "embedded.html"
    page.write_text(render_index(CHANNEL, site.episodes, vtt_texts=vtts), "utf-8")
    browser.get(page.as_uri())
    browser.execute_script("window.localStorage.clear();")
    browser.refresh()
    _ready(browser)
    texts = [c.text for c in browser.find_elements(By.CSS_SELECTOR, "#s1e1 .transcript .cue")]
    assert texts == list(CUES)
    second = browser.find_elements(By.CSS_SELECTOR, "#s1e2 .transcript .cue")
    assert [c.text for c in second] == [TITLES[1]]
    browser.execute_script(
        f"window.seeks = []; {FIRST}.addEventListener('seeking',"
        f" () => window.seeks.push({FIRST}.currentTime));"
    )
    browser.find_elements(By.CSS_SELECTOR, "#s1e1 .transcript .cue")[5].click()
    try:
        seeks = _wait(browser, "return window.seeks.length && window.seeks;", "a seek")
        assert seeks[0] == pytest.approx(5 * CUE_S, abs=0.1)
        _wait(browser, f"return {CUE_SPANS}[5].classList.contains('now');", "highlighted")
    finally:
        _pause_all(browser)
