"""A live coverage through the production stack: an entry posted reaches readers' polls and the page within seconds.

Runs on the stack's own SQLite database, like the stack test, so in every CI pass.
"""

import json
import subprocess
import sys
import time

from tests_deploy.test_stack import ROOT, _free_port, _get, requires_nginx, stack

CREATE = """
import json
from live.factories import LiveCoveragePageFactory, LiveEntryFactory
from news.factories import SectionPageFactory
coverage = LiveCoveragePageFactory(parent=SectionPageFactory())
entry = LiveEntryFactory(coverage=coverage, headline="أول تحديث في التغطية")
print(json.dumps({"coverage": coverage.pk, "entry": entry.pk, "path": coverage.get_url_parts()[2]}))
"""

POST = """
import json, time
from live.factories import LiveEntryFactory
from live.models import LiveCoveragePage
coverage = LiveCoveragePage.objects.get(pk=%(coverage)d)
entry = LiveEntryFactory(coverage=coverage, headline="تحديث نشر للتو")
print(json.dumps({"entry": entry.pk, "saved": time.time()}))
"""


def _shell(env, code) -> dict:
    output = subprocess.run(  # noqa: S603 - this interpreter and this project's manage.py
        [sys.executable, str(ROOT / "manage.py"), "shell", "-c", code],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output.splitlines()[-1])


@requires_nginx
def test_an_entry_reaches_the_updates_endpoint_and_the_page_through_nginx(tmp_path):
    http_port, app_port = _free_port(), _free_port()
    stack_dir = tmp_path / "stack"
    env_file = tmp_path / "stack.env"
    env_file.write_text(f"DATABASE_URL=sqlite:///{tmp_path / 'db.sqlite3'}\nMEDIA_ROOT={tmp_path / 'media'}\n")
    stack.start(stack_dir=stack_dir, http_port=http_port, app_port=app_port, env_file=env_file, timeout=30)
    try:
        env = stack.stack_environment(stack_dir=stack_dir, http_port=http_port, app_port=app_port, env_file=env_file)
        created = _shell(env, CREATE)
        updates = f"/live/{created['coverage']}/updates/?after={created['entry']}"
        # Readers' polls kept by nginx, and the page kept by nginx and the page cache.
        for _ in range(5):
            status, headers, body = _get(http_port, updates)
            if headers["X-Cache-Status"] == "HIT":
                break
        assert status == 200 and headers["X-Cache-Status"] == "HIT"
        assert json.loads(body)["count"] == 0
        for _ in range(3):
            status, _, page = _get(http_port, created["path"])
        assert status == 200 and "أول تحديث في التغطية" in page.decode()
        assert "تحديث نشر للتو" not in page.decode()

        posted = _shell(env, POST % {"coverage": created["coverage"]})
        while time.time() - posted["saved"] < 10:
            answer = json.loads(_get(http_port, updates)[2])
            if answer["latest"] == posted["entry"]:
                break
            time.sleep(0.05)
        visible = time.time() - posted["saved"]
        assert answer["latest"] == posted["entry"] and answer["count"] == 1
        assert "تحديث نشر للتو" in answer["html"]
        assert visible < 2, f"visible after {visible:.2f} s"

        while time.time() - posted["saved"] < 10:
            if "تحديث نشر للتو" in _get(http_port, created["path"])[2].decode():
                break
            time.sleep(0.05)
        assert time.time() - posted["saved"] < 3
    finally:
        stack.stop(stack_dir=stack_dir)
