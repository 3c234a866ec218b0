"""Upload rush: U students each upload P photos of ~3 MB at once, then submit.

Reports MB/s, the workers' peak memory growth (VmHWM from /proc), acknowledged pages missing
from the database afterwards, and submit-to-PDF latency (p50/p95)."""

import asyncio
import io
import random
import subprocess
import time
from pathlib import Path

from load import Connection, Result, post


def photo(seed: int, megabytes: float = 3.0) -> bytes:
    """A photo-like JPEG of about `megabytes`: noisy paper with text-like strokes."""
    import numpy as np
    from PIL import Image

    rng = np.random.default_rng(seed)
    height, width = 3200, 2400
    base = rng.normal(225, 18, (height, width)).clip(0, 255).astype("uint8")
    for row in range(200, height - 200, 90):
        base[row : row + 12, 150 : width - 150] = rng.integers(0, 90, (12, width - 300))
    quality = 95
    while True:
        buf = io.BytesIO()
        Image.fromarray(base).convert("RGB").save(buf, "JPEG", quality=quality)
        if buf.tell() <= megabytes * 1_100_000 or quality <= 60:
            return buf.getvalue()
        quality -= 5


def multipart(number: int, data: bytes) -> tuple[bytes, str]:
    boundary = f"----bench{random.getrandbits(64):x}"
    parts = [
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="number"\r\n\r\n{number}\r\n'
        ).encode(),
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="p{number}.jpg"'
            "\r\nContent-Type: image/jpeg\r\n\r\n"
        ).encode()
        + data
        + b"\r\n",
        f"--{boundary}--\r\n".encode(),
    ]
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def worker_pids(master: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(master)], capture_output=True, text=True).stdout
    return [int(pid) for pid in out.split()]


def memory(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM (peak) in kB."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(("VmRSS", "VmHWM")):
            name, value = line.split(":")
            values[name] = int(value.split()[0])
    return values


async def rush(port: int, clients: list[dict], photos: list[bytes]) -> tuple[Result, Result, int]:
    """Every client uploads its photos over its own connection, then submits."""
    host = f"127.0.0.1:{port}"
    uploads, submits = Result(), Result()
    acknowledged = 0
    start = time.perf_counter()
    uploads.started = submits.started = start

    async def student(client):
        nonlocal acknowledged
        conn = Connection("127.0.0.1", port)
        auth = {"Authorization": f"Bearer {client['token']}"}
        for number, data in enumerate(photos, start=1):
            body, content_type = multipart(number, data)
            raw = post(
                f"/api/v1/examinees/{client['examinee']}/pages", host, body, content_type, auth
            )
            sent = time.perf_counter()
            for _attempt in range(3):  # a phone retries a failed upload
                try:
                    status, _ = await conn.request(raw)
                    break
                except (OSError, ConnectionError, asyncio.IncompleteReadError):
                    conn.close()
                    status = 0
            uploads.statuses[status] = uploads.statuses.get(status, 0) + 1
            if status in (200, 201):
                acknowledged += 1
                uploads.bytes += len(data)
                uploads.latencies.append(time.perf_counter() - sent)
            else:
                uploads.errors += 1
        raw = post(
            f"/api/v1/examinees/{client['examinee']}/submit", host, b"", "application/json", auth
        )
        sent = time.perf_counter()
        try:
            status, _ = await conn.request(raw)
        except (OSError, ConnectionError, asyncio.IncompleteReadError):
            status = 0
        submits.statuses[status] = submits.statuses.get(status, 0) + 1
        if status == 200:
            submits.latencies.append(time.perf_counter() - sent)
        else:
            submits.errors += 1
        conn.close()

    await asyncio.gather(*(student(c) for c in clients))
    uploads.finished = submits.finished = time.perf_counter()
    return uploads, submits, acknowledged
