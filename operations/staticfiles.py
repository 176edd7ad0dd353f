"""Where the collected static files are, as pages link to them."""

from django.conf import settings
from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's storage (hashed names, compressed copies), each file's address worked out once per process.

    The manifest is read when the process starts and changes only with a
    deploy, which restarts it; Django looks each `{% static %}` up in it
    again (about 25 µs), some ten times per page.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._urls = {}

    def url(self, name, force=False):
        if force or settings.DEBUG:  # DEBUG links the plain names, which runserver serves
            return super().url(name, force)
        try:
            return self._urls[name]
        except KeyError:
            url = self._urls[name] = super().url(name)
            return url

    def save_manifest(self):
        # collectstatic in this process: the new names from now on.
        super().save_manifest()
        self._urls.clear()
