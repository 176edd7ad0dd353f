"""Password guessing against /admin/login/: how many guesses get tried before the lockout, and what a refused one costs.

Starts gunicorn (2 sync workers) on 127.0.0.1 with a fresh SQLite database and
one staff account, then sends bounded rounds of wrong passwords; each client
address is named by X-Forwarded-For (NASHIR_TRUSTED_PROXY_HEADER), as nginx
would pass it. Between rounds the lockouts are cleared (`manage.py axes_reset`).

    .venv/bin/python scripts/bench_login.py --guesses 1000
"""

import argparse
import http.client
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
PORT = 8766
PASSWORD = "نخيل تدمر يحرس القمر"


def environment(database: Path) -> dict:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="nashir.settings.base",
        DATABASE_URL=f"sqlite:///{database}",
        SECRET_KEY="benchmark-only",
        DEBUG="0",
        ALLOWED_HOSTS="127.0.0.1",
        NASHIR_TRUSTED_PROXY_HEADER="HTTP_X_FORWARDED_FOR",
        NASHIR_REQUEST_LOG="0",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        LOG_LEVEL="WARNING",
    )
    return env


def manage(env, *args):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True)


def login_form(conn) -> tuple[str, str]:
    conn.request("GET", "/admin/login/")
    response = conn.getresponse()
    body = response.read().decode()
    cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie") or "").group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
    return cookie, token


def guess(conn, cookie, token, *, username, password, address) -> tuple[int, float]:
    body = urlencode({"csrfmiddlewaretoken": token, "username": username, "password": password})
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": f"csrftoken={cookie}",
        "X-Forwarded-For": address,
        "Referer": f"http://127.0.0.1:{PORT}/admin/login/",
    }
    started = time.perf_counter()
    conn.request("POST", "/admin/login/", body=body, headers=headers)
    response = conn.getresponse()
    response.read()
    return response.status, time.perf_counter() - started


def round_of_guesses(*, guesses: int, addresses: int, usernames: list[str]) -> dict:
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=10)
    cookie, token = login_form(conn)
    tried, refused_times, tried_times = 0, [], []
    for n in range(guesses):
        status, seconds = guess(
            conn,
            cookie,
            token,
            username=usernames[n % len(usernames)],
            password=f"guess-{n}",
            address=f"198.51.100.{n % addresses + 1}",
        )
        if status == 429:
            refused_times.append(seconds)
        else:
            tried += 1
            tried_times.append(seconds)
    status, _ = guess(conn, cookie, token, username="editor", password=PASSWORD, address="198.51.100.1")
    conn.close()
    return {
        "checked": tried,
        "refused": len(refused_times),
        "right password after": status,
        "checked median ms": round(statistics.median(tried_times) * 1000, 1) if tried_times else None,
        "refused median ms": round(statistics.median(refused_times) * 1000, 1) if refused_times else None,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--guesses", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = environment(Path(tmp) / "db.sqlite3")
        manage(env, "migrate", "--no-input")
        manage(env, "collectstatic", "--no-input")
        manage(
            env,
            "shell",
            "-c",
            f"from users.models import User; User.objects.create_user('editor', 'e@x.org', {PASSWORD!r})",
        )
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{PORT}", "--workers", "2", "nashir.wsgi"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            for _ in range(100):
                try:
                    http.client.HTTPConnection("127.0.0.1", PORT, timeout=1).request("GET", "/admin/login/")
                    break
                except OSError:
                    time.sleep(0.1)
            scenarios = {
                "one address, one account": {"addresses": 1, "usernames": ["editor"]},
                "50 addresses, one account": {"addresses": 50, "usernames": ["editor"]},
                "50 addresses, 20 accounts (spraying)": {
                    "addresses": 50,
                    "usernames": ["editor"] + [f"user{i}" for i in range(19)],
                },
            }
            for name, scenario in scenarios.items():
                manage(env, "axes_reset")
                print(name, round_of_guesses(guesses=args.guesses, **scenario), flush=True)
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
