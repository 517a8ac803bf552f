/* The listening page: skip, speed, keys, chapters and a transcript that follows
   playback, and each episode's position remembered in localStorage. Data never
   goes into the script: it reads the page's own attributes and the episode's
   WebVTT file (a <track>), so HTML escaping is the only escaping needed. */
(function () {
  "use strict";
  var PREFIX = "audio-companion:";
  var articles = Array.prototype.slice.call(document.querySelectorAll("article.episode"));
  var active = null;

  function clock(s) {
    s = Math.max(0, Math.floor(s));
    var h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
    var mm = h ? (m < 10 ? "0" : "") + m : String(m);
    return (h ? h + ":" : "") + mm + ":" + (sec < 10 ? "0" : "") + sec;
  }
  function load(key) {
    try { return JSON.parse(window.localStorage.getItem(PREFIX + key) || "null"); }
    catch (e) { return null; }
  }
  function save(key, value) {
    try { window.localStorage.setItem(PREFIX + key, JSON.stringify(value)); }
    catch (e) { /* private mode or full: nothing remembered */ }
  }
  function play(audio) {
    var p = audio.play();
    if (p && p.catch) { p.catch(function () {}); }
  }
  function seek(audio, t) {
    var end = isFinite(audio.duration) ? audio.duration : Infinity;
    audio.currentTime = Math.max(0, Math.min(t, end));
  }

  document.getElementById("copy-feed").addEventListener("click", function (ev) {
    var field = document.getElementById("feed-url"), button = ev.currentTarget;
    function select() { field.focus(); field.select(); }
    function done() { button.textContent = "Copied"; }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(done, select);
    } else {
      select();
      try { if (document.execCommand("copy")) { done(); } } catch (e) { /* selected */ }
    }
  });

  function Player(article) {
    var self = this;
    this.article = article;
    this.audio = article.querySelector("audio");
    this.key = article.getAttribute("data-key");
    this.chapters = Array.prototype.slice.call(article.querySelectorAll("ol.chapters li"));
    this.box = article.querySelector(".transcript");
    this.follow = article.querySelector(".follow");
    this.cues = [];
    this.cue = null;
    this.following = true;
    this.autoTop = -1;
    this.saved = 0;
    var audio = this.audio;

    article.addEventListener("click", function (ev) {
      var el = ev.target.closest("[data-seek], [data-skip], .cue, .resume, .follow");
      if (!el) { return; }
      if (el.hasAttribute("data-skip")) {
        seek(audio, audio.currentTime + parseFloat(el.getAttribute("data-skip")));
      } else if (el.classList.contains("follow")) {
        self.setFollowing(true);
      } else {
        var t = el.classList.contains("resume") ? self.resumeAt
          : parseFloat(el.getAttribute(el.classList.contains("cue") ? "data-start" : "data-seek"));
        seek(audio, t);
        play(audio);
      }
    });
    var speed = article.querySelector("select.speed");
    speed.addEventListener("change", function () { setSpeed(parseFloat(speed.value)); });
    audio.addEventListener("ratechange", function () {
      speed.value = String(audio.playbackRate);
    });
    ["timeupdate", "seeked", "loadedmetadata"].forEach(function (name) {
      audio.addEventListener(name, function () { self.update(); });
    });
    audio.addEventListener("play", function () {
      active = self;
      articles.forEach(function (a) {
        var other = a.querySelector("audio");
        if (other !== audio && !other.paused) { other.pause(); }
      });
    });
    audio.addEventListener("pause", function () { self.remember(true); });
    audio.addEventListener("ended", function () {
      save(self.key, { t: 0, done: true });
      self.markDone(true);
    });
    this.offerResume();
    if (this.box) { this.loadTranscript(); }
  }

  Player.prototype.offerResume = function () {
    var state = load(this.key) || {}, button = this.article.querySelector(".resume");
    this.markDone(Boolean(state.done));
    if (!state.done && state.t >= 1) {
      this.resumeAt = state.t;
      button.textContent = "Resume at " + clock(state.t);
      button.hidden = false;
    }
  };

  Player.prototype.markDone = function (done) {
    this.article.classList.toggle("finished", done);
    this.article.querySelector(".badge").hidden = !done;
  };

  Player.prototype.remember = function (now) {
    var t = this.audio.currentTime;
    if (!now && Math.abs(t - this.saved) < 2) { return; }
    if (this.audio.ended) { return; }
    this.saved = t;
    var state = load(this.key) || {};
    if (t >= 1 || !state.done) {
      save(this.key, { t: t, done: false });
      if (t >= 1) { this.markDone(false); }
    }
  };

  Player.prototype.update = function () {
    var t = this.audio.currentTime;
    if (!this.audio.paused || t > 0) { this.remember(false); }
    if (t > 0.5) { this.article.querySelector(".resume").hidden = true; }
    var current = null;
    this.chapters.forEach(function (li) {
      var start = parseFloat(li.querySelector("[data-seek]").getAttribute("data-seek"));
      if (start <= t + 0.001) { current = li; }
    });
    this.chapters.forEach(function (li) {
      li.classList.toggle("now", li === current);
      var b = li.querySelector("button");
      if (li === current) { b.setAttribute("aria-current", "true"); }
      else { b.removeAttribute("aria-current"); }
    });
    this.highlight(t);
  };

  Player.prototype.highlight = function (t) {
    var found = null;
    for (var i = 0; i < this.cues.length; i++) {
      var c = this.cues[i];
      if (c.start > t + 0.001) { break; }
      found = c;
    }
    if (found && t > found.end && !(found.next && t < found.next)) { found = null; }
    var el = found ? found.el : null;
    if (el === this.cue) { return; }
    if (this.cue) { this.cue.classList.remove("now"); this.cue.removeAttribute("aria-current"); }
    this.cue = el;
    if (el) {
      el.classList.add("now");
      el.setAttribute("aria-current", "true");
      if (this.following) { this.scrollTo(el); }
    }
  };

  Player.prototype.scrollTo = function (el) {
    var box = this.box;
    box.scrollTop = Math.max(0, el.offsetTop - box.clientHeight / 3);
    this.autoTop = box.scrollTop;
  };

  Player.prototype.setFollowing = function (on) {
    this.following = on;
    this.follow.hidden = on;
    if (on && this.cue) { this.scrollTo(this.cue); }
  };

  Player.prototype.loadTranscript = function () {
    var self = this, trackEl = this.audio.querySelector("track");
    var box = this.box;
    box.addEventListener("scroll", function () {
      if (Math.abs(box.scrollTop - self.autoTop) > 2 && self.following) {
        self.setFollowing(false);
      }
    });
    function fill(cues) {
      var starts = [], p = document.createElement("p");
      self.chapters.forEach(function (li) {
        starts.push(parseFloat(li.querySelector("[data-seek]").getAttribute("data-seek")));
      });
      box.textContent = "";
      box.appendChild(p);
      var chapter = 0;
      for (var i = 0; i < cues.length; i++) {
        var cue = cues[i];
        while (chapter + 1 < starts.length && cue.startTime >= starts[chapter + 1] - 0.001) {
          chapter++;
          if (p.childNodes.length) { p = document.createElement("p"); box.appendChild(p); }
        }
        var span = document.createElement("span");
        span.className = "cue";
        span.setAttribute("data-start", String(cue.startTime));
        span.textContent = cue.text.replace(/\s+/g, " ").trim();
        if (p.childNodes.length) { p.appendChild(document.createTextNode(" ")); }
        p.appendChild(span);
        self.cues.push({ start: cue.startTime, end: cue.endTime, el: span, next: null });
      }
      for (var j = 0; j + 1 < self.cues.length; j++) {
        self.cues[j].next = self.cues[j + 1].start;
      }
      self.autoTop = box.scrollTop;
      box.setAttribute("data-ready", "true");
      self.update();
    }
    function failed() {
      box.querySelector("p").textContent = "The transcript could not be loaded here " +
        "(browsers refuse it from a file:// page); the link below opens it.";
    }
    function fromTrack() {
      fill(Array.prototype.map.call(trackEl.track.cues, function (c) {
        return { startTime: c.startTime, endTime: c.endTime,
          text: c.getCueAsHTML().textContent };
      }));
    }
    var embedded = this.article.querySelector("pre.vtt");
    if (embedded) { fill(parseVtt(embedded.textContent)); return; }
    trackEl.track.mode = "hidden";
    if (trackEl.readyState === 2) { fromTrack(); }
    else if (trackEl.readyState === 3) { failed(); }
    else {
      trackEl.addEventListener("load", fromTrack);
      trackEl.addEventListener("error", failed);
    }
  };

  /* The cues of a WebVTT text embedded in the page (for file://, where the
     browser will not load the track): times, and text with tags dropped and
     character references decoded by an inert <textarea>. */
  function seconds(stamp) {
    var parts = stamp.split(":"), t = 0;
    for (var i = 0; i < parts.length; i++) { t = t * 60 + parseFloat(parts[i]); }
    return t;
  }
  function parseVtt(text) {
    var cues = [], decoder = document.createElement("textarea");
    text.replace(/\r\n?/g, "\n").split(/\n{2,}/).forEach(function (block) {
      var lines = block.split("\n");
      for (var i = 0; i < lines.length; i++) {
        var m = /^\s*([\d:.]+)\s+-->\s+([\d:.]+)/.exec(lines[i]);
        if (m) {
          decoder.innerHTML = lines.slice(i + 1).join(" ").replace(/<[^>]*>/g, "");
          cues.push({ startTime: seconds(m[1]), endTime: seconds(m[2]), text: decoder.value });
          return;
        }
      }
    });
    return cues;
  }

  var players = articles.map(function (a) { return new Player(a); });

  function setSpeed(rate) {
    save("speed", rate);
    players.forEach(function (p) {
      p.audio.defaultPlaybackRate = rate;
      p.audio.playbackRate = rate;
    });
  }
  var rate = parseFloat(load("speed"));
  if (rate >= 0.5 && rate <= 3) {
    players.forEach(function (p) {
      p.audio.defaultPlaybackRate = rate;
      p.audio.playbackRate = rate;
      p.article.querySelector("select.speed").value = String(rate);
    });
  }

  window.addEventListener("pagehide", function () {
    players.forEach(function (p) { if (p.audio.currentTime > 0) { p.remember(true); } });
  });

  document.addEventListener("keydown", function (ev) {
    if (ev.altKey || ev.ctrlKey || ev.metaKey || ev.defaultPrevented) { return; }
    var target = ev.target, tag = target.tagName;
    if (tag === "INPUT" || tag === "SELECT" || tag === "TEXTAREA" || tag === "AUDIO" ||
        target.isContentEditable) { return; }
    var focused = target.closest ? target.closest("article.episode") : null;
    var player = null;
    players.forEach(function (p) { if (p.article === focused) { player = p; } });
    player = player || active || players[0];
    if (!player) { return; }
    var audio = player.audio;
    if (ev.key === " " || ev.key === "Spacebar") {
      if (tag === "BUTTON" || tag === "A") { return; }
      ev.preventDefault();
      if (audio.paused) { play(audio); } else { audio.pause(); }
    } else if (ev.key === "ArrowLeft") {
      ev.preventDefault();
      seek(audio, audio.currentTime - 15);
    } else if (ev.key === "ArrowRight") {
      ev.preventDefault();
      seek(audio, audio.currentTime + 30);
    }
  });
})();
