"""The servers the local stacks start (scripts/stack.py, scripts/wordpress_baseline.py): pid files, liveness, ports."""

import os
import socket
import subprocess
from pathlib import Path

# The processes this interpreter started, by pid: polled (which reaps them), not probed with a signal.
children: dict[int, subprocess.Popen] = {}


def require_free(port: int, error: type[Exception]) -> None:
    """Raise `error` if something listens on `port` on loopback."""
    with socket.socket() as probe:
        # As the servers bind: connections of an earlier run left in TIME_WAIT do not count.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError as failure:
            raise error(f"Port {port} on 127.0.0.1 is in use ({failure.strerror}).") from failure


def running_pid(pid_file: Path, marker: str) -> int | None:
    """The pid in `pid_file` if that process runs and is ours (`marker` is in its command line).

    A pid file left from before a reboot must not make a stop signal whatever process has that number now.
    """
    try:
        pid = int(pid_file.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None
    if not alive(pid):
        return None
    try:
        command_line = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return pid  # no /proc to ask: trust the pid file
    return pid if marker in command_line else None


def alive(pid: int) -> bool:
    child = children.get(pid)
    if child is not None:
        return child.poll() is None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A process that has exited but not been reaped yet by its parent is gone for every purpose here.
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True
