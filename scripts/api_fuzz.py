"""Schemathesis against the live demo, as a student, the secretary and the chair (issue 11):
0 server errors, 0 schema violations, 0 undocumented statuses, every check on.

Runs its own demo: a fresh SQLite file and media folder under var/fuzz/, `manage.py demo`,
gunicorn on a free port. Tokens come from POST /api/v1/auth/token (demo password `demo`)
before any fuzzing, so the fuzzed sign-in (which the throttle locks) cannot block them.
Bounded for CI: FUZZ_EXAMPLES cases per operation and FUZZ_SECONDS per persona.

    .venv/bin/python scripts/api_fuzz.py        (make fuzz)
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv" / "bin"
WORK = ROOT / "var" / "fuzz"
PERSONAS = ("student01", "secretary", "chair")
EXAMPLES = os.environ.get("FUZZ_EXAMPLES", "15")
SECONDS = os.environ.get("FUZZ_SECONDS", "40")
SEED = os.environ.get("FUZZ_SEED", "11")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5):  # noqa: S310 -- our own http://127.0.0.1
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def token(base: str, username: str) -> str:
    body = json.dumps({"username": username, "password": "demo"}).encode()
    url = f"{base}/api/v1/auth/token"  # our own server on http://127.0.0.1
    request = urllib.request.Request(url, body, {"Content-Type": "application/json"})  # noqa: S310
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        return json.load(response)["token"]


def get(base: str, path: str, key: str):
    request = urllib.request.Request(f"{base}{path}", headers={"Authorization": f"Bearer {key}"})  # noqa: S310
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        return json.load(response)


def config_with_demo_ids(base: str, tokens: dict) -> Path:
    """scripts/schemathesis.toml plus the demo's real ids: most path ids are drawn from them,
    so operations get past 404 into their own logic (the rest stay random, for the 404s)."""
    schedule = get(base, "/api/v1/me/schedule", tokens["student01"])
    sittings = sorted({item["sitting_id"] for item in schedule})
    examinees = {item["examinee_id"] for item in schedule}
    for sitting in sittings:
        rows = get(base, f"/api/v1/sittings/{sitting}/examinees", tokens["secretary"])
        examinees.update(row["examinee_id"] for row in rows[:5])
    extra = f"""
[dictionaries.examinees]
values = {sorted(examinees)}

[dictionaries.sittings]
values = {sittings}

[parameters]
"path.examinee_id" = {{ dictionary = "examinees", probability = 0.8 }}
"path.sitting_id" = {{ dictionary = "sittings", probability = 0.8 }}
"""
    path = WORK / "schemathesis.toml"
    path.write_text((ROOT / "scripts" / "schemathesis.toml").read_text() + extra)
    return path


def main() -> int:
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = os.environ | {
        "DATABASE_URL": f"sqlite:///{WORK / 'fuzz.sqlite3'}",
        "MEDIA_ROOT": str(WORK / "media"),
        "DEBUG": "1",
        "SITE_URL": base,
        "BIND": f"127.0.0.1:{port}",
        "WEB_WORKERS": "1",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("TESTING", None)
    manage = [str(VENV / "python"), "manage.py"]
    subprocess.run([*manage, "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run([*manage, "demo", "--students", "10"], cwd=ROOT, env=env, check=True)
    log = open(WORK / "server.log", "w")  # noqa: SIM115 -- open for the server's lifetime
    server = subprocess.Popen(
        [str(VENV / "gunicorn"), "attestation.wsgi", "-c", "gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    failed = []
    try:
        wait_for(f"{base}/healthz")
        tokens = {name: token(base, name) for name in PERSONAS}
        config = config_with_demo_ids(base, tokens)
        for name in PERSONAS:
            print(f"-- schemathesis as {name}", flush=True)
            command = [
                str(VENV / "schemathesis"),
                "--config-file",
                str(config),
                "run",
                f"{base}/api/v1/openapi.json",
                "--checks",
                "all",
                "--max-examples",
                EXAMPLES,
                "--max-time",
                SECONDS,
                "--seed",
                SEED,
                # One worker: CPython 3.11's ast module is not safe across the threads that
                # hypothesis uses to describe its strategies ("AST constructor recursion").
                "--workers",
                "1",
                "--phases",
                "examples,coverage,fuzzing",
                "--suppress-health-check",
                "all",
                "--request-timeout",
                "30",
                "--no-shrink",
                # Logging out revokes the very token the run goes on with: every later call
                # would be a 401 (tests/test_api_tokens.py tests logout).
                "--exclude-path-regex",
                "auth/logout$",
                "-H",
                f"Authorization: Bearer {tokens[name]}",
            ]
            if subprocess.run(command, cwd=WORK, env=env).returncode != 0:
                failed.append(name)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        log.close()
    if failed:
        print(f"API fuzzing failed for: {', '.join(failed)} (server log: {WORK / 'server.log'})")
        return 1
    print("API fuzzing: no server errors, no schema violations, no undocumented statuses")
    return 0


if __name__ == "__main__":
    sys.exit(main())
