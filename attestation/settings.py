"""Settings, read from the environment (CONTRACT.md lists every variable; `.env.example` too).

Development defaults work with no environment at all: SQLite in `var/`, files in `var/media`,
mail to the console. Production (`DEBUG` off) refuses to start without a real `SECRET_KEY`.
"""

import os
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"


def env(name: str, default: str = "") -> str:
    """A variable, or the content of the file named by `NAME_FILE` (Docker/K8s secrets)."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        return Path(path).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = env(name)
    if not value:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = env(name)
    return int(value) if value else default


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)
# pytest sets TESTING=1 (Makefile); a bare `pytest` is detected too.
TESTING = env_bool("TESTING", False) or "pytest" in os.path.basename(sys.argv[0])

SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if not DEBUG else "*")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "attestation.accounts",
    "attestation.core",
    "attestation.audit",
    "attestation.commissions",
    "attestation.tickets",
    "attestation.answers",
    "attestation.grading",
    "attestation.proctoring",
    "attestation.conference",
    "attestation.notices",
    "attestation.live",
    "attestation.defense",
    "attestation.applications",
    "attestation.records",
    "attestation.graduates",
    "attestation.imports",
    "attestation.cabinet",
    "attestation.console",
    "attestation.demo",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_tasks",
    "attestation.core.tasks_app.BackgroundTasksConfig",  # django_tasks_db, named in kk/ru/en
    "ninja",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "attestation.core.headers.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # The browser's entry poll, answered before the rest of the chain (cabinet/entry_poll.py).
    "attestation.cabinet.entry_poll.EntryPollMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "attestation.api.errors.ApiErrorMiddleware",
    "attestation.core.input.InputMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "attestation.core.middleware.StorageFullMiddleware",
]

ROOT_URLCONF = "attestation.urls"
WSGI_APPLICATION = "attestation.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "attestation" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "attestation.commissions.context_processors.site",
            ],
            # `{% url %}` with its answers remembered (core/reverse.py).
            "builtins": ["attestation.core.templatetags.fast_url"],
        },
    },
]

# --- Database -----------------------------------------------------------------------------
# SQLite by default: WAL lets readers run beside one writer; IMMEDIATE transactions take the
# write lock at BEGIN, so a read-then-write transaction waits (busy timeout) instead of failing
# with "database is locked" halfway (STACK.md).
VAR_DIR.mkdir(exist_ok=True)
DATABASE_URL = env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'attestation.sqlite3'}")
# Persistent connections, on SQLite too: opening one and running its PRAGMAs cost more than
# the entry poll's whole query (bench: 5.2 → 2.0 ms a request).
DATABASES = {
    "default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("CONN_MAX_AGE", 60))
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Django's SQLite backend with a queue in front of the write lock (core/sqlite/base.py).
    DATABASES["default"]["ENGINE"] = "attestation.core.sqlite"
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
    }
    # A file (not memory) so that race tests use real connections; one per test process so
    # that two runs side by side never share it.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL, with a health check that reads the socket instead of a `SELECT 1` round
    # trip (core/postgresql/base.py).
    DATABASES["default"]["ENGINE"] = "attestation.core.postgresql"
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # The exam-day statements (core/rawsql.py `planned_cursor`) are prepared at their first
    # run on a connection and keep one generic plan: planning them afresh was a third of
    # PostgreSQL's CPU in a burst of draws. Only those bind on the server; Django's own
    # cursors bind on the client and are never prepared. Behind PgBouncer in transaction
    # mode, use 1.21+ with max_prepared_statements set (README).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"prepare_threshold": 0, "options": "-c plan_cache_mode=force_generic_plan"}
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

# --- Cache and sessions -------------------------------------------------------------------
REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Sessions live in the database; the cache only speeds them up, so an eviction signs no one out.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_AGE = 12 * 3600

# --- Background tasks ---------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if TESTING or env_bool("TASKS_IMMEDIATE", False)
            else "django_tasks_db.DatabaseBackend"
        )
    }
}

# --- Auth ---------------------------------------------------------------------------------
# ModelBackend's sign-in; the signed-in person read in one query (accounts/backends.py).
AUTHENTICATION_BACKENDS = ["attestation.accounts.backends.AccountBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "cabinet:home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Sign-in throttling (accounts/services.py): this many failures for one account from one
# client address within the window lock that account from that address until the window
# passes; an address alone gets SIGNIN_ADDRESS_FACTOR times as many (a class behind one NAT).
# No limit locks an account from everywhere.
SIGNIN_MAX_FAILURES = env_int("SIGNIN_MAX_FAILURES", 5)
SIGNIN_WINDOW_SECONDS = env_int("SIGNIN_WINDOW_SECONDS", 15 * 60)
SIGNIN_ADDRESS_FACTOR = env_int("SIGNIN_ADDRESS_FACTOR", 10)
# Addresses (or networks, CIDR) of our own reverse proxies. A request from one of them has its
# client address taken from X-Forwarded-For (core/net.py); from anyone else that header is
# ignored, as a client can forge it. Empty: no proxy, REMOTE_ADDR is the client.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", "")
API_TOKEN_DAYS = env_int("API_TOKEN_DAYS", 30)
# Members' scores further apart than this (max − min) are highlighted to the chair (R-16.1).
GRADE_SPREAD_THRESHOLD = env_int("GRADE_SPREAD_THRESHOLD", 15)
# A diploma with honours needs at least this GPA (SPEC K-10; the Model Rules' 3.5).
HONOURS_MIN_GPA = env("HONOURS_MIN_GPA", "3.5")

# --- Languages and time -------------------------------------------------------------------
LANGUAGE_CODE = "kk"
LANGUAGES = [("kk", _("Kazakh")), ("ru", _("Russian")), ("en", _("English"))]
# Our catalogs, then Kazakh for the Django strings our pages show that Django's own partial
# `kk` catalogs leave in English (forms, password change, admin).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_django"]
# Django ships no Kazakh formats: ours live in attestation/formats/kk (STACK.md).
FORMAT_MODULE_PATH = ["attestation.formats"]
TIME_ZONE = "Asia/Almaty"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files ------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
WHITENOISE_USE_FINDERS = DEBUG or TESTING
STATICFILES_DIRS = [BASE_DIR / "attestation" / "static"]
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(VAR_DIR / "media")))
# Uploaded answers are never served from a public URL: every file goes through an
# access-checked view, so MEDIA_URL points nowhere public.
MEDIA_URL = "/media-not-served/"

AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME")
if AWS_STORAGE_BUCKET_NAME:
    default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": env("AWS_S3_ENDPOINT_URL") or None,
            "region_name": env("AWS_S3_REGION_NAME") or None,
            "access_key": env("AWS_ACCESS_KEY_ID") or None,
            "secret_key": env("AWS_SECRET_ACCESS_KEY") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    # Written to a temporary name and linked into place whole; a full disk is a 507
    # (core/storage.py).
    default_storage = {"BACKEND": "attestation.core.storage.MediaStorage"}
STORAGES = {
    "default": default_storage,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "attestation.core.static_storage.StaticStorage"
        )
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", 10 * 1024 * 1024)
# An XLSX is a zip: refused before reading when its parts unpack to more than this in all, or
# when one part unpacks to more than this many times its packed size (a decompression bomb).
IMPORT_MAX_UNPACKED_BYTES = env_int("IMPORT_MAX_UNPACKED_BYTES", 100 * 1024 * 1024)
IMPORT_MAX_PACK_RATIO = env_int("IMPORT_MAX_PACK_RATIO", 200)
# Answer-sheet photos (R-14.1): per-file size, pages per examinee, pixels per image (a
# decompression bomb is refused before it is decoded).
ANSWER_MAX_BYTES = env_int("ANSWER_MAX_BYTES", 20 * 1024 * 1024)
ANSWER_MAX_PAGES = env_int("ANSWER_MAX_PAGES", 40)
IMAGE_MAX_PIXELS = env_int("IMAGE_MAX_PIXELS", 48_000_000)
UPLOAD_LINK_MINUTES = env_int("UPLOAD_LINK_MINUTES", 180)
THESIS_MAX_BYTES = env_int("THESIS_MAX_BYTES", 50 * 1024 * 1024)
DEPARTMENT_EMAIL = env("DEPARTMENT_EMAIL", "")  # told of each thesis upload (R-19.1)
# The originality check (SPEC K-8): the university's own thresholds, none is national. A
# result above one needs the department's decision before the student is admitted to the
# defence. StrikePlagiarism: similarity coefficient 1 (fragments of 5 words) and 2 (of 25
# words); any other system: one similarity percent (100 − originality). Percent, 0–100.
ORIGINALITY_MAX_SIMILARITY_1 = env_int("ORIGINALITY_MAX_SIMILARITY_1", 50)
ORIGINALITY_MAX_SIMILARITY_2 = env_int("ORIGINALITY_MAX_SIMILARITY_2", 5)
ORIGINALITY_MAX_SIMILARITY = env_int("ORIGINALITY_MAX_SIMILARITY", 30)
# Public address for links in mail, e.g. https://attestation.university.kz. Required when
# DEBUG is off (core/checks.py): without it every link in a mail would be relative.
SITE_URL = env("SITE_URL", "").rstrip("/")
if not SITE_URL and not DEBUG:
    raise ImproperlyConfigured(
        "SITE_URL must be set when DEBUG is off (e.g. https://attestation.university.kz): "
        "links in mail are built from it."
    )
if SITE_URL and not SITE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured("SITE_URL must start with http:// or https://.")
# The domain in calendar events' UIDs (`examinee-31@<this>`): the same in the cabinet's .ics
# and in the invitation, and never to change, or calendars double every event.
# Default: SITE_URL's host (cabinet/ics.py).
CALENDAR_UID_DOMAIN = env("CALENDAR_UID_DOMAIN", "")
# The camera stays on (R-2.1): heartbeat period, and how long a silence is before the console
# flags it (a prompt for the commission, never a verdict).
CAMERA_HEARTBEAT_SECONDS = env_int("CAMERA_HEARTBEAT_SECONDS", 15)
CAMERA_GRACE_SECONDS = env_int("CAMERA_GRACE_SECONDS", 45)
INCIDENT_EVIDENCE_MAX_BYTES = env_int("INCIDENT_EVIDENCE_MAX_BYTES", 10 * 1024 * 1024)
# Invitations go out automatically the day before, from this hour (R-5.1).
INVITATIONS_HOUR = env_int("INVITATIONS_HOUR", 10)
INVITATIONS_RETRY_SECONDS = env_int("INVITATIONS_RETRY_SECONDS", 5)

# --- Applications (SPEC K-11 … K-13) -------------------------------------------------------
# An absence application may follow its sitting for this many days (R-17.1).
ABSENCE_APPLICATION_DAYS = env_int("ABSENCE_APPLICATION_DAYS", 3)
# An appeal is filed by the end of this many working days after the announcement (K-13).
APPEAL_WORKING_DAYS = env_int("APPEAL_WORKING_DAYS", 1)
# Days that are not working days although they fall Monday to Friday, as ISO dates, comma
# separated: Kazakhstan's public holidays, the days off carried over from a holiday that fell
# on a weekend (Labour Code art. 85; not for the religious holidays, 7 January and Kurban
# ait), and the days off the Government moves by its yearly decree — add those here (env
# `PUBLIC_HOLIDAYS` replaces the whole list) when the decree is published. Weekend days are
# never working days, unless listed in WORKING_WEEKEND_DAYS (a Saturday worked in exchange
# for a moved day off).
PUBLIC_HOLIDAYS_DEFAULT = (
    # 2026: New Year, Orthodox Christmas, 8 March (Sun → Mon 9), Nauryz (21–23, Sat and Sun
    # → Tue 24, Wed 25), Unity Day, Defender's Day, Victory Day (Sat → Mon 11), Kurban ait,
    # Capital Day, Constitution Day (Sun → Mon 31), Republic Day (Sun → Mon 26),
    # Independence Day.
    "2026-01-01,2026-01-02,2026-01-07,2026-03-08,2026-03-09,2026-03-21,2026-03-22,"
    "2026-03-23,2026-03-24,2026-03-25,2026-05-01,2026-05-07,2026-05-09,2026-05-11,"
    "2026-05-27,2026-07-06,2026-08-30,2026-08-31,2026-10-25,2026-10-26,2026-12-16,"
    # 2027: New Year (2 Jan Sat → Mon 4), Orthodox Christmas, 8 March, Nauryz (21 Sun →
    # Wed 24), Unity Day (Sat → Mon 3), Defender's Day, Victory Day (Sun → Mon 10), Kurban
    # ait (16 May, a Sunday: not carried over), Capital Day, Constitution Day, Republic Day,
    # Independence Day.
    "2027-01-01,2027-01-02,2027-01-04,2027-01-07,2027-03-08,2027-03-21,2027-03-22,"
    "2027-03-23,2027-03-24,2027-05-01,2027-05-03,2027-05-07,2027-05-09,2027-05-10,"
    "2027-05-16,2027-07-06,2027-08-30,2027-10-25,2027-12-16"
)


def env_dates(name: str, default: str) -> frozenset:
    """ISO dates, comma separated; a value that is not a date stops the start-up loudly."""
    from datetime import date

    try:
        return frozenset(date.fromisoformat(item) for item in env_list(name, default))
    except ValueError as error:
        message = f"{name}: every item must be a date, YYYY-MM-DD ({error})."
        raise ImproperlyConfigured(message) from None


PUBLIC_HOLIDAYS = env_dates("PUBLIC_HOLIDAYS", PUBLIC_HOLIDAYS_DEFAULT)
WORKING_WEEKEND_DAYS = env_dates("WORKING_WEEKEND_DAYS", "")

# --- Video conference: a pasted link by default; the providers need these ----------------
JITSI_DOMAIN = env("JITSI_DOMAIN", "")  # self-hosted Jitsi Meet, e.g. meet.university.kz
JITSI_APP_ID = env("JITSI_APP_ID", "")  # JWT issuer (prosody app_id)
JITSI_APP_SECRET = env("JITSI_APP_SECRET", "")  # JWT HS256 secret
JITSI_TOKEN_MINUTES = env_int("JITSI_TOKEN_MINUTES", 360)
BBB_URL = env("BBB_URL", "")  # e.g. https://bbb.university.kz/bigbluebutton/
BBB_SECRET = env("BBB_SECRET", "")
BBB_CHECKSUM = env("BBB_CHECKSUM", "sha1")  # sha1 | sha256 | sha384 | sha512
WEBEX_TOKEN = env("WEBEX_TOKEN", "")  # the university's service-app access token
CONFERENCE_TIMEOUT_SECONDS = env_int("CONFERENCE_TIMEOUT_SECONDS", 10)

# --- Mail ---------------------------------------------------------------------------------
EMAIL_URL = env("EMAIL_URL")
if EMAIL_URL:
    # smtp://user:password@host:587/?tls=1  (or smtps:// for implicit TLS)
    from urllib.parse import parse_qs, unquote, urlsplit

    _mail = urlsplit(EMAIL_URL)
    _query = parse_qs(_mail.query)
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = _mail.hostname or "localhost"
    EMAIL_PORT = _mail.port or 25
    EMAIL_HOST_USER = unquote(_mail.username or "")
    EMAIL_HOST_PASSWORD = unquote(_mail.password or "")
    EMAIL_USE_SSL = _mail.scheme == "smtps"
    EMAIL_USE_TLS = _query.get("tls", ["0"])[0] in {"1", "true"}
else:
    EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
    EMAIL_HOST = env("EMAIL_HOST", "localhost")
    EMAIL_PORT = env_int("EMAIL_PORT", 25)
    EMAIL_HOST_USER = env("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
    # For EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend (scripts/scale_test.py
    # counts the worker's mail there).
    EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "attestation@localhost")

# --- The university (R-28.1: contacts for technical questions) ----------------------------
# The university's name heads every protocol (records/): required in production; development,
# the demo and the tests use a real-looking one rather than a bare "University".
UNIVERSITY_NAME = env("UNIVERSITY_NAME", "")
if not UNIVERSITY_NAME:
    if not (DEBUG or TESTING):
        raise ImproperlyConfigured("UNIVERSITY_NAME must be set when DEBUG is off.")
    UNIVERSITY_NAME = "Әл-Фараби атындағы Қазақ ұлттық университеті"
UNIVERSITY_LOGO_URL = env("UNIVERSITY_LOGO_URL", "")
# NCANode (https://ncanode.kz) that checks a detached ЭЦП over a signed protocol; empty: the
# signature is stored and shown "not verified" (records/ncanode.py).
NCANODE_URL = env("NCANODE_URL", "")
SUPPORT_EMAIL = env("SUPPORT_EMAIL", "registrar@university.example")
SUPPORT_PHONE = env("SUPPORT_PHONE", "+7 (727) 000-00-00")
SUPPORT_HOURS = env("SUPPORT_HOURS", "09:00–18:00")

# --- Security -----------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # The load balancer's health probe speaks plain HTTP to the backend.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "pikepdf": {"level": "WARNING"}},
}
