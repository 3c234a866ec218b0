"""WhiteNoise's compressed manifest storage, each `{% static %}` URL computed once.

The manifest does not change while the process runs (collectstatic runs before the server
starts), yet `url()` hashed and joined the name on every call: ≈ 20 µs, ten times a page
(bench/run.py). A changed STATIC_URL or STORAGES (tests) makes Django build a new storage,
with an empty cache."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._urls: dict[str, str] = {}

    def url(self, name, force=False):
        if force:
            return super().url(name, force)
        found = self._urls.get(name)
        if found is None:
            found = self._urls[name] = super().url(name)
        return found
