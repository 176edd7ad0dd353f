"""Plain WordPress on this machine, the baseline for scripts/bench_production.py.

    .venv/bin/python scripts/wordpress_baseline.py setup --posts 10000 [--port 8091]
    .venv/bin/python scripts/wordpress_baseline.py start [--port 8091]
    .venv/bin/python scripts/wordpress_baseline.py stop

WordPress 6.1 as Debian bookworm packages it, on PHP 8.2-FPM with Debian's
php.ini (opcache on, JIT off), MariaDB 10.11 and nginx, no cache plugin, the
Twenty Twenty-Three theme that WordPress 6.1 makes the default. `setup`
installs the packages that are missing, copies /usr/share/wordpress to
var/wordpress/site with a wp-config.php of its own (Debian's reads
/etc/wordpress), recreates the MariaDB database nashir_wp_bench (root, empty
password, as on the local server), installs WordPress with its own PHP
function, loads published posts from ../shared/data/arabic-news.jsonl with
SQL and starts php-fpm (one worker per gunicorn worker: 2 x cores + 1) and
nginx on 127.0.0.1:PORT. `start` and `stop` start and end those two servers.
Everything written stays in var/wordpress/.

Unlike a stock site, WP-Cron does not run on page loads and HTTP to other
hosts is blocked: with no network, a cron run (update checks) would hold a
PHP worker for its timeouts in the middle of a measurement. The site speaks
English, as a fresh install does; the posts are Arabic.

From Python: `setup(posts, port)` and `start(port)` return the paths to
measure (article, home, section, search, feed), `stop()` ends both servers.
"""

import argparse
import html
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

import processes

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("NASHIR_DATA_DIR") or ROOT.parent / "shared" / "data") / "arabic-news.jsonl"
BASE = ROOT / "var" / "wordpress"
SITE, RUN, LOGS = BASE / "site", BASE / "run", BASE / "logs"
PATHS_FILE = BASE / "paths.json"
WORDPRESS = Path("/usr/share/wordpress")
# The Debian packages' programs, by full path: /usr/sbin is not on every PATH.
APT_GET, DPKG_QUERY = "/usr/bin/apt-get", "/usr/bin/dpkg-query"
PHP, PHP_FPM = "/usr/bin/php8.2", "/usr/sbin/php-fpm8.2"
MARIADB = ["/usr/bin/mariadb", "--user=root", "--default-character-set=utf8mb4"]
DATABASE = "nashir_wp_bench"
DEFAULT_PORT = 8091
THEME = "twentytwentythree"
# The theme is only recommended by the wordpress package, which
# --no-install-recommends leaves out; without it the front end is blank.
PACKAGES = ["wordpress", "php8.2-fpm", "php8.2-mysql", f"wordpress-theme-{THEME}"]
WORKERS = 2 * (os.cpu_count() or 1) + 1  # as deploy/gunicorn.conf.py
# The query bench_production.py searches Nashir for, and Nashir's article is in the Middle East section.
SEARCH_QUERY = "الحكومة السورية"
SECTION = "middleEast"
ARTICLE_LENGTH = 4000  # characters of body text, about those of Nashir's seed article
BATCH = 200  # posts per INSERT: about 1 MB, well under max_allowed_packet's 16 MB
PROCESSES = ["php-fpm", "nginx"]  # started in this order, stopped in the reverse one
MARKERS = {"php-fpm": "php-fpm", "nginx": "nginx"}  # a stale pid file must not name another process

# The Popen objects of the servers this interpreter started, so that `stop`
# can reap them (an unreaped child would still answer kill(pid, 0)).


class WordPressError(RuntimeError):
    pass


def setup(posts: int, port: int = DEFAULT_PORT) -> dict[str, str]:
    """Install, configure and fill a fresh site, start it; returns the paths to measure."""
    install_packages()
    stop()
    shutil.rmtree(SITE, ignore_errors=True)
    for folder in (RUN, LOGS):
        folder.mkdir(parents=True, exist_ok=True)
    # Debian links some files to other packages (getID3, JavaScript
    # libraries) and .htaccess to /etc: the copy gets the files themselves,
    # without Apache's .htaccess.
    shutil.copytree(WORDPRESS, SITE, ignore=shutil.ignore_patterns(".htaccess"))
    write_wp_config(port)
    mariadb(f"DROP DATABASE IF EXISTS {DATABASE}; CREATE DATABASE {DATABASE} CHARACTER SET utf8mb4")
    wordpress_install()
    paths = posts_load(posts, port)
    PATHS_FILE.write_text(json.dumps(paths, ensure_ascii=False, indent=2), encoding="utf-8")
    return start(port)


def start(port: int = DEFAULT_PORT) -> dict[str, str]:
    """Start php-fpm and nginx for the site `setup` made; returns the paths to measure.

    Returns once the home page answers 200; raises WordPressError (after
    stopping whatever it started) with the end of the logs otherwise.
    """
    if not PATHS_FILE.exists() or not (SITE / "wp-settings.php").exists():
        raise WordPressError(f"No site in {BASE}: run `setup` first.")
    running = {name: pid for name in PROCESSES if (pid := _running_pid(name))}
    if running:
        raise WordPressError(f"Already running: {running}; stop it first.")
    processes.require_free(port, WordPressError)
    for folder in (RUN, LOGS, BASE / "nginx" / "temp"):
        folder.mkdir(parents=True, exist_ok=True)
    # The URL is in wp-config.php: a port other than setup's gets it there,
    # or WordPress would redirect every request to the old one.
    write_wp_config(port)
    fpm_conf, nginx_conf = write_php_fpm_config(), write_nginx_config(port)
    nginx = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/usr/local/sbin")
    if nginx is None:
        raise WordPressError("nginx is not installed (apt-get install nginx).")
    nginx_command = [nginx, "-p", f"{BASE / 'nginx'}/", "-c", str(nginx_conf), "-e", str(LOGS / "nginx-error.log")]
    fpm_command = [PHP_FPM, "--fpm-config", str(fpm_conf), "--prefix", str(BASE)]
    if os.geteuid() == 0:
        fpm_command.append("--allow-to-run-as-root")  # as nginx's `user root`: the project may be root's alone
    for command, what in ((nginx_command + ["-t", "-q"], "nginx"), (fpm_command + ["--test"], "php-fpm")):
        checked = subprocess.run(command, capture_output=True, text=True)
        if checked.returncode:
            raise WordPressError(f"{what} refuses its configuration:\n{checked.stdout}{checked.stderr}")
    try:
        pids = {"php-fpm": _spawn("php-fpm", fpm_command), "nginx": _spawn("nginx", nginx_command)}
        _wait_until_serving(pids, port)
    except BaseException:
        stop()
        raise
    return json.loads(PATHS_FILE.read_text(encoding="utf-8"))


def stop(timeout: float = 20.0) -> None:
    """End nginx, then php-fpm, and whatever is left in their process groups."""
    for name in reversed(PROCESSES):
        pid = _running_pid(name)
        if pid is not None:
            # QUIT: both let the requests in progress finish.
            _signal(pid, signal.SIGQUIT)
            deadline = time.monotonic() + timeout
            while processes.alive(pid) and time.monotonic() < deadline:
                time.sleep(0.05)
            # Each server leads a session of its own (see _spawn): its group holds its workers only.
            _signal(-pid, signal.SIGKILL)
            while processes.alive(pid):
                time.sleep(0.05)
        (RUN / f"{name}.pid").unlink(missing_ok=True)


# Packages ------------------------------------------------------------------


def install_packages() -> None:
    listed = subprocess.run(
        [DPKG_QUERY, "-W", "-f", "${Package} ${db:Status-Status}\n", *PACKAGES], capture_output=True, text=True
    ).stdout
    installed = {line.split()[0] for line in listed.splitlines() if line.endswith(" installed")}
    missing = [name for name in PACKAGES if name not in installed]
    if not missing:
        return
    command = [APT_GET, "install", "-y", "--no-install-recommends", *missing]
    if _apache_in_plan(command):
        # wordpress depends on "libapache2-mod-php | php" and apt takes the
        # first: asking for php, which php8.2-fpm satisfies, keeps Apache out.
        command.append("php")
    if _apache_in_plan(command):
        print("warning: apt installs Apache's files; nothing here starts Apache", file=sys.stderr)
    subprocess.run(command, check=True, env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})


def _apache_in_plan(command: list[str]) -> bool:
    simulated = subprocess.run([command[0], "-s", *command[1:]], capture_output=True, text=True)
    if simulated.returncode:  # no package lists yet
        subprocess.run([APT_GET, "update"], check=True, capture_output=True)
        simulated = subprocess.run([command[0], "-s", *command[1:]], capture_output=True, text=True, check=True)
    return bool(re.search(r"^Inst (lib)?apache2", simulated.stdout, re.MULTILINE))


# Configuration -------------------------------------------------------------


def write_wp_config(port: int) -> None:
    url = f"http://127.0.0.1:{port}"
    salts = "\n".join(
        f"define('{name}', '{secrets.token_urlsafe(48)}');"
        for name in (
            "AUTH_KEY",
            "SECURE_AUTH_KEY",
            "LOGGED_IN_KEY",
            "NONCE_KEY",
            "AUTH_SALT",
            "SECURE_AUTH_SALT",
            "LOGGED_IN_SALT",
            "NONCE_SALT",
        )
    )
    (SITE / "wp-config.php").write_text(
        f"""<?php
// Written by scripts/wordpress_baseline.py, in place of Debian's, which reads /etc/wordpress.
define('DB_NAME', '{DATABASE}');
define('DB_USER', 'root');
define('DB_PASSWORD', '');
define('DB_HOST', 'localhost');
define('DB_CHARSET', 'utf8mb4');
define('DB_COLLATE', '');
define('WP_HOME', '{url}');
define('WP_SITEURL', '{url}');
{salts}
$table_prefix = 'wp_';
define('WP_DEBUG', false);
// No network here: update checks would hold a PHP worker for their timeouts.
define('DISABLE_WP_CRON', true);
define('WP_HTTP_BLOCK_EXTERNAL', true);
define('AUTOMATIC_UPDATER_DISABLED', true);
if (!defined('ABSPATH')) {{
    define('ABSPATH', __DIR__ . '/');
}}
require_once ABSPATH . 'wp-settings.php';
""",
        encoding="utf-8",
    )


def write_php_fpm_config() -> Path:
    conf = BASE / "php-fpm.conf"
    conf.write_text(
        f"""; Written by scripts/wordpress_baseline.py: a private php-fpm with Debian's php.ini (opcache on).
[global]
pid = {RUN / "php-fpm.pid"}
error_log = {LOGS / "php-fpm.log"}
daemonize = no

[wordpress]
listen = {RUN / "php-fpm.sock"}
listen.mode = 0600
pm = static
pm.max_children = {WORKERS}
""",
        encoding="utf-8",
    )
    return conf


def write_nginx_config(port: int) -> Path:
    nginx_dir = BASE / "nginx"
    temp = nginx_dir / "temp"
    for path in (SITE, nginx_dir):
        if re.search(r"[\s;{}'\"]", str(path)):
            raise WordPressError(f"nginx cannot be given this path as it is: {path}")
    # As root, nginx's workers would otherwise run as "nobody", who may not read the project.
    user = "user root;\n" if os.geteuid() == 0 else ""
    conf = nginx_dir / "nginx.conf"
    conf.write_text(
        f"""# Written by scripts/wordpress_baseline.py: a private nginx in front of the WordPress baseline.
{user}daemon off;
worker_processes auto;
pid {RUN / "nginx.pid"};
error_log {LOGS / "nginx-error.log"} warn;
events {{
    worker_connections 1024;
}}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    tcp_nopush on;
    gzip on;
    access_log off;
    client_body_temp_path {temp}/client_body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    server {{
        listen 127.0.0.1:{port};
        server_name 127.0.0.1 localhost;
        root {SITE};
        index index.php;
        location / {{
            try_files $uri $uri/ /index.php?$args;
        }}
        location ~ \\.php$ {{
            try_files $uri =404;
            # Not Debian's fastcgi_params: its HTTP_HOST $host drops the port,
            # and WordPress would redirect every request to the URL it has.
            fastcgi_param SCRIPT_FILENAME $document_root$fastcgi_script_name;
            fastcgi_param SCRIPT_NAME $fastcgi_script_name;
            fastcgi_param QUERY_STRING $query_string;
            fastcgi_param REQUEST_METHOD $request_method;
            fastcgi_param CONTENT_TYPE $content_type;
            fastcgi_param CONTENT_LENGTH $content_length;
            fastcgi_param REQUEST_URI $request_uri;
            fastcgi_param DOCUMENT_URI $document_uri;
            fastcgi_param DOCUMENT_ROOT $document_root;
            fastcgi_param SERVER_PROTOCOL $server_protocol;
            fastcgi_param REQUEST_SCHEME $scheme;
            fastcgi_param GATEWAY_INTERFACE CGI/1.1;
            fastcgi_param SERVER_SOFTWARE nginx/$nginx_version;
            fastcgi_param REMOTE_ADDR $remote_addr;
            fastcgi_param REMOTE_PORT $remote_port;
            fastcgi_param SERVER_ADDR $server_addr;
            fastcgi_param SERVER_PORT $server_port;
            fastcgi_param SERVER_NAME $server_name;
            fastcgi_param REDIRECT_STATUS 200;
            fastcgi_pass unix:{RUN / "php-fpm.sock"};
        }}
    }}
}}
""",
        encoding="utf-8",
    )
    return conf


# Database ------------------------------------------------------------------


def mariadb(sql: str, *, database: str | None = None) -> str:
    result = subprocess.run(
        [*MARIADB, "--batch", "--skip-column-names", "--execute", sql, *([database] if database else [])],
        capture_output=True,
        text=True,
    )
    if result.returncode:
        raise WordPressError(f"mariadb: {result.stderr.strip()}\n  in: {sql[:200]}")
    return result.stdout


def wordpress_install() -> None:
    """WordPress's own installer, run by the PHP command line: no web server or network needed."""
    script = BASE / "install.php"
    script.write_text(
        f"""<?php
define('WP_INSTALLING', true);
require '{SITE / "wp-load.php"}';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
wp_install('WordPress baseline', 'admin', 'admin@example.invalid', false, '', '{secrets.token_urlsafe(16)}', '');
if (!wp_get_theme('{THEME}')->exists()) {{
    fwrite(STDERR, "theme {THEME} missing\\n");
    exit(1);
}}
switch_theme('{THEME}');
$wp_rewrite->set_permalink_structure('/%postname%/');
flush_rewrite_rules();
wp_delete_post(1, true);  // "Hello world!" would head every list of posts
""",
        encoding="utf-8",
    )
    # Its welcome e-mail fails without a sendmail, noisily and harmlessly.
    result = subprocess.run([PHP, str(script)], cwd=SITE, capture_output=True, text=True)
    script.unlink()  # it holds the admin's password
    if (
        result.returncode
        or mariadb("SELECT option_value FROM wp_options WHERE option_name = 'template'", database=DATABASE).strip()
        != THEME
    ):
        raise WordPressError(f"WordPress's installer failed:\n{result.stdout}{result.stderr}")


def posts_load(posts: int, port: int) -> dict[str, str]:
    """`posts` published posts from the corpus in multi-row INSERTs; returns the paths to measure."""
    documents = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]
    first_id = int(mariadb("SELECT COALESCE(MAX(ID), 0) + 1 FROM wp_posts", database=DATABASE))
    first_term = int(mariadb("SELECT MAX(term_id) + 1 FROM wp_terms", database=DATABASE))
    first_taxonomy = int(mariadb("SELECT MAX(term_taxonomy_id) + 1 FROM wp_term_taxonomy", database=DATABASE))
    categories = {}  # corpus category: (term_taxonomy_id, Arabic name, slug)
    for document in documents:
        name = document["category"]
        if name not in categories:
            slug = re.sub(r"(?<!^)(?=[A-Z])", "-", name).lower()  # middleEast: middle-east
            categories[name] = (first_taxonomy + len(categories), document["category_ar"], slug)

    # Streamed to one client: a 100,000-post load is hundreds of MB of SQL.
    client = subprocess.Popen(
        [*MARIADB, DATABASE],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )
    try:
        # The escapes below are backslashes, which this mode would turn off.
        client.stdin.write("SET SESSION sql_mode = REPLACE(@@sql_mode, 'NO_BACKSLASH_ESCAPES', '');\n")
        client.stdin.write(
            "INSERT INTO wp_terms (term_id, name, slug, term_group) VALUES "  # noqa: S608 - values through _sql
            + ",".join(
                f"({taxonomy - first_taxonomy + first_term}, {_sql(name)}, {_sql(slug)}, 0)"
                for taxonomy, name, slug in categories.values()
            )
            + ";\nINSERT INTO wp_term_taxonomy (term_taxonomy_id, term_id, taxonomy, description, parent, count)"
            " VALUES "
            + ",".join(
                f"({taxonomy}, {taxonomy - first_taxonomy + first_term}, 'category', '', 0, 0)"
                for taxonomy, _, _ in categories.values()
            )
            + ";\n"
        )
        article, article_gap = None, None
        rows, relationships = [], []
        for number in range(posts):
            document = documents[number % len(documents)]
            post_id = first_id + number
            rounds = number // len(documents)
            title = document["title"] + (f" ({rounds + 1})" if rounds else "")
            paragraphs = [line.strip() for line in document["body"].split("\n") if line.strip()]
            content = "\n".join(f"<p>{html.escape(paragraph, quote=False)}</p>" for paragraph in paragraphs)
            date = _sql(datetime.fromisoformat(document["date"]).astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S"))
            rows.append(
                f"({post_id}, 1, {date}, {date}, {_sql(content)}, {_sql(html.escape(title, quote=False))}, '',"
                f" 'publish', 'open', 'open', '', 'post-{post_id}', '', '', {date}, {date}, '', 0,"
                f" 'http://127.0.0.1:{port}/?p={post_id}', 0, 'post', '', 0)"
            )
            relationships.append(f"({post_id}, {categories[document['category']][0]}, 0)")
            gap = abs(len(document["body"]) - ARTICLE_LENGTH)
            if document["category"] == SECTION and (article_gap is None or gap < article_gap):
                article, article_gap = f"/post-{post_id}/", gap
            if len(rows) == BATCH or number == posts - 1:
                client.stdin.write(
                    "INSERT INTO wp_posts (ID, post_author, post_date, post_date_gmt, post_content, post_title,"  # noqa: S608 - values through _sql
                    " post_excerpt, post_status, comment_status, ping_status, post_password, post_name, to_ping,"
                    " pinged, post_modified, post_modified_gmt, post_content_filtered, post_parent, guid,"
                    " menu_order, post_type, post_mime_type, comment_count) VALUES "
                    + ",".join(rows)
                    + ";\nINSERT INTO wp_term_relationships (object_id, term_taxonomy_id, term_order) VALUES "
                    + ",".join(relationships)
                    + ";\n"
                )
                rows, relationships = [], []
        client.stdin.write(
            "UPDATE wp_term_taxonomy SET count = (SELECT COUNT(*) FROM wp_term_relationships"
            " WHERE wp_term_relationships.term_taxonomy_id = wp_term_taxonomy.term_taxonomy_id)"
            " WHERE taxonomy = 'category';\n"
        )
        client.stdin.close()
    except BrokenPipeError:
        pass  # the client stopped at an error: reported below
    errors = client.stderr.read()
    if client.wait():
        raise WordPressError(f"Loading the posts failed: {errors.strip()}")
    if article is None:
        # Fewer posts than it takes to reach the section's first one.
        raise WordPressError(f"No post of the category {SECTION} among the first {posts}.")
    return {
        "article": article,
        "home": "/",
        "section": f"/category/{categories[SECTION][2]}/",
        "search": "/?s=" + quote(SEARCH_QUERY),
        "feed": "/feed/",
    }


_ESCAPES = str.maketrans({"\\": "\\\\", "'": "\\'", "\0": "\\0", "\n": "\\n", "\r": "\\r", "\x1a": "\\Z"})


def _sql(value: str) -> str:
    return "'" + value.translate(_ESCAPES) + "'"


# Processes -----------------------------------------------------------------


def _spawn(name: str, command: list[str]) -> int:
    # A session of its own: a Ctrl-C where `start` ran does not reach the
    # server, and `stop` can end its whole process group.
    with (LOGS / f"{name}.out").open("a") as log:
        process = subprocess.Popen(
            command, cwd=BASE, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    processes.children[process.pid] = process
    (RUN / f"{name}.pid").write_text(f"{process.pid}\n")
    return process.pid


def _wait_until_serving(pids: dict[str, int], port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        gone = [name for name, pid in pids.items() if not processes.alive(pid)]
        if gone:
            raise WordPressError(f"{', '.join(gone)} stopped while starting.\n{_log_tails()}")
        status = _home_status(port)
        if status == 200:
            return
        if time.monotonic() > deadline:
            raise WordPressError(f"The home page did not answer 200 within {timeout:.0f} s ({status}).\n{_log_tails()}")
        time.sleep(0.1)


def _home_status(port: int) -> int | None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", "/")
        response = connection.getresponse()
        response.read()
        return response.status
    except OSError:
        return None
    finally:
        connection.close()


def _running_pid(name: str) -> int | None:
    return processes.running_pid(RUN / f"{name}.pid", MARKERS[name])


def _signal(pid: int, number: int) -> None:
    try:
        os.kill(pid, number)
    except ProcessLookupError:
        pass


def _log_tails(lines: int = 20) -> str:
    tails = []
    for log in sorted(LOGS.glob("*")):
        text = log.read_text(errors="replace").splitlines()[-lines:]
        tails.append(f"--- {log} ---\n" + "\n".join(text))
    return "\n".join(tails)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("action", choices=["setup", "start", "stop"])
    parser.add_argument("--posts", type=int, default=10_000, help="posts to load (setup; default: 10000)")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"nginx's port (default: {DEFAULT_PORT})")
    args = parser.parse_args()
    try:
        if args.action == "stop":
            stop()
            print("Stopped.")
            return
        started = time.perf_counter()
        paths = setup(args.posts, args.port) if args.action == "setup" else start(args.port)
    except WordPressError as error:
        sys.exit(str(error))
    if args.action == "setup":
        print(f"{args.posts:,} posts set up in {time.perf_counter() - started:.0f} s")
    print(f"WordPress on http://127.0.0.1:{args.port}/ (nginx, php-fpm); logs in {LOGS}")
    for page, path in paths.items():
        print(f"  {page:<8} {path}")


if __name__ == "__main__":
    main()
