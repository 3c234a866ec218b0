import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "attestation.settings")
django_application = get_wsgi_application()


def _application():
    # Imported after Django is set up: the entry poll's models and settings.
    from attestation.cabinet.entry_poll import EntryPollApp

    # The students' entry poll (1,000 requests a second on exam day) is answered in front of
    # Django's handler; every other request goes to Django.
    return EntryPollApp(django_application)


application = _application()


def _warm_up() -> None:
    """Load now, at boot, what Django otherwise loads in a worker's first requests: the
    URLconf with every view module behind it, and the three catalogs. Left lazy, a worker that
    meets an exam-day burst right after a restart spent ~0.6 s of it importing (py-spy)."""
    from django.conf import settings
    from django.urls import get_resolver
    from django.utils import translation

    get_resolver().url_patterns  # noqa: B018 — the property imports the URLconf
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Sign in")


_warm_up()
