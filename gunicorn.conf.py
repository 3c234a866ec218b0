# Production app server: gthread workers keep a slow phone upload from blocking a worker.
import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_WORKERS", "2"))
worker_class = "gthread"
threads = int(os.environ.get("WEB_THREADS", "8"))
timeout = 60
keepalive = 5
accesslog = os.environ.get("ACCESS_LOG") or None
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def post_fork(server, worker):
    """glibc keeps what threads free in per-thread arenas, and raises its mmap threshold after
    each big free, so an upload rush of 12-megapixel photos left a worker at ~450 MB for good
    (bench/uploads.py). A fixed 1 MB threshold maps image buffers and gives them back on free;
    two arenas bound the rest."""
    import ctypes

    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt(-3, 1 << 20)  # M_MMAP_THRESHOLD
        libc.mallopt(-8, 2)  # M_ARENA_MAX
    except (OSError, AttributeError):  # not glibc: nothing to tune
        pass
