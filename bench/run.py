"""`make bench`: the exam-day benchmarks, printed as tables.

1. Exam day, side by side in one run against the production server setup (gunicorn,
   2 workers × 4 threads, WhiteNoise), each as a ratio to the static file of the entry
   fragment's size served by the same server:
   - closed loop (wrk in its own process, 2 threads × 16 connections, BENCH_WRK_SECONDS
     each): the static file, the API's entry poll (token), the browser's entry poll (htmx
     headers and a session cookie, the real URL; and revalidated with its ETag: 304), and
     every page a student opens on exam day (cabinet, SAC, exam room, cards, ticket with the
     upload panel, the upload panel alone);
   - open loop (bench/load.py): N students poll every 3 s, the static file, the API poll and
     the browser poll, p50/p99 counted from when each request was due.
2. Draw burst: M admitted students draw at once, on SQLite and on PostgreSQL: latency, errors,
   and duplicates counted in the database afterwards.
3. Upload rush: U students × P photos of ~3 MB at once, then submit: MB/s, the workers' peak
   memory growth, acknowledged pages missing afterwards, submit-to-PDF p95.

Environment: BENCH_STUDENTS (3000), BENCH_SECONDS (30), BENCH_WRK_SECONDS (8),
BENCH_DRAWERS (1000),
BENCH_UPLOADERS (200), BENCH_PHOTOS (10), BENCH_ONLY (comma list: poll,draw,upload; `pages`
is the exam day's closed loop alone, without the open loop), BENCH_ROWS (comma list of words:
only the closed-loop rows whose name holds one of them, beside the static file, e.g.
`BENCH_ONLY=pages BENCH_ROWS=cabinet,ticket BENCH_STUDENTS=200` while working on a page),
BENCH_PG_URL (postgres://postgres@127.0.0.1:5432/attestation_bench; empty skips PostgreSQL).
"""

import asyncio
import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import closed
import uploads as upload_bench
from load import burst, get, open_loop, post

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
VAR = ROOT / "var"
RESULTS = ROOT / "bench" / "results"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def environment(database_url: str, port: int) -> dict:
    return os.environ | {
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "UNIVERSITY_NAME": "Benchmark university",
        "SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(VAR / "bench-media"),
        "BIND": f"127.0.0.1:{port}",
        "WEB_WORKERS": "2",
        "TASKS_IMMEDIATE": "1",
        "LOG_LEVEL": "WARNING",
    }


def build_world(
    env: dict, students: int, admitted: int, drawn: bool = False, pages: int = 0
) -> dict:
    out = subprocess.run(
        [PY, str(ROOT / "bench" / "world.py"), str(students), str(admitted)]
        + (["drawn"] if drawn else [])
        + ([f"pages={pages}"] if pages else []),
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


class Server:
    """gunicorn as in production (gunicorn.conf.py), static files through WhiteNoise."""

    def __init__(self, env: dict, port: int):
        self.env, self.port = env, port

    def __enter__(self):
        subprocess.run(
            [PY, "manage.py", "collectstatic", "--noinput", "-v0"],
            env=self.env,
            cwd=ROOT,
            check=True,
        )
        self.proc = subprocess.Popen(
            [str(Path(PY).parent / "gunicorn"), "attestation.wsgi", "-c", "gunicorn.conf.py"],
            env=self.env,
            cwd=ROOT,
        )
        deadline = time.time() + 30
        workers = int(self.env["WEB_WORKERS"])
        while time.time() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=1)
                # The first worker answers while the master may still be forking the next.
                if len(upload_bench.worker_pids(self.proc.pid)) >= workers:
                    return self
            except OSError:
                pass
            time.sleep(0.3)
        raise RuntimeError("the server did not start")

    def __exit__(self, *exc):
        self.proc.terminate()
        self.proc.wait(timeout=20)


def count_draws(env: dict, sitting: int) -> dict:
    code = (
        "import os,sys,json;sys.path.insert(0,'.');"
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE','attestation.settings');"
        "import django;django.setup();"
        "from django.db.models import Count;"
        "from attestation.tickets.models import Draw;"
        f"q=Draw.objects.filter(sitting_id={sitting});"
        "per=q.values('examinee').annotate(n=Count('id')).filter(n__gt=1).count();"
        "rounds=q.values('ticket','round').annotate(n=Count('id')).filter(n__gt=1).count();"
        "print(json.dumps({'draws':q.count(),'duplicate_examinees':per,'repeated_in_round':rounds}))"
    )
    out = subprocess.run(
        [PY, "-c", code], env=env, cwd=ROOT, check=True, capture_output=True, text=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def browser(client: dict, htmx: bool = False) -> dict:
    headers = {"Cookie": f"sessionid={client['session']}", "Accept": "text/html"}
    if htmx:
        # What htmx sends with a poll (hx-get on the entry box).
        headers |= {
            "HX-Request": "true",
            "HX-Target": "entry",
            "HX-Current-URL": f"http://127.0.0.1/kk/exam/{client['examinee']}/",
        }
    return headers


def exam_day(
    students: int,
    seconds: float,
    wrk_seconds: float,
    *,
    open_loop_too: bool = True,
    only_rows: tuple[str, ...] = (),
) -> list[dict]:
    """The pages and polls of exam day against the static file, side by side in one run:
    closed loop (wrk, its own process, 2 threads × 16 connections) and open loop (every
    student polling every 3 s). `only_rows`: words naming the closed-loop rows to run."""
    port = free_port()
    env = environment(f"sqlite:///{VAR / 'bench.sqlite3'}", port)
    pages = 8  # students 0–7 drawn (ticket, upload panel), 8–15 admitted (the cards)
    world = build_world(env, students, 0, pages=pages)
    probe = VAR / "static" / "bench-probe.html"
    probe.parent.mkdir(parents=True, exist_ok=True)
    probe.write_bytes(b"<div>" + b" " * max(world["fragment_bytes"] - 11, 0) + b"</div>")
    host = f"127.0.0.1:{port}"
    clients = world["clients"]
    drawn, admitted = clients[:pages], clients[pages : 2 * pages]
    # The poll rotates over every student; the 304 row sends the ETag a browser keeps.
    poll = [(f"/kk/exam/{c['examinee']}/entry/", browser(c, htmx=True)) for c in clients]

    def token(c):
        return {"Authorization": f"Bearer {c['token']}"}

    def room(c, suffix=""):
        return (f"/kk/exam/{c['examinee']}/{suffix}", browser(c))

    def answers(c):
        return (f"/kk/answers/{c['examinee']}/", browser(c))

    api = [(f"/api/v1/examinees/{c['examinee']}/entry", token(c)) for c in clients]
    closed_rows = [
        ("static file (WhiteNoise), the fragment's size", [("/static/bench-probe.html", {})]),
        ("API entry poll (token)", api),
        ("browser entry poll (htmx, session)", poll),
        ("browser entry poll, unchanged (304)", None),  # filled in once the ETags are known
        ("exam state poll (htmx, session, every 4 s)", "state"),  # with the key each page has
        ("cabinet (session)", [("/kk/", browser(c)) for c in clients[2 * pages : 3 * pages]]),
        ("Training → SAC (session)", [("/kk/training/sac/", browser(c)) for c in drawn]),
        ("exam room (session)", [room(c) for c in admitted]),
        ("face-down cards (session)", [room(c, "draw/") for c in admitted]),
        ("ticket + upload panel (session)", [room(c, "ticket/") for c in drawn]),
        ("upload panel alone (session)", [answers(c) for c in drawn]),
    ]  # fmt: skip
    if only_rows:
        closed_rows = closed_rows[:1] + [
            row for row in closed_rows[1:] if any(word in row[0] for word in only_rows)
        ]
    rows = []
    with Server(env, port):
        if closed.available():
            revalidate = []
            for path, headers in poll[: 4 * pages]:
                etag = closed.etag(port, path, headers)
                revalidate.append((path, headers | {"If-None-Match": etag}))
            # The exam room and the ticket page poll their state banner with the key they
            # were drawn with (`?seen=`): unchanged, as on most polls of an exam.
            state = []
            for c in admitted + drawn:
                path = f"/kk/exam/{c['examinee']}/state/"
                headers = browser(c, htmx=True) | {"HX-Target": "exam-state"}
                key = closed.state_key(port, path, headers)
                state.append((f"{path}?seen={urllib.parse.quote(key)}", headers))
            # On a shared machine the ceiling moves: each row is compared with the static
            # file measured just before and just after it (half as long each), not with one
            # measurement at the start.
            (static_name, static_requests), *measured = closed_rows

            def static_rate():
                return closed.wrk(port, static_requests, seconds=wrk_seconds / 2)["req_s"]

            statics = [static_rate()]
            for name, requests in measured:
                if requests is None:
                    requests = revalidate
                elif requests == "state":
                    requests = state
                expect = 304 if "If-None-Match" in requests[0][1] else 200
                size = closed.check(port, requests[0][0], requests[0][1], expect)
                result = closed.wrk(port, requests, seconds=wrk_seconds)
                statics.append(static_rate())
                ceiling = (statics[-2] + statics[-1]) / 2
                rows.append(
                    {"kind": "closed", "bench": name, "bytes": size}
                    | result
                    | {"static_req_s": ceiling, "of_static": result["req_s"] / ceiling}
                )
            size = closed.check(port, static_requests[0][0], {})
            rows.insert(
                len(rows) - len(measured),
                {
                    "kind": "closed",
                    "bench": static_name,
                    "bytes": size,
                    "req_s": sum(statics) / len(statics),
                    "static_req_s": sum(statics) / len(statics),
                    "of_static": 1.0,
                    "errors": 0,
                    "note": f"{len(statics)} runs, {min(statics):.0f}–{max(statics):.0f} req/s",
                },
            )
        else:
            print("wrk is not installed (Debian: wrk): closed-loop rows skipped", file=sys.stderr)
        if not open_loop_too:
            return rows
        static = [get("/static/bench-probe.html", host)] * len(clients)
        open_rows = [
            ("static file, the fragment's size (ceiling)", static),
            ("API entry poll (token)", [get(path, host, headers) for path, headers in api]),
            ("browser entry poll (htmx, session)", [get(p, host, h) for p, h in poll]),
        ]
        ceiling = None
        for name, raws in open_rows:
            result = asyncio.run(
                open_loop("127.0.0.1", port, raws, interval=3.0, duration=seconds, connections=256)
            )
            summary = result.summary()
            ceiling = ceiling or summary["req_s"]
            rows.append(
                {"kind": "poll", "bench": f"{name}: {students} students / 3 s, {seconds:.0f} s"}
                | summary
                | {"of_ceiling": summary["req_s"] / ceiling if ceiling else 0.0}
            )
    return rows


def draw_burst(database: str, url: str, drawers: int) -> dict:
    port = free_port()
    env = environment(url, port)
    world = build_world(env, drawers, drawers)
    host = f"127.0.0.1:{port}"
    raws = [
        post(
            f"/api/v1/examinees/{c['examinee']}/draw",
            host,
            b'{"position": 1}',
            "application/json",
            {"Authorization": f"Bearer {c['token']}"},
        )
        for c in world["clients"]
    ]
    with Server(env, port):
        result = asyncio.run(burst("127.0.0.1", port, raws, connections=drawers))
    counts = count_draws(env, world["sitting"])
    return (
        {"kind": "draw", "bench": f"draw burst, {database}: {drawers} at once"}
        | result.summary()
        | counts
    )


def upload_rush(uploaders: int, photos: int) -> dict:
    port = free_port()
    env = environment(f"sqlite:///{VAR / 'bench.sqlite3'}", port)
    warmers = 4  # extra students whose uploads warm the workers up before the baseline
    world = build_world(env, uploaders + warmers, uploaders + warmers, drawn=True)
    clients, warm = world["clients"][:uploaders], world["clients"][uploaders:]
    images = [upload_bench.photo(seed) for seed in range(photos)]
    with Server(env, port) as server:
        # Warm up first: the baseline is a worker that has loaded every module (Pillow,
        # numpy, img2pdf…) and served a few photos and a PDF, as it has after the first
        # minutes of an exam day; growth from there is what a rush costs.
        for _ in range(20):
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/openapi.json", timeout=10)
        _, _, warmed = asyncio.run(upload_bench.rush(port, warm, images[:3]))
        workers = upload_bench.worker_pids(server.proc.pid)
        before = {pid: upload_bench.memory(pid)["VmRSS"] for pid in workers}
        for pid in workers:  # VmHWM from here on (writing 5 resets it to the current RSS)
            Path(f"/proc/{pid}/clear_refs").write_text("5")
        up, submit, acknowledged = asyncio.run(upload_bench.rush(port, clients, images))
        growth = max(upload_bench.memory(pid)["VmHWM"] - before[pid] for pid in workers) / 1024
    stored = count_pages(env, world["sitting"])
    summary = up.summary()
    pdf = submit.summary()
    return {
        "kind": "upload",
        "bench": f"upload rush: {uploaders} students × {photos} photos "
        f"× {len(images[0]) / 1e6:.1f} MB, then submit",
        "requests": summary["requests"],
        "mb_s": summary["mb_s"],
        "p50_ms": summary["p50_ms"],
        "p99_ms": summary["p99_ms"],
        "errors": up.errors + submit.errors,
        "worker_peak_growth_mb": growth,
        "missing_pages": acknowledged + warmed - stored["pages"],
        "pdfs": stored["pdfs"] - warmers,
        "pdf_p95_ms": pdf["p95_ms"],
    }


def count_pages(env: dict, sitting: int) -> dict:
    code = (
        "import os,sys,json;sys.path.insert(0,'.');"
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE','attestation.settings');"
        "import django;django.setup();"
        "from attestation.answers.models import AnswerPage, AnswerDocument;"
        f"print(json.dumps({{'pages':AnswerPage.objects.filter(examinee__sitting_id={sitting}).count(),"
        f"'pdfs':AnswerDocument.objects.filter(examinee__sitting_id={sitting}).count()}}))"
    )
    out = subprocess.run(
        [PY, "-c", code], env=env, cwd=ROOT, check=True, capture_output=True, text=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def ensure_pg(url: str) -> bool:
    try:
        import psycopg
    except ImportError:
        return False
    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    try:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
        return True
    except psycopg.Error as exc:
        print(f"PostgreSQL skipped: {exc}", file=sys.stderr)
        return False


COLUMNS = {
    "closed": ["bench", "bytes", "req_s", "p50_ms", "p99_ms", "errors", "static_req_s",
               "of_static", "note"],
    "poll": ["bench", "requests", "req_s", "p50_ms", "p99_ms", "errors", "of_ceiling"],
    "draw": ["bench", "requests", "p50_ms", "p99_ms", "errors", "statuses", "draws",
             "duplicate_examinees", "repeated_in_round"],
    "upload": ["bench", "requests", "mb_s", "p50_ms", "p99_ms", "errors",
               "worker_peak_growth_mb", "missing_pages", "pdfs", "pdf_p95_ms"],
}  # fmt: skip


def table(rows: list[dict]) -> str:
    """One Markdown table per kind of benchmark."""
    out = []
    for kind, cols in COLUMNS.items():
        mine = [row for row in rows if row.get("kind") == kind]
        if not mine:
            continue
        out += ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
        for row in mine:
            cells = []
            for col in cols:
                value = row.get(col, "")
                cells.append(f"{value:.2f}" if isinstance(value, float) else str(value))
            out.append("| " + " | ".join(cells) + " |")
        out.append("")
    return "\n".join(out)


def main() -> None:
    students = int(os.environ.get("BENCH_STUDENTS", "3000"))
    seconds = float(os.environ.get("BENCH_SECONDS", "30"))
    wrk_seconds = float(os.environ.get("BENCH_WRK_SECONDS", "8"))
    drawers = int(os.environ.get("BENCH_DRAWERS", "1000"))
    uploaders = int(os.environ.get("BENCH_UPLOADERS", "200"))
    photos = int(os.environ.get("BENCH_PHOTOS", "10"))
    only = set(os.environ.get("BENCH_ONLY", "poll,draw,upload").split(","))
    pg_url = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/attestation_bench")

    def fresh_sqlite():
        for stale in VAR.glob("bench.sqlite3*"):
            stale.unlink()

    started = time.time()
    rows = []
    only_rows = tuple(word for word in os.environ.get("BENCH_ROWS", "").split(",") if word)
    if "poll" in only or "pages" in only:
        fresh_sqlite()
        rows += exam_day(
            students, seconds, wrk_seconds, open_loop_too="poll" in only, only_rows=only_rows
        )
        save(rows, started)
    if "draw" in only:
        fresh_sqlite()
        rows.append(draw_burst("SQLite", f"sqlite:///{VAR / 'bench.sqlite3'}", drawers))
        if pg_url and ensure_pg(pg_url):
            rows.append(draw_burst("PostgreSQL", pg_url, drawers))
        save(rows, started)
    if "upload" in only:
        fresh_sqlite()
        rows.append(upload_rush(uploaders, photos))
    text = table(rows)
    print(text)
    save(rows, started)


def save(rows: list[dict], started: float) -> None:
    """bench/results/latest.md, rewritten after each benchmark (a long run shows progress)."""
    RESULTS.mkdir(exist_ok=True)
    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    text = table(rows) + f"\n{stamp}, {time.time() - started:.0f} s\n"
    (RESULTS / "latest.md").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
