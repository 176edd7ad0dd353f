"""Start, stop or inspect the production stack on 127.0.0.1: nginx, gunicorn and the task worker.

The task worker runs under `manage.py run_worker`, which starts db_worker
again whenever it stops and writes the heartbeat /health/ reads.

Runs from the files production runs from (deploy/gunicorn.conf.py and the
nginx template deploy/nginx/nashir.conf), so that a benchmark or a test
measures what a server would serve. Everything the run writes (rendered nginx
configuration, pid files, logs, nginx's cache, the page files, the disk cache) stays in the
stack folder, var/stack/ unless told otherwise; collectstatic writes
var/static/ as in production.

    .venv/bin/python scripts/stack.py start [--root-dir var/stack] [--http-port 8080] [--app-port 8700]
                                            [--env-file FILE] [--servers N]
    .venv/bin/python scripts/stack.py status
    .venv/bin/python scripts/stack.py stop

With --servers N, N application servers (each a gunicorn and a task worker,
as separate machines would run them; gunicorn on --app-port, --app-port + 1, …)
sit behind the one nginx upstream. They share what separate machines would
share: the database (PostgreSQL: DATABASE_URL), Redis (REDIS_URL: page cache,
rate limits, the view counter's buffer) and the uploads: the media folder
(MEDIA_ROOT, a shared folder in production) or, with NASHIR_MEDIA_STORAGE=s3
and its NASHIR_S3_* settings in the env file, a bucket of an S3-compatible
store (docs/deployment.md, "Where uploads live"). Each has its own disk folder
for anything else, so nothing is shared by accident.

The processes get this environment, later layers winning: production-like
defaults (DEBUG=0, disk cache, database task queue, behind a proxy, nginx
serving /media/), the caller's environment, then the --env-file. The settings
module is always nashir.settings.base unless the env file names another (pytest
sets the test settings in its own environment), ALLOWED_HOSTS always includes
127.0.0.1 and localhost, and gunicorn always listens on --app-port.

From Python (a benchmark, a test): `start(...)`, `status(...)`, `stop(...)`.
"""

import argparse
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
from pathlib import Path

import processes

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_STACK_DIR = ROOT / "var" / "stack"
NGINX_TEMPLATE = ROOT / "deploy" / "nginx" / "nashir.conf"
GUNICORN_CONF = ROOT / "deploy" / "gunicorn.conf.py"
STATIC_ROOT = ROOT / "var" / "static"  # fixed in nashir/settings/base.py
MIME_TYPES = [Path("/etc/nginx/mime.types"), Path("/usr/local/nginx/conf/mime.types")]

DEFAULTS = {
    "DEBUG": "0",
    "NASHIR_CACHE": "disk",
    "NASHIR_TASKS": "database",
    "BEHIND_PROXY": "1",
    "NASHIR_TRUSTED_PROXY_HEADER": "HTTP_X_FORWARDED_FOR",
    "SERVE_MEDIA": "0",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
}
LOCAL_HOSTS = ["127.0.0.1", "localhost"]
# A word each process's command line contains: a pid file left from before a
# reboot must not make `stop` signal whatever process has that number now.
MARKERS = {"gunicorn": "gunicorn", "worker": "run_worker", "nginx": "nginx"}


def process_names(servers: int = 1) -> list[str]:
    """Started in this order, stopped in the reverse one (nginx stops taking requests first).

    The first server's processes are "gunicorn" and "worker", the second's
    "gunicorn-2" and "worker-2", and so on.
    """
    names = []
    for number in range(1, servers + 1):
        suffix = "" if number == 1 else f"-{number}"
        names += [f"gunicorn{suffix}", f"worker{suffix}"]
    return [*names, "nginx"]


def _log_name(name: str) -> str:
    return "nginx-error.log" if name == "nginx" else f"{name}.log"


# The Popen objects of processes this interpreter started, so that `stop` can
# reap them (a dead child not waited for would still answer kill(pid, 0)).


class StackError(RuntimeError):
    pass


def find_nginx() -> str | None:
    # Debian installs nginx in /usr/sbin, which is not on a normal user's PATH.
    return shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/usr/local/sbin:/usr/local/nginx/sbin")


def read_env_file(path: Path) -> dict[str, str]:
    """KEY=value lines as systemd's EnvironmentFile and django-environ read them."""
    values = {}
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith(("#", ";")) or "=" not in line:
            continue
        name, value = line.removeprefix("export ").split("=", 1)
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        values[name.strip()] = value
    return values


def stack_environment(
    *,
    stack_dir: Path,
    http_port: int,
    app_port: int,
    env_file: Path | None = None,
    server: int = 1,
    servers: int = 1,
) -> dict[str, str]:
    """The environment of one application server's processes (the first unless `server` says).

    With several servers the page cache defaults to Redis, which they share.
    """
    file_values = read_env_file(env_file) if env_file else {}
    own_dir = stack_dir if server == 1 else stack_dir / f"server-{server}"
    env = {
        **DEFAULTS,
        **({"NASHIR_CACHE": "redis"} if servers > 1 else {}),
        "SITE_URL": f"http://127.0.0.1:{http_port}",
        "NASHIR_CACHE_DIR": str(own_dir / "cache"),
        # Written by every server, read by nginx: a shared folder, as on several machines.
        "NASHIR_PAGE_FILES_DIR": str(stack_dir / "pages"),
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "nashir.settings.base",
        **file_values,
    }
    hosts = [host for host in env["ALLOWED_HOSTS"].split(",") if host]
    env["ALLOWED_HOSTS"] = ",".join(hosts + [host for host in LOCAL_HOSTS if host not in hosts])
    env["NASHIR_BIND"] = f"127.0.0.1:{app_port}"
    # The settings read the project's .env for what the environment leaves
    # unset; a key is made up (and kept across runs) only if neither has one.
    if not env.get("SECRET_KEY") and not _dotenv().get("SECRET_KEY"):
        env["SECRET_KEY"] = _stack_secret_key(stack_dir)
    return env


def _dotenv() -> dict[str, str]:
    path = ROOT / ".env"
    return read_env_file(path) if path.exists() else {}


def _stack_secret_key(stack_dir: Path) -> str:
    path = stack_dir / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


def nginx_main(*, pid: Path, error_log: Path, temp: Path, http: str, daemon: bool = False) -> str:
    """A private nginx's main configuration around `http`, the lines of its http block after the common ones.

    Also used by scripts/bench_production.py for a second nginx of the same settings.
    """
    mime_types = next((path for path in MIME_TYPES if path.exists()), None)
    if mime_types is None:
        raise StackError(f"No mime.types for nginx in {', '.join(map(str, MIME_TYPES))}.")
    for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (temp / name).mkdir(parents=True, exist_ok=True)
    # As root, nginx's workers would otherwise run as "nobody", who may not
    # read the project (or a test's temporary folders) nor write the cache.
    user = "user root;\n" if os.geteuid() == 0 else ""
    return f"""# Written by scripts/stack.py: a private nginx, around the server blocks it includes.
{user}daemon {"on" if daemon else "off"};
worker_processes auto;
# Room for the template's open_file_cache beside two descriptors per connection.
worker_rlimit_nofile 8192;
pid {pid};
error_log {error_log} warn;
events {{
    worker_connections 1024;
}}
http {{
    include {mime_types};
    default_type application/octet-stream;
    sendfile on;
    tcp_nopush on;
    client_body_temp_path {temp / "client_body"};
    proxy_temp_path {temp / "proxy"};
    fastcgi_temp_path {temp / "fastcgi"};
    uwsgi_temp_path {temp / "uwsgi"};
    scgi_temp_path {temp / "scgi"};
{http}}}
"""


def render_nginx(
    *, stack_dir: Path, env: dict[str, str], http_port: int, app_ports: list[int], real_ip_from: str = ""
) -> Path:
    """Fill in the shipped template and wrap it in a main configuration; returns the latter.

    `real_ip_from`: an address (or CIDR) trusted to say the client's address in
    X-Forwarded-For, as a CDN in front is (the template's real_ip advice); a
    load generator uses it to stand for many readers.
    """
    nginx_dir = stack_dir / "nginx"
    logs = stack_dir / "logs"
    media_root = Path(env.get("MEDIA_ROOT") or _dotenv().get("MEDIA_ROOT") or ROOT / "var" / "media")
    media_root.mkdir(parents=True, exist_ok=True)
    values = {
        "LISTEN": f"127.0.0.1:{http_port}",
        "SERVER_NAME": " ".join(LOCAL_HOSTS),
        "ROOT": str(ROOT),
        "MEDIA_ROOT": str(media_root.resolve()),
        "UPSTREAM": f"127.0.0.1:{app_ports[0]}",
        "CACHE_DIR": str(nginx_dir / "cache"),
        "LOG_DIR": str(logs),
        "PAGE_FILES": str(_page_files_dir(env, stack_dir)),
    }
    for path in (values["ROOT"], values["MEDIA_ROOT"], values["PAGE_FILES"], str(stack_dir)):
        # The template does not quote paths: nginx would split one at a space or end the directive at ";".
        if re.search(r"[\s;{}'\"]", path):
            raise StackError(f"nginx cannot be given this path as it is: {path!r}")
    server = NGINX_TEMPLATE.read_text(encoding="utf-8")
    # The template's upstream holds one server line; each further application server gets its own.
    upstream_line = next(line for line in server.splitlines(keepends=True) if "server @UPSTREAM@;" in line)
    server = server.replace(
        upstream_line, "".join(upstream_line.replace("@UPSTREAM@", f"127.0.0.1:{port}") for port in app_ports)
    )
    for name, value in values.items():
        server = server.replace(f"@{name}@", value)
    unknown = set(re.findall(r"@[A-Z_]+@", server))
    if unknown:
        raise StackError(f"{NGINX_TEMPLATE} has placeholders scripts/stack.py does not fill: {sorted(unknown)}")
    (nginx_dir / "nashir.conf").write_text(server, encoding="utf-8")

    real_ip = f"    set_real_ip_from {real_ip_from};\n    real_ip_header X-Forwarded-For;\n" if real_ip_from else ""
    http = (
        "    # The site's own log is the template's (nashir-access.log); this one has nothing else to record.\n"
        f"    access_log off;\n{real_ip}    include {nginx_dir / 'nashir.conf'};\n"
    )
    main = nginx_main(
        pid=stack_dir / "run" / "nginx.pid", error_log=logs / _log_name("nginx"), temp=nginx_dir / "temp", http=http
    )
    conf = nginx_dir / "nginx.conf"
    conf.write_text(main, encoding="utf-8")
    return conf


def _page_files_dir(env: dict[str, str], stack_dir: Path) -> Path:
    """Where the page files go; with page files off, nginx still includes the snippet written there."""
    return Path(env.get("NASHIR_PAGE_FILES_DIR") or stack_dir / "pages").resolve()


def nginx_command(nginx: str, stack_dir: Path, *arguments: str) -> list[str]:
    # -e: the error log before the configuration is read, which would
    # otherwise be nginx's own under /var/log.
    nginx_dir = stack_dir / "nginx"
    return [
        nginx,
        "-p",
        f"{nginx_dir}/",
        "-c",
        str(nginx_dir / "nginx.conf"),
        "-e",
        str(stack_dir / "logs" / _log_name("nginx")),
        *arguments,
    ]


def start(
    *,
    stack_dir: Path = DEFAULT_STACK_DIR,
    http_port: int = 8080,
    app_port: int = 8700,
    env_file: Path | None = None,
    servers: int = 1,
    timeout: float = 20.0,
    real_ip_from: str = "",
) -> dict[str, int]:
    """Migrate, collect static files and start the processes; returns their pids by name.

    Returns once nginx and every gunicorn answer HTTP; raises StackError (after
    stopping whatever it started) with the end of the logs otherwise.
    """
    stack_dir = Path(stack_dir).resolve()
    nginx = find_nginx()
    if nginx is None:
        raise StackError("nginx is not installed (apt-get install nginx).")
    if servers < 1:
        raise StackError("--servers must be at least 1.")
    running = {name: pid for name, pid in status(stack_dir=stack_dir).items() if pid}
    if running:
        raise StackError(f"Already running in {stack_dir}: {running}; stop it first.")
    app_ports = [app_port + number for number in range(servers)]
    for port in (http_port, *app_ports):
        processes.require_free(port, StackError)
    for folder in ("run", "logs", "nginx"):
        (stack_dir / folder).mkdir(parents=True, exist_ok=True)
    envs = [
        stack_environment(
            stack_dir=stack_dir, http_port=http_port, app_port=port, env_file=env_file, server=number, servers=servers
        )
        for number, port in enumerate(app_ports, start=1)
    ]
    if servers > 1:
        _require_shared_services(envs[0])
    render_nginx(stack_dir=stack_dir, env=envs[0], http_port=http_port, app_ports=app_ports, real_ip_from=real_ip_from)

    manage = [sys.executable, str(ROOT / "manage.py")]
    # The page files' headers are read off the home page, so after the migrations that make it.
    snippet = _page_files_dir(envs[0], stack_dir) / "nginx.conf"
    with (stack_dir / "logs" / "setup.log").open("a") as log:
        for command in (
            ["migrate", "--no-input"],
            ["collectstatic", "--no-input", "--verbosity", "0"],
            ["page_files_nginx", "--output", str(snippet)],
        ):
            if subprocess.run([*manage, *command], env=envs[0], cwd=ROOT, stdout=log, stderr=log).returncode:
                raise StackError(f"manage.py {command[0]} failed:\n{_tail(stack_dir / 'logs' / 'setup.log')}")
    checked = subprocess.run(nginx_command(nginx, stack_dir, "-t", "-q"), capture_output=True, text=True)
    if checked.returncode:
        raise StackError(f"nginx refuses the rendered configuration:\n{checked.stderr}")

    names = process_names(servers)
    commands, environments = {}, {}
    for number, env in enumerate(envs, start=1):
        gunicorn, worker = names[2 * (number - 1) : 2 * number]
        commands[gunicorn] = [sys.executable, "-m", "gunicorn", "-c", str(GUNICORN_CONF)]
        commands[worker] = [*manage, "run_worker"]
        environments[gunicorn] = environments[worker] = env
    commands["nginx"], environments["nginx"] = nginx_command(nginx, stack_dir), envs[0]
    (stack_dir / "run" / "servers").write_text(f"{servers}\n")
    pids = {}
    try:
        for name in names:
            pids[name] = _spawn(name, commands[name], env=environments[name], stack_dir=stack_dir)
        _wait_until_answering(pids, stack_dir=stack_dir, ports=[*app_ports, http_port], timeout=timeout)
    except BaseException:
        stop(stack_dir=stack_dir)
        raise
    addresses = {"http": f"http://127.0.0.1:{http_port}/"}
    for name, port in zip(names[::2], app_ports, strict=False):
        addresses[name] = f"http://127.0.0.1:{port}/"
    (stack_dir / "run" / "stack.json").write_text(json.dumps(addresses))
    return pids


def _require_shared_services(env: dict[str, str]) -> None:
    """Several servers must share what one server keeps to itself by default."""
    settings = {**_dotenv(), **env}
    database = settings.get("DATABASE_URL", "")
    if not database or database.startswith("sqlite"):
        raise StackError("Several servers need one database they all reach: set DATABASE_URL to PostgreSQL.")
    if not settings.get("REDIS_URL") or settings.get("NASHIR_CACHE", "redis") != "redis":
        raise StackError(
            "Several servers share their page cache, rate limits and view counts through Redis: "
            "set REDIS_URL (and leave NASHIR_CACHE unset or redis)."
        )


def status(*, stack_dir: Path = DEFAULT_STACK_DIR) -> dict[str, int | None]:
    """The pid of each process that runs, None for those that do not."""
    stack_dir = Path(stack_dir).resolve()
    return {name: _running_pid(name, stack_dir) for name in process_names(_servers(stack_dir))}


def stop(*, stack_dir: Path = DEFAULT_STACK_DIR, timeout: float = 40.0) -> None:
    """SIGTERM to each process, then wait for it (gunicorn lets requests finish).

    Whatever is still there after `timeout` seconds is killed with its process group.
    """
    stack_dir = Path(stack_dir).resolve()
    for name in reversed(process_names(_servers(stack_dir))):
        pid = _running_pid(name, stack_dir)
        if pid is not None:
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            deadline = time.monotonic() + timeout
            while processes.alive(pid) and time.monotonic() < deadline:
                time.sleep(0.05)
            if processes.alive(pid):
                os.killpg(pid, signal.SIGKILL)
                while processes.alive(pid):
                    time.sleep(0.05)
        (stack_dir / "run" / f"{name}.pid").unlink(missing_ok=True)
    (stack_dir / "run" / "stack.json").unlink(missing_ok=True)


def _servers(stack_dir: Path) -> int:
    """How many application servers the last `start` in this folder ran."""
    try:
        return max(1, int((stack_dir / "run" / "servers").read_text()))
    except (OSError, ValueError):
        return 1


def _spawn(name: str, command: list[str], *, env: dict[str, str], stack_dir: Path) -> int:
    # A session of its own: a Ctrl-C in the terminal that ran `start` does not
    # reach the stack, and a last-resort kill can take the process group.
    with (stack_dir / "logs" / _log_name(name)).open("a") as log:
        process = subprocess.Popen(
            command,
            env=env,
            cwd=ROOT,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    processes.children[process.pid] = process
    (stack_dir / "run" / f"{name}.pid").write_text(f"{process.pid}\n")
    return process.pid


def _wait_until_answering(pids: dict[str, int], *, stack_dir: Path, ports: list[int], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    waiting = list(ports)
    while waiting:
        gone = [name for name, pid in pids.items() if not processes.alive(pid)]
        if gone:
            raise StackError(f"{', '.join(gone)} stopped while starting.\n{_log_tails(stack_dir)}")
        if time.monotonic() > deadline:
            raise StackError(f"Port {waiting[0]} did not answer within {timeout:.0f} s.\n{_log_tails(stack_dir)}")
        if _answers(waiting[0]):
            waiting.pop(0)
        else:
            time.sleep(0.1)


def _answers(port: int) -> bool:
    """Whether an HTTP server answers on the port, whatever the status."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
    try:
        connection.request("GET", "/robots.txt", headers={"Host": "127.0.0.1"})
        connection.getresponse().read()
        return True
    except OSError:
        return False
    finally:
        connection.close()


def _running_pid(name: str, stack_dir: Path) -> int | None:
    return processes.running_pid(stack_dir / "run" / f"{name}.pid", MARKERS[name.split("-")[0]])


def _tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def _log_tails(stack_dir: Path) -> str:
    logs = [_log_name(name) for name in process_names(_servers(stack_dir))]
    return "\n".join(f"--- {stack_dir / 'logs' / log} ---\n{_tail(stack_dir / 'logs' / log)}" for log in logs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("action", choices=["start", "stop", "status"])
    parser.add_argument(
        "--root-dir", type=Path, default=DEFAULT_STACK_DIR, help="the stack folder (default: var/stack)"
    )
    parser.add_argument("--http-port", type=int, default=8080, help="nginx's port (default: 8080)")
    parser.add_argument("--app-port", type=int, default=8700, help="gunicorn's port (default: 8700)")
    parser.add_argument("--env-file", type=Path, help="KEY=value lines that override the environment")
    parser.add_argument(
        "--servers",
        type=int,
        default=1,
        help="application servers behind nginx (default: 1; more need PostgreSQL and Redis)",
    )
    parser.add_argument(
        "--real-ip-from",
        default="",
        metavar="ADDRESS",
        help="trust X-Forwarded-For from this address or CIDR for the client's address, as behind a CDN",
    )
    args = parser.parse_args()
    stack_dir = args.root_dir if args.root_dir.is_absolute() else ROOT / args.root_dir

    try:
        if args.action == "start":
            pids = start(
                stack_dir=stack_dir,
                http_port=args.http_port,
                app_port=args.app_port,
                env_file=args.env_file,
                servers=args.servers,
                real_ip_from=args.real_ip_from,
            )
            upstream = ", ".join(f"127.0.0.1:{args.app_port + number}" for number in range(args.servers))
            print(f"Nashir on http://127.0.0.1:{args.http_port}/ (nginx) → {upstream} (gunicorn)")
            print("  " + ", ".join(f"{name} pid {pid}" for name, pid in pids.items()))
            print(f"  logs in {stack_dir / 'logs'}; stop with: scripts/stack.py stop --root-dir {args.root_dir}")
        elif args.action == "stop":
            stop(stack_dir=stack_dir)
            print("Stopped.")
        else:
            _print_status(stack_dir)
    except StackError as error:
        sys.exit(str(error))


def _print_status(stack_dir: Path) -> None:
    pids = status(stack_dir=stack_dir)
    try:
        addresses = json.loads((stack_dir / "run" / "stack.json").read_text())
    except (OSError, ValueError):
        addresses = {}
    addresses["nginx"] = addresses.get("http")
    for name, pid in pids.items():
        where = f" {addresses[name]}" if pid and addresses.get(name) else ""
        print(f"{name:<11}{f'running, pid {pid}' if pid else 'stopped'}{where}")
    sys.exit(0 if all(pids.values()) else 3)


if __name__ == "__main__":
    main()
