"""A small open-loop HTTP/1.1 load generator on asyncio (no dependencies).

Open loop: every simulated client has its own schedule (e.g. a poll every 3 s); a request's
latency counts from when it was *due*, so a slow server cannot hide behind a slow client
(coordinated omission). Keep-alive connections are pooled, as browsers behind a proxy would.
"""

import asyncio
import random
import statistics
import time
from dataclasses import dataclass, field


@dataclass
class Result:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    started: float = 0.0
    finished: float = 0.0
    bytes: int = 0

    def summary(self) -> dict:
        done = len(self.latencies)
        lat = sorted(self.latencies)

        def pct(p):
            return lat[min(len(lat) - 1, int(p * len(lat)))] * 1000 if lat else float("nan")

        elapsed = max(self.finished - self.started, 1e-9)
        return {
            "requests": done,
            "req_s": done / elapsed,
            "p50_ms": pct(0.50),
            "p95_ms": pct(0.95),
            "p99_ms": pct(0.99),
            "mean_ms": statistics.fmean(lat) * 1000 if lat else float("nan"),
            "errors": self.errors,
            "statuses": dict(sorted(self.statuses.items())),
            "mb_s": self.bytes / elapsed / 1e6,
        }


class Connection:
    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.reader = self.writer = None

    async def open(self):
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)

    async def request(self, raw: bytes) -> tuple[int, int]:
        if self.writer is None:
            await self.open()
        self.writer.write(raw)
        await self.writer.drain()
        status_line = await self.reader.readline()
        if not status_line:
            raise ConnectionError("closed")
        status = int(status_line.split()[1])
        length, close = 0, False
        while True:
            line = await self.reader.readline()
            if line in (b"\r\n", b""):
                break
            name, _, value = line.decode("latin-1").partition(":")
            name = name.strip().lower()
            if name == "content-length":
                length = int(value.strip())
            elif name == "connection" and value.strip().lower() == "close":
                close = True
        body = await self.reader.readexactly(length) if length else b""
        if close:
            self.close()
        return status, len(body)

    def close(self):
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


def get(path: str, host: str, headers: dict | None = None) -> bytes:
    lines = [f"GET {path} HTTP/1.1", f"Host: {host}", "Connection: keep-alive"]
    lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def post(
    path: str, host: str, body: bytes, content_type: str, headers: dict | None = None
) -> bytes:
    lines = [
        f"POST {path} HTTP/1.1",
        f"Host: {host}",
        "Connection: keep-alive",
        f"Content-Type: {content_type}",
        f"Content-Length: {len(body)}",
    ]
    lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


async def open_loop(
    host: str,
    port: int,
    requests_for_client: list[bytes],
    *,
    interval: float,
    duration: float,
    connections: int,
) -> Result:
    """Each client i sends requests_for_client[i] every `interval` seconds (random phase) for
    `duration` seconds, over a pool of `connections` keep-alive connections."""
    result = Result()
    queue: asyncio.Queue = asyncio.Queue()
    start = time.perf_counter() + 0.5
    for raw in requests_for_client:
        phase = random.uniform(0, interval)
        t = phase
        while t < duration:
            queue.put_nowait((start + t, raw))
            t += interval
    items = sorted(queue._queue, key=lambda item: item[0])  # noqa: SLF001 — due order
    queue = asyncio.Queue()
    for item in items:
        queue.put_nowait(item)
    result.started = start

    async def worker():
        conn = Connection(host, port)
        while True:
            try:
                due, raw = queue.get_nowait()
            except asyncio.QueueEmpty:
                break
            wait = due - time.perf_counter()
            if wait > 0:
                await asyncio.sleep(wait)
            try:
                status, size = await conn.request(raw)
                result.statuses[status] = result.statuses.get(status, 0) + 1
                result.bytes += size
                if status >= 400:
                    result.errors += 1
                result.latencies.append(time.perf_counter() - due)
            except (OSError, ConnectionError, asyncio.IncompleteReadError, ValueError):
                result.errors += 1
                conn.close()
        conn.close()

    await asyncio.gather(*(worker() for _ in range(connections)))
    result.finished = time.perf_counter()
    return result


async def burst(host: str, port: int, raws: list[bytes], *, connections: int) -> Result:
    """Everyone at once: all requests due at the same instant."""
    result = Result()
    queue: asyncio.Queue = asyncio.Queue()
    for raw in raws:
        queue.put_nowait(raw)
    start = time.perf_counter()
    result.started = start

    async def worker():
        conn = Connection(host, port)
        while True:
            try:
                raw = queue.get_nowait()
            except asyncio.QueueEmpty:
                break
            try:
                status, size = await conn.request(raw)
                result.statuses[status] = result.statuses.get(status, 0) + 1
                if status >= 400:
                    result.errors += 1
                result.latencies.append(time.perf_counter() - start)
            except (OSError, ConnectionError, asyncio.IncompleteReadError, ValueError):
                result.errors += 1
                conn.close()
        conn.close()

    await asyncio.gather(*(worker() for _ in range(connections)))
    result.finished = time.perf_counter()
    return result
