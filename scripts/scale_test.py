"""The scale-out run (`make scale-test`, `.ci/run`): the deployment of README's "Deploying at
scale", really started, and an exam driven through it.

- nginx in front of two gunicorn nodes (A and B), sessions hashed over the nodes;
- PostgreSQL (own database, SCALE_PG_URL), the cache in Redis (SCALE_REDIS_URL), files in an
  S3-compatible store (moto's server mode on localhost), a separate `db_worker` process
  sending mail into files;
- the secretary works on node A: sends the invitations (mail leaves from the worker) and
  admits 50 students one after another; the students, through nginx, poll their entry, draw
  as soon as it turns green, open the ticket, upload answer photos and submit (the PDF is
  built into the bucket);
- in the middle node A is killed (`kill -9`): its students go on on node B with the same
  session cookie; then every PostgreSQL connection to the database is terminated under load
  (`pg_terminate_backend`) and both the node and the worker must carry on;
- at the end, everything acknowledged is counted in the database and in the bucket.

Prints one line of figures and exits non-zero on any loss or error. A request that got no
answer (the node died under it, or its database connection was cut) is sent again, as the
browser's upload code does; those are counted as `retried`, not as errors.
"""

import io
import os
import random
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PY = sys.executable
STUDENTS = int(os.environ.get("SCALE_STUDENTS", "50"))
PHOTOS = int(os.environ.get("SCALE_PHOTOS", "3"))
PG_URL = os.environ.get("SCALE_PG_URL", "postgres://postgres@127.0.0.1:5432/att_scale")
REDIS_URL = os.environ.get("SCALE_REDIS_URL", "redis://127.0.0.1:6379/9")
BUCKET = "attestation-scale"
POLL_SECONDS = 1.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, seconds: float = 60) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{url} did not come up")


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.requests = self.errors = self.retried = 0
        self.by_node: dict[str, int] = {}
        self.problems: list[str] = []
        self.green_after: list[float] = []
        self.pages: dict[tuple[int, int], str] = {}  # (examinee, number) → sha256, acknowledged
        self.submitted: set[int] = set()
        self.ready = 0  # students signed in with the rules acknowledged
        self.writing_over = threading.Event()  # uploads start at the end of the writing time

    def count(self, response: httpx.Response | None, *, retried: bool = False):
        with self.lock:
            self.requests += 1
            if retried:
                self.retried += 1
            if response is not None:
                node = response.headers.get("X-Node", "direct")
                self.by_node[node] = self.by_node.get(node, 0) + 1

    def error(self, text: str):
        with self.lock:
            self.errors += 1
            if len(self.problems) < 20:
                self.problems.append(text)


STATS = Stats()


class Browser:
    """One person's browser: its cookies sent by hand (they are `Secure`, as in production
    behind TLS; nginx tells the nodes the request came over HTTPS), CSRF from the cookie."""

    def __init__(self, base: str):
        self.base = base
        self.http = httpx.Client(base_url=base, timeout=60, follow_redirects=False)
        self.cookies: dict[str, str] = {}
        self.origin = "https://" + base.split("://", 1)[1]

    def headers(self, extra: dict | None = None) -> dict:
        headers = {"X-Forwarded-Proto": "https", "Origin": self.origin}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if "csrftoken" in self.cookies:
            headers["X-CSRFToken"] = self.cookies["csrftoken"]
        return headers | (extra or {})

    def send(self, method: str, url: str, *, ok=(200,), tries: int = 8, **kwargs):
        """Send until answered; 502/503/504 and lost connections are sent again."""
        for attempt in range(tries):
            try:
                response = self.http.request(
                    method, url, headers=self.headers(kwargs.pop("headers", None)), **kwargs
                )
            except httpx.TransportError:
                STATS.count(None, retried=True)
                time.sleep(0.3 * (attempt + 1))
                continue
            for name, value in response.cookies.items():
                self.cookies[name] = value
            if response.status_code in (500, 502, 503, 504) and attempt + 1 < tries:
                STATS.count(response, retried=True)
                time.sleep(0.3 * (attempt + 1))
                continue
            STATS.count(response)
            if response.status_code not in ok:
                STATS.error(f"{method} {url}: {response.status_code} {response.text[:160]!r}")
            return response
        STATS.error(f"{method} {url}: no answer after {tries} tries")
        return None

    def sign_in(self, username: str):
        self.send("GET", "/kk/accounts/login/")
        response = self.send(
            "POST",
            "/kk/accounts/login/",
            ok=(302,),
            data={
                "username": username,
                "password": "demo",
                "csrfmiddlewaretoken": self.cookies.get("csrftoken", ""),
            },
        )
        if response is None or "sessionid" not in self.cookies:
            raise RuntimeError(f"{username} could not sign in")


def photo(seed: int) -> bytes:
    """A photographed answer sheet, small: paper grain and lines of writing."""
    import numpy as np
    from PIL import Image

    rng = np.random.default_rng(seed)
    sheet = rng.normal(228, 14, (1600, 1200)).clip(0, 255).astype("uint8")
    for row in range(120, 1500, 70):
        sheet[row : row + 9, 90:1110] = rng.integers(0, 80, (9, 1020))
    buf = io.BytesIO()
    Image.fromarray(sheet).convert("RGB").save(buf, "JPEG", quality=80)
    return buf.getvalue()


class Deployment:
    """Every process of the deployment, started here and stopped at the end."""

    def __init__(self, work: Path):
        self.work = work
        self.procs: dict[str, subprocess.Popen] = {}
        self.ports = {name: free_port() for name in ("nginx", "a", "b", "s3")}
        self.mail = work / "mail"
        self.mail.mkdir()
        self.env = os.environ | {
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(60),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SITE_URL": f"http://127.0.0.1:{self.ports['nginx']}",
            "UNIVERSITY_NAME": "Scale-out test university",
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_HSTS_SECONDS": "0",
            "DATABASE_URL": PG_URL,
            "REDIS_URL": REDIS_URL,
            "AWS_STORAGE_BUCKET_NAME": BUCKET,
            "AWS_S3_ENDPOINT_URL": f"http://127.0.0.1:{self.ports['s3']}",
            "AWS_S3_REGION_NAME": "us-east-1",
            "AWS_ACCESS_KEY_ID": "scale",
            "AWS_SECRET_ACCESS_KEY": "scale-secret",
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(self.mail),
            "WEB_WORKERS": "1",
            "LOG_LEVEL": "WARNING",
            "TASKS_IMMEDIATE": "",
        }
        self.env.pop("TESTING", None)

    def log(self, name: str):
        return open(self.work / f"{name}.log", "wb")  # noqa: SIM115 — kept by the process

    def start(self, name: str, args: list[str], env: dict | None = None):
        self.procs[name] = subprocess.Popen(
            args,
            cwd=ROOT,
            env=env or self.env,
            stdout=self.log(name),
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: kill -9 takes its workers too
        )

    def manage(self, *args: str):
        subprocess.run(
            [PY, "manage.py", *args], cwd=ROOT, env=self.env, check=True, capture_output=True
        )

    def up(self):
        import psycopg
        import redis

        name = PG_URL.rsplit("/", 1)[1]
        with psycopg.connect(PG_URL.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
        redis.Redis.from_url(REDIS_URL).flushdb()
        self.start("s3", [str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(self.ports["s3"])])
        wait_http(f"http://127.0.0.1:{self.ports['s3']}/")
        self.s3().create_bucket(Bucket=BUCKET)
        self.manage("migrate", "-v0")
        self.manage("demo", "--students", str(STUDENTS), "--reset", "--force", "-v0")
        self.manage("collectstatic", "--noinput", "-v0")
        for node in ("a", "b"):
            self.start_node(node)
        self.start("worker", [PY, "manage.py", "db_worker", "--no-reload", "--interval", "0.5"])
        self.start_nginx()
        for node in ("a", "b"):
            wait_http(f"http://127.0.0.1:{self.ports[node]}/healthz")
        wait_http(f"http://127.0.0.1:{self.ports['nginx']}/healthz")

    def start_node(self, node: str):
        env = self.env | {"BIND": f"127.0.0.1:{self.ports[node]}"}
        self.start(
            f"node-{node}",
            [str(BIN / "gunicorn"), "attestation.wsgi", "-c", "gunicorn.conf.py"],
            env=env,
        )

    def start_nginx(self):
        a, b = self.ports["a"], self.ports["b"]
        conf = self.work / "nginx.conf"
        temp = self.work / "nginx-temp"
        temp.mkdir()
        conf.write_text(
            f"""
daemon off;
worker_processes 1;
pid {self.work}/nginx.pid;
error_log {self.work}/nginx-error.log warn;
{"user root;" if os.geteuid() == 0 else ""}
events {{ worker_connections 1024; }}
http {{
  access_log off;
  client_body_temp_path {temp}/body;
  proxy_temp_path {temp}/proxy;
  fastcgi_temp_path {temp}/fastcgi;
  uwsgi_temp_path {temp}/uwsgi;
  scgi_temp_path {temp}/scgi;
  client_max_body_size 25m;
  upstream nodes {{
    # One student's requests go to one node while it is up; the next node takes them over
    # when it is not (the session lives in PostgreSQL and Redis, not in the node).
    hash $cookie_sessionid consistent;
    server 127.0.0.1:{a} max_fails=1 fail_timeout=30s;
    server 127.0.0.1:{b} max_fails=1 fail_timeout=30s;
    keepalive 32;
  }}
  map $upstream_addr $node {{ "127.0.0.1:{a}" A; "127.0.0.1:{b}" B; default $upstream_addr; }}
  server {{
    listen 127.0.0.1:{self.ports["nginx"]};
    location / {{
      proxy_pass http://nodes;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $remote_addr;
      proxy_set_header X-Forwarded-Proto https;  # TLS ends here in production
      proxy_next_upstream error timeout http_502;
      proxy_connect_timeout 2s;
      add_header X-Node $node always;
    }}
  }}
}}
"""
        )
        self.start("nginx", ["nginx", "-p", str(self.work), "-c", str(conf)])

    def s3(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.env["AWS_S3_ENDPOINT_URL"],
            region_name="us-east-1",
            aws_access_key_id="scale",
            aws_secret_access_key="scale-secret",  # noqa: S106 — moto's, local
        )

    def kill(self, name: str):
        proc = self.procs.pop(name)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()

    def down(self):
        for proc in list(self.procs.values()):
            try:
                os.killpg(proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                continue
        for proc in self.procs.values():
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)


def examinees(usernames: list[str]) -> tuple[int, dict[str, int]]:
    import psycopg

    with psycopg.connect(PG_URL) as conn:
        rows = conn.execute(
            """SELECT u.username, e.id, e.sitting_id FROM commissions_examinee e
               JOIN commissions_sitting si ON si.id = e.sitting_id
               JOIN accounts_student st ON st.id = e.student_id
               JOIN accounts_user u ON u.id = st.user_id
               WHERE si.code = 'demo-written' AND u.username = ANY(%s)""",
            [usernames],
        ).fetchall()
    return rows[0][2], {username: pk for username, pk, _sitting in rows}


def terminate_connections() -> int:
    import psycopg

    name = PG_URL.rsplit("/", 1)[1]
    with psycopg.connect(PG_URL.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        return len(
            conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                [name],
            ).fetchall()
        )


def student(username: str, examinee: int, base: str, admitted_at: dict, photos: list[bytes]):
    browser = Browser(base)
    try:
        browser.sign_in(username)
    except RuntimeError as error:
        STATS.error(str(error))
        return
    browser.send("POST", f"/kk/exam/{examinee}/rules/", ok=(302,))
    browser.send("GET", f"/kk/exam/{examinee}/")
    with STATS.lock:
        STATS.ready += 1
    deadline = time.time() + 300
    while time.time() < deadline:  # the entry poll, as htmx sends it
        response = browser.send(
            "GET", f"/kk/exam/{examinee}/entry/", headers={"HX-Request": "true"}
        )
        if response is not None and "entry--green" in response.text:
            if examinee in admitted_at:
                with STATS.lock:
                    STATS.green_after.append(time.time() - admitted_at[examinee])
            break
        time.sleep(POLL_SECONDS)
    else:
        STATS.error(f"{username}: the entry never turned green")
        return
    position = random.randint(1, 5)  # noqa: S311 — a student's choice of card
    draw = browser.send(
        "POST", f"/kk/exam/{examinee}/draw/", ok=(302,), data={"position": position}
    )
    if draw is None or not draw.headers.get("Location", "").endswith("/ticket/"):
        STATS.error(f"{username}: the draw did not lead to the ticket")
        return
    browser.send("GET", f"/kk/exam/{examinee}/ticket/")
    while not STATS.writing_over.wait(POLL_SECONDS * 3):  # writing; the ticket page stays
        browser.send("GET", f"/kk/exam/{examinee}/entry/", headers={"HX-Request": "true"})
    for number, data in enumerate(photos, start=1):
        response = browser.send(
            "POST",
            f"/api/v1/examinees/{examinee}/pages",
            ok=(200, 201),
            data={"number": str(number)},
            files={"file": (f"page{number}.jpg", data, "image/jpeg")},
        )
        if response is not None and response.status_code in (200, 201):
            with STATS.lock:
                STATS.pages[(examinee, number)] = response.json()["sha256"]
        browser.send("GET", f"/kk/exam/{examinee}/entry/", headers={"HX-Request": "true"})
    response = browser.send("POST", f"/api/v1/examinees/{examinee}/submit", ok=(200,))
    if response is not None and response.status_code == 200:
        with STATS.lock:
            STATS.submitted.add(examinee)
    browser.send("GET", f"/api/v1/examinees/{examinee}/receipt")


def count_mail(folder: Path) -> int:
    return sum(
        len(re.findall(rb"^Message-ID: ", path.read_bytes(), re.M)) for path in folder.iterdir()
    )


def main() -> int:
    started = time.time()
    work = Path(tempfile.mkdtemp(prefix="att-scale-"))
    os.chmod(work, 0o755)  # noqa: S103 — nginx's workers read their temp folders here
    deployment = Deployment(work)
    try:
        deployment.up()
        return drive(deployment, started)
    finally:
        deployment.down()
        if os.environ.get("SCALE_KEEP"):
            print(f"logs kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


def drive(deployment: Deployment, started: float) -> int:
    ports = deployment.ports
    nginx = f"http://127.0.0.1:{ports['nginx']}"
    node_a = f"http://127.0.0.1:{ports['a']}"
    usernames = [f"student{n:02d}" for n in range(1, STUDENTS + 1)]
    sitting, ids = examinees(usernames)
    if len(ids) != STUDENTS:
        raise RuntimeError(f"the demo has {len(ids)} of {STUDENTS} students in the written exam")
    photos = [photo(seed) for seed in range(PHOTOS)]

    # The secretary works on node A: the invitations (mail from the worker), then admission.
    secretary = Browser(node_a)
    secretary.sign_in("secretary")
    secretary.send("POST", f"/kk/proctoring/sittings/{sitting}/invitations/", ok=(302,))
    token = secretary.send(
        "POST", "/api/v1/auth/token", json={"username": "secretary", "password": "demo"}
    ).json()["token"]
    api = {"Authorization": f"Bearer {token}"}

    admitted_at: dict[int, float] = {}
    threads = [
        threading.Thread(target=student, args=(username, ids[username], nginx, admitted_at, photos))
        for username in usernames
    ]
    for thread in threads:
        thread.start()
        time.sleep(0.05)
    deadline = time.time() + 120
    while STATS.ready < STUDENTS and time.time() < deadline:  # all signed in and polling
        time.sleep(0.2)
    for username in usernames:
        pk = ids[username]
        secretary.send(
            "POST", f"/api/v1/examinees/{pk}/identity", headers=api, json={"verified": True}
        )
        response = secretary.send("POST", f"/api/v1/examinees/{pk}/admit", headers=api)
        if response is not None and response.status_code == 200:
            admitted_at[pk] = time.time()
        time.sleep(0.05)
    time.sleep(2 * POLL_SECONDS)
    STATS.writing_over.set()

    # Node A dies in the middle of the uploads.
    expected_pages = STUDENTS * PHOTOS
    deadline = time.time() + 240
    while len(STATS.pages) < expected_pages // 3 and time.time() < deadline:
        time.sleep(0.2)
    before = dict(STATS.by_node)
    deployment.kill("node-a")
    pages_at_kill = len(STATS.pages)
    # Under load on node B, every connection to the database is cut.
    time.sleep(2)
    terminated = terminate_connections()
    node_b = Browser(f"http://127.0.0.1:{ports['b']}")
    for _ in range(8):  # the node's next requests are answered
        response = node_b.send("GET", "/healthz", tries=1)
    recovered = response is not None and response.status_code == 200
    # The secretary goes on through nginx with the same session, and sends the invitations
    # again: the worker, whose connection was cut too, must send them.
    secretary.base = nginx
    secretary.origin = "https://" + nginx.split("://", 1)[1]
    secretary.http = httpx.Client(base_url=nginx, timeout=60, follow_redirects=False)
    secretary.send("POST", f"/kk/proctoring/sittings/{sitting}/invitations/", ok=(302,))

    for thread in threads:
        thread.join(timeout=300)
    # The worker sends one invitation per student, twice.
    deadline = time.time() + 90
    while count_mail(deployment.mail) < 2 * STUDENTS and time.time() < deadline:
        time.sleep(0.5)
    mails = count_mail(deployment.mail)
    lost, pdfs, stored_pages = count_lost(deployment, sitting)
    green = sorted(STATS.green_after)
    green_p99 = green[int(0.99 * (len(green) - 1))] if green else float("nan")
    ok = (
        STATS.errors == 0
        and lost == 0
        and recovered
        and mails == 2 * STUDENTS
        and pdfs == STUDENTS
        and len(STATS.submitted) == STUDENTS
        and green_p99 <= 3.0
    )
    print(
        f"scale-out: {STATS.requests} requests (A {before.get('A', 0)} before the kill, "
        f"B {STATS.by_node.get('B', 0)}), {STATS.errors} errors, {STATS.retried} retried, "
        f"{stored_pages} pages, {pdfs} PDFs, {mails} mails, green within "
        f"{green_p99:.1f} s (p99, median {statistics.median(green) if green else 0:.1f} s), "
        f"node A killed at {pages_at_kill} pages, {terminated} connections terminated, "
        f"recovered: {'yes' if recovered else 'NO'}, lost: {lost}, "
        f"{time.time() - started:.0f} s"
    )
    for problem in STATS.problems:
        print("  " + problem, file=sys.stderr)
    return 0 if ok else 1


def count_lost(deployment: Deployment, sitting: int) -> tuple[int, int, int]:
    """Acknowledged pages and submissions missing from the database or the bucket."""
    import psycopg

    with psycopg.connect(PG_URL) as conn:
        pages = {
            (examinee, number): (sha, name)
            for examinee, number, sha, name in conn.execute(
                """SELECT p.examinee_id, p.number, p.sha256, p.image FROM answers_answerpage p
                   JOIN commissions_examinee e ON e.id = p.examinee_id
                   WHERE e.sitting_id = %s""",
                [sitting],
            ).fetchall()
        }
        documents = dict(
            conn.execute(
                """SELECT d.examinee_id, d.pdf FROM answers_answerdocument d
                   JOIN commissions_examinee e ON e.id = d.examinee_id
                   WHERE e.sitting_id = %s""",
                [sitting],
            ).fetchall()
        )
    keys = set()
    for page in deployment.s3().get_paginator("list_objects_v2").paginate(Bucket=BUCKET):
        keys |= {item["Key"] for item in page.get("Contents", [])}
    lost = 0
    for key, sha in STATS.pages.items():
        stored = pages.get(key)
        if stored is None or stored[0] != sha or stored[1] not in keys:
            lost += 1
    for examinee in STATS.submitted:
        if documents.get(examinee) not in keys:
            lost += 1
    pdfs = sum(1 for name in documents.values() if name in keys)
    return lost, pdfs, sum(1 for _sha, name in pages.values() if name in keys)


if __name__ == "__main__":
    sys.exit(main())
