"""The static files' storage: hashed addresses from the manifest, each worked out once per process."""

import pytest
from django.core.files.base import ContentFile

from operations.staticfiles import StaticFilesStorage


def collected(tmp_path, names):
    """A STATIC_ROOT after collectstatic: the files, their hashed copies and the manifest."""
    storage = StaticFilesStorage(location=tmp_path, base_url="/static/")
    for name, content in names.items():
        storage._save(name, ContentFile(content))
    list(storage.post_process({name: (storage, name) for name in names}))
    return storage


def test_a_file_is_linked_at_its_hashed_name_until_the_next_collectstatic(tmp_path, settings):
    settings.DEBUG = False
    collected(tmp_path, {"css/site.css": b"body { color: black }"})
    storage = StaticFilesStorage(location=tmp_path, base_url="/static/")  # a new process reads the manifest
    first = storage.url("css/site.css")
    assert first.startswith("/static/css/site.") and first != "/static/css/site.css"
    assert storage.url("css/site.css") == first

    # collectstatic in the same process (a deploy's new copy): the new name from then on.
    storage.delete("css/site.css")
    storage._save("css/site.css", ContentFile(b"body { color: navy }"))
    list(storage.post_process({"css/site.css": (storage, "css/site.css")}))
    assert storage.url("css/site.css") not in (first, "/static/css/site.css")
    assert storage.url("css/site.css").startswith("/static/css/site.")


def test_an_unknown_file_is_an_error_every_time_and_debug_links_plain_names(tmp_path, settings):
    settings.DEBUG = False
    storage = collected(tmp_path, {"js/reader.js": b"// reader"})
    for _ in range(2):
        with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
            storage.url("js/missing.js")
    settings.DEBUG = True
    assert storage.url("js/reader.js") == "/static/js/reader.js"
