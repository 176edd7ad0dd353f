from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test import Client

from pagecache import files

SNIPPET_NAME = "nginx.conf"


class Command(BaseCommand):
    help = (
        "Write the lines nginx includes to send page files (deploy/nginx/nashir.conf): the response headers "
        "of a page, read from the home page as a reader gets it, and the folder they go with. By default into "
        f"NASHIR_PAGE_FILES_DIR/{SNIPPET_NAME}. Run it on deploying and after any change of settings that "
        "alters the headers (a media store's address, say), then reload nginx; until then nginx sends pages "
        "from its micro-cache, never with the old headers."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", type=Path, help=f"where to write (default: NASHIR_PAGE_FILES_DIR/{SNIPPET_NAME})"
        )

    def handle(self, *, output, verbosity, **options):
        root = files.folder()
        if output is None:
            if root is None:
                raise CommandError("NASHIR_PAGE_FILES_DIR is not set: give --output for the file nginx includes.")
            output = root / SNIPPET_NAME
        if root is None:
            snippet = self._snippet("off", [], "page files are off (NASHIR_PAGE_FILES_DIR is empty)")
        elif not settings.NASHIR_PAGE_CACHE:  # page files are copies of stored pages
            snippet = self._snippet("off", [], "page files are off with the page cache (NASHIR_PAGE_CACHE=0)")
        else:
            headers = self._page_headers()
            snippet = self._snippet(files.fingerprint(headers), files.nginx_headers(headers), f"pages in {root}")
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(snippet, encoding="utf-8")
        if verbosity:
            self.stdout.write(f"Wrote {output}; reload nginx to use it.")

    def _page_headers(self) -> list[tuple[str, str]]:
        site = urlsplit(settings.SITE_URL)
        response = Client(HTTP_HOST=site.netloc, HTTP_ACCEPT_ENCODING="gzip").get("/", secure=site.scheme == "https")
        if response.status_code != 200 or "X-Accel-Expires" not in response:
            raise CommandError(
                f"The home page at {settings.SITE_URL}/ answered {response.status_code} without the headers of a "
                "page every reader gets alike; is it published, and is its host in ALLOWED_HOSTS?"
            )
        return list(response.items())

    def _snippet(self, name: str, headers: list[tuple[str, str]], about: str) -> str:
        lines = [
            "# Written by manage.py page_files_nginx; included by deploy/nginx/nashir.conf in `location /`.",
            f"# {about}: the folder of the pages sent with these headers, and the headers.",
            f'set $nashir_page_headers "{name}";',
        ]
        for header, value in headers:
            # In a quoted nginx string "$" starts a variable and there is no escaping it.
            if "$" in value or '"' in value or "\\" in value or "\n" in value:
                raise CommandError(f"nginx cannot repeat the header {header}: {value!r}")
            lines.append(f'add_header {header} "{value}" always;')
        lines.append('add_header X-Cache-Status "FILE" always;')
        return "\n".join(lines) + "\n"
