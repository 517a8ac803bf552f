#!/usr/bin/env python3
"""Load check for `audio-companion serve`, and nginx beside it when installed.

Acceptance for issue 14 (serve): with socketserver's listen backlog of 5,
200 concurrent clients saw requests stall for 28-55 s while the kernel
dropped SYNs. This script starts the product's server (the real CLI, in its
own process) on a temporary folder of MP3-sized files and reports:

1. load: REQUESTS random single-range GETs over CONCURRENCY concurrent
   connections, a new connection per request (the case that overflows a
   small backlog), every body checked byte for byte; p50/p99/max latency;
2. slowloris: SLOW connections trickle an endless request header, one line
   a second, while a prober fetches the feed and a range every 0.1 s; the
   prober's latency, and how many trickling connections the server cut off
   (its --timeout is set to TIMEOUT seconds for this).

Everything is loopback only and bounded: each request has a limit, each
phase a deadline. Run from the repository: .venv/bin/python scripts/bench_serve.py
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

HOST = "127.0.0.1"
REQUEST_LIMIT = 60.0  # one request may take this long before it counts as failed
START_LIMIT = 30.0  # a server must answer within this long of starting


@dataclass
class Files:
    root: Path
    episodes: dict[str, bytes]


def make_files(root: Path, count: int, megabytes: float, seed: int) -> Files:
    """Synthetic feed: MP3-sized random episodes (checkable bytes), a feed and its extras."""
    rng = random.Random(seed)
    episodes = {}
    for number in range(1, count + 1):
        name = f"ep{number:02d}.mp3"
        data = rng.randbytes(int(megabytes * 1024 * 1024))
        (root / name).write_bytes(data)
        episodes[name] = data
        (root / f"ep{number:02d}.vtt").write_text("WEBVTT\n\n00:00.000 --> 00:01.000\nHi\n")
        (root / f"ep{number:02d}.chapters.json").write_text('{"version":"1.2.0","chapters":[]}')
    items = "".join(f'<item><enclosure url="{n}" type="audio/mpeg"/></item>' for n in episodes)
    (root / "feed.xml").write_text(f'<?xml version="1.0"?><rss version="2.0">{items}</rss>')
    (root / ".build.lock").write_text("pid 1\n")
    return Files(root, episodes)


# --- servers --------------------------------------------------------------------------


def _wait_until_listening(
    port: int, proc: subprocess.Popen[bytes], log: Path | None = None
) -> None:
    deadline = time.monotonic() + START_LIMIT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            said = log.read_text()[-500:] if log is not None and log.exists() else ""
            raise SystemExit(f"the server exited with {proc.returncode} {said}")
        try:
            with socket.create_connection((HOST, port), timeout=1):
                return
        except OSError:
            time.sleep(0.05)
    raise SystemExit(f"nothing listened on port {port} within {START_LIMIT:g} s")


def _stop(proc: subprocess.Popen[bytes], sig: signal.Signals = signal.SIGINT) -> None:
    """SIGINT is the product's Ctrl+C; nginx shuts down gracefully on SIGQUIT."""
    if proc.poll() is None:
        proc.send_signal(sig)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


@contextmanager
def product_server(root: Path, timeout: float) -> Iterator[int]:
    exe = Path(sys.executable).with_name("audio-companion")
    command = [str(exe), "serve", str(root), "--port", "0", "--timeout", f"{timeout:g}", "-q"]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline().decode()  # "Serving DIR at http://127.0.0.1:PORT/ ..."
        found = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        if found is None:
            raise SystemExit(f"unexpected first line from the server: {line!r}")
        port = int(found.group(1))
        _wait_until_listening(port, proc)
        yield port
    finally:
        _stop(proc)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


NGINX_CONF = """\
{user}
worker_processes 1;
daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    types {{ audio/mpeg mp3; application/rss+xml xml; text/vtt vtt; application/json json; }}
    sendfile on;
    client_header_timeout {timeout};
    keepalive_timeout {timeout};
    send_timeout {timeout};
    server {{
        listen {host}:{port};
        root {root};
        location ~ /\\. {{ return 404; }}
        add_header Access-Control-Allow-Origin * always;
    }}
}}
"""


@contextmanager
def nginx_server(root: Path, timeout: float, scratch: Path) -> Iterator[int]:
    port = _free_port()
    scratch.mkdir()
    user = "user root;" if os.geteuid() == 0 else ""
    conf = scratch / "nginx.conf"
    conf.write_text(
        NGINX_CONF.format(
            user=user,
            tmp=scratch,
            timeout=f"{round(timeout * 1000)}ms",
            host=HOST,
            port=port,
            root=root,
        )
    )
    proc = subprocess.Popen(
        ["nginx", "-c", str(conf), "-p", str(scratch)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_until_listening(port, proc, scratch / "error.log")
        yield port
    finally:
        _stop(proc, signal.SIGQUIT)


# --- clients --------------------------------------------------------------------------


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes


async def fetch(port: int, path: str, headers: dict[str, str]) -> Reply:
    """One GET on a new connection (Connection: close), body read by Content-Length."""
    reader, writer = await asyncio.open_connection(HOST, port)
    try:
        lines = [f"GET {path} HTTP/1.1", f"Host: {HOST}:{port}", "Connection: close"]
        lines += [f"{name}: {value}" for name, value in headers.items()]
        writer.write(("\r\n".join(lines) + "\r\n\r\n").encode())
        await writer.drain()
        head = await reader.readuntil(b"\r\n\r\n")
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        parsed = {}
        for line in header_lines:
            if ":" in line:
                name, value = line.split(":", 1)
                parsed[name.strip().lower()] = value.strip()
        body = await reader.readexactly(int(parsed.get("content-length", "0")))
        return Reply(int(status_line.split()[1]), parsed, body)
    finally:
        writer.close()
        with suppress(OSError):
            await writer.wait_closed()


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    correct: int = 0
    wrong: list[str] = field(default_factory=list)

    def summary(self, total: int) -> str:
        if not self.latencies:
            return f"{self.correct}/{total} correct, no latencies"
        ms = sorted(x * 1000 for x in self.latencies)
        p99 = ms[min(len(ms) - 1, int(len(ms) * 0.99))]
        return (
            f"{self.correct}/{total} correct; latency p50 {statistics.median(ms):.1f} ms, "
            f"p99 {p99:.1f} ms, max {ms[-1]:.1f} ms"
        )


async def check_range(port: int, files: Files, rng: random.Random, tally: Tally) -> None:
    name = rng.choice(sorted(files.episodes))
    data = files.episodes[name]
    start = rng.randrange(len(data))
    end = min(len(data) - 1, start + rng.randrange(1, 128 * 1024))
    began = time.perf_counter()
    try:
        reply = await asyncio.wait_for(
            fetch(port, f"/{name}", {"Range": f"bytes={start}-{end}"}), REQUEST_LIMIT
        )
    except (OSError, asyncio.TimeoutError, asyncio.IncompleteReadError) as exc:
        tally.wrong.append(f"{name} {start}-{end}: {type(exc).__name__}")
        return
    tally.latencies.append(time.perf_counter() - began)
    expected_range = f"bytes {start}-{end}/{len(data)}"
    if (
        reply.status == 206
        and reply.headers.get("content-range") == expected_range
        and reply.body == data[start : end + 1]
    ):
        tally.correct += 1
    else:
        tally.wrong.append(f"{name} {start}-{end}: {reply.status} {len(reply.body)} bytes")


async def load(port: int, files: Files, requests: int, concurrency: int, seed: int) -> Tally:
    tally = Tally()
    rng = random.Random(seed)
    todo = iter(range(requests))

    async def worker() -> None:
        for _ in todo:
            await check_range(port, files, rng, tally)

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return tally


async def slowloris(
    port: int, files: Files, connections: int, seconds: float, seed: int
) -> tuple[Tally, int, int, int]:
    """(prober tally, prober requests, trickling connections cut off, of which with a 408)."""
    held: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = []
    for _ in range(connections):
        reader, writer = await asyncio.open_connection(HOST, port)
        writer.write(f"GET /feed.xml HTTP/1.1\r\nHost: {HOST}\r\n".encode())
        held.append((reader, writer))
    cut, answered_408 = 0, 0
    open_ = list(held)

    async def trickle() -> None:
        nonlocal cut, answered_408, open_
        deadline = time.monotonic() + seconds
        line = 0
        while time.monotonic() < deadline and open_:
            await asyncio.sleep(1.0)
            still = []
            for reader, writer in open_:
                if reader.at_eof() or writer.is_closing():
                    closed = True
                else:
                    try:
                        writer.write(f"X-Slow-{line}: 1\r\n".encode())
                        await asyncio.wait_for(writer.drain(), 1.0)
                        closed = False
                    except (OSError, asyncio.TimeoutError):
                        closed = True
                    if not closed:
                        try:  # anything the server said (a 408) means it gave up on us
                            data = await asyncio.wait_for(reader.read(65536), 0.001)
                            closed = True
                            answered_408 += data.startswith(b"HTTP/1.1 408")
                        except asyncio.TimeoutError:
                            pass
                        except OSError:
                            closed = True
                if closed:
                    cut += 1
                else:
                    still.append((reader, writer))
            open_ = still
            line += 1

    tally = Tally()
    probes = 0

    async def probe() -> None:
        nonlocal probes
        rng = random.Random(seed)
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            probes += 1
            began = time.perf_counter()
            try:
                reply = await asyncio.wait_for(fetch(port, "/feed.xml", {}), REQUEST_LIMIT)
                ok = reply.status == 200 and reply.body == (files.root / "feed.xml").read_bytes()
            except (OSError, asyncio.TimeoutError, asyncio.IncompleteReadError) as exc:
                tally.wrong.append(type(exc).__name__)
                ok = False
            if ok:
                tally.latencies.append(time.perf_counter() - began)
                tally.correct += 1
            probes += 1
            await check_range(port, files, rng, tally)
            await asyncio.sleep(0.1)

    await asyncio.gather(trickle(), probe())
    for _, writer in held:
        writer.close()
    return tally, probes, cut, answered_408


def bench(name: str, port: int, files: Files, args: argparse.Namespace) -> None:
    began = time.perf_counter()
    tally = asyncio.run(load(port, files, args.requests, args.concurrency, args.seed))
    took = time.perf_counter() - began
    print(f"{name:>15} load     : {tally.summary(args.requests)}; {took:.2f} s wall", flush=True)
    for problem in tally.wrong[:5]:
        print(f"{'':>15}   wrong: {problem}")
    probe, probes, cut, with_408 = asyncio.run(
        slowloris(port, files, args.slow, args.slow_seconds, args.seed)
    )
    print(
        f"{name:>15} slowloris: {args.slow} trickling connections for {args.slow_seconds:g} s; "
        f"prober {probe.summary(probes)}; server cut {cut}/{args.slow} trickling connections "
        f"({with_408} with a 408)",
        flush=True,
    )
    for problem in probe.wrong[:5]:
        print(f"{'':>15}   wrong: {problem}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=200)
    parser.add_argument("--slow", type=int, default=100, help="slowloris connections")
    parser.add_argument("--slow-seconds", type=float, default=10.0)
    parser.add_argument("--timeout", type=float, default=5.0, help="both servers' client timeout")
    parser.add_argument("--files", type=int, default=4)
    parser.add_argument("--megabytes", type=float, default=8.0, help="size of each episode")
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--no-nginx", action="store_true")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-serve-") as tmp:
        root = Path(tmp) / "feed"
        root.mkdir(parents=True)
        os.chmod(tmp, 0o755)  # nginx workers may run as another user
        files = make_files(root, args.files, args.megabytes, args.seed)
        print(
            f"{args.files} episodes of {args.megabytes:g} MiB; {args.requests} random ranges "
            f"(1 B-128 KiB) over {args.concurrency} concurrent connections, a new one per "
            f"request; client timeout {args.timeout:g} s; somaxconn "
            f"{Path('/proc/sys/net/core/somaxconn').read_text().strip()}",
            flush=True,
        )
        with product_server(root, args.timeout) as port:
            bench("audio-companion", port, files, args)
        if args.no_nginx:
            return
        if shutil.which("nginx") is None:
            print("nginx: not installed (apt-get install nginx-light), not compared")
            return
        version = subprocess.run(["nginx", "-v"], capture_output=True, text=True, timeout=10)
        print(f"{version.stderr.strip()} (1 worker, sendfile on)", flush=True)
        with nginx_server(root, args.timeout, Path(tmp) / "nginx") as port:
            bench("nginx", port, files, args)


if __name__ == "__main__":
    main()
