"""Closed-loop load with wrk (Debian's `wrk`), in its own process: a fixed number of
connections, each sending its next request as soon as the last answer arrived, so the figure
is what the server carries at most. The requests rotate over a list (one student's cookie and
URL after another), written into a Lua script for wrk."""

import html
import http.client
import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

SCRIPT = """
local requests = {}
%(requests)s
local i = 0
request = function()
  i = i %% #requests + 1
  return requests[i]
end
done = function(summary, latency, _)
  local e = summary.errors
  io.write(string.format(
    'WRK {"requests": %%d, "duration_us": %%d, "errors": %%d, "p50_us": %%d, "p99_us": %%d}\\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.status + e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
"""


def available() -> bool:
    return shutil.which("wrk") is not None


def lua_string(value: str) -> str:
    return json.dumps(value)  # a JSON string is a valid Lua string for ASCII text


def check(port: int, path: str, headers: dict, expect: int = 200) -> int:
    """One request first: a benchmark of a redirect or a 404 would measure the wrong page."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    body = response.read()
    conn.close()
    if response.status != expect:
        raise RuntimeError(f"{path}: {response.status}, expected {expect}: {body[:200]!r}")
    return len(body)


def wrk(
    port: int,
    requests: list[tuple[str, dict]],
    *,
    seconds: float,
    threads: int = 2,
    connections: int = 16,
) -> dict:
    """req/s, p50/p99 (ms) and errors (non-2xx/3xx answers and socket errors)."""
    lines = []
    for path, headers in requests:
        table = ", ".join(f"[{lua_string(k)}] = {lua_string(v)}" for k, v in headers.items())
        lines.append(
            f'requests[#requests + 1] = wrk.format("GET", {lua_string(path)}, {{{table}}})'
        )
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "requests.lua"
        script.write_text(SCRIPT % {"requests": "\n".join(lines)})
        out = subprocess.run(
            [
                "wrk",
                f"-t{threads}",
                f"-c{connections}",
                f"-d{max(int(seconds), 1)}s",
                "--timeout",
                "10s",
                "-s",
                str(script),
                f"http://127.0.0.1:{port}",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    line = next(line for line in out.splitlines() if line.startswith("WRK "))
    figures = json.loads(line[4:])
    elapsed = figures["duration_us"] / 1e6
    return {
        "requests": figures["requests"],
        "req_s": figures["requests"] / elapsed if elapsed else 0.0,
        "p50_ms": figures["p50_us"] / 1000,
        "p99_ms": figures["p99_us"] / 1000,
        "errors": figures["errors"],
    }


def state_key(port: int, path: str, headers: dict) -> str:
    """The key of the exam state banner (`data-key`), which the page sends back as `seen`."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    body = response.read().decode()
    conn.close()
    found = re.search(r'data-key="([^"]*)"', body)
    if response.status != 200 or not found:
        raise RuntimeError(f"{path}: {response.status}, no data-key: {body[:200]!r}")
    return html.unescape(found.group(1))


def etag(port: int, path: str, headers: dict) -> str:
    """The ETag a browser keeps from its first answer."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    response.read()
    conn.close()
    return response.getheader("ETag") or ""
