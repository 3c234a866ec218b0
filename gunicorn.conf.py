# Production app server: threaded workers (attestation/core/gthread.py: one that takes new
# connections only while it has a free thread).
import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_WORKERS", "2"))
worker_class = "attestation.core.gthread.ThreadWorker"
# Four threads: exam-day requests are short and CPU-bound, and nginx in front buffers slow
# uploads (bench/run.py: 1,000 draws at once, p99 2.1 s with 8 threads, 1.7 s with 4).
threads = int(os.environ.get("WEB_THREADS", "4"))
timeout = 60
keepalive = 5
# Import the application once in the master (wsgi.py warms it up): workers start ready, and
# share those pages of memory until they write to them.
preload_app = True
# Development (`make run`): restart the workers when code, a template or a catalog changes.
# A preloaded app would be forked again unchanged, so reloading loads it in each worker.
if os.environ.get("WEB_RELOAD") == "1":
    from pathlib import Path

    reload = True
    preload_app = False
    _root = Path(__file__).resolve().parent
    reload_extra_files = [
        str(path)
        for pattern in ("attestation/**/templates/**/*.html", "locale/*/LC_MESSAGES/*.mo")
        for path in _root.glob(pattern)
    ]
accesslog = os.environ.get("ACCESS_LOG") or None
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def post_fork(server, worker):
    """Two tunings for a threaded worker, measured with bench/run.py."""
    import sys

    # A thread that got its answer from the database waits for the GIL until the running
    # thread is made to drop it: 5 ms by default, while it may hold SQLite's write lock
    # (draw burst p99: 2.2 s at 5 ms, 1.8 s at 1 ms).
    sys.setswitchinterval(float(os.environ.get("GIL_SWITCH_SECONDS", "0.001")))
    # glibc keeps what threads free in per-thread arenas, and raises its mmap threshold after
    # each big free, so an upload rush of 12-megapixel photos left a worker at ~450 MB for good
    # (bench/uploads.py). A fixed 1 MB threshold maps image buffers and gives them back on
    # free; two arenas bound the rest.
    import ctypes

    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt(-3, 1 << 20)  # M_MMAP_THRESHOLD
        libc.mallopt(-8, 2)  # M_ARENA_MAX
    except (OSError, AttributeError):  # not glibc: nothing to tune
        pass
