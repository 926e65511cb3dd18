"""One run in a docker backend's box container (compilers, validators, generators, Java).

Started by `docker exec` as the container's unprivileged user:

    python3 docker_box_runner.py REQUEST_JSON

REQUEST_JSON: {"argv", "env", "cwd", "rlimits", "wall_s", "stdin", "stdout", "stderr"}; the
three files are paths inside the container (stdin "" for none; stdout and stderr already exist,
made by the judge). The runner forks the program with its descriptors and rlimits, waits with a
wall-clock watchdog, kills whatever the run left (every process of its uid but itself and the
container's pid 1), empties /tmp, and prints one JSON object: the exit status and the usage.
Standard library only: it runs with the image's own interpreter. Exit status 126: the runner
itself failed (a judge error, never the program's).
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import resource
import select
import shutil
import signal
import sys
import time

PR_SET_DUMPABLE = 4
PR_SET_CHILD_SUBREAPER = 36
RLIMITS = {
    "cpu": resource.RLIMIT_CPU,
    "as": resource.RLIMIT_AS,
    "stack": resource.RLIMIT_STACK,
    "fsize": resource.RLIMIT_FSIZE,
    "nofile": resource.RLIMIT_NOFILE,
    "nproc": resource.RLIMIT_NPROC,
    "core": resource.RLIMIT_CORE,
}


def _child(request: dict, fds: list[int]) -> None:
    """Never returns."""
    try:
        os.setpgid(0, 0)
        os.chdir(request["cwd"])
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
        os.closerange(3, 1 << 16)
        for name, value in request["rlimits"].items():
            resource.setrlimit(RLIMITS[name], (value, value))
        # The interpreter ignores these; a program must die of them as under a shell.
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
        signal.signal(signal.SIGXFSZ, signal.SIG_DFL)
        os.execvpe(request["argv"][0], request["argv"], request["env"])
    except BaseException as error:
        try:
            os.write(2, f"box runner: {error!r}\n".encode())
        finally:
            os._exit(126)


def _kill_leftovers() -> None:
    """kill(-1) reaches every process of this uid but the runner and pid 1; as a subreaper,
    the runner inherits the orphans and reaps them."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.kill(-1, signal.SIGKILL)
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            time.sleep(0.0005)


def _empty(folder: str) -> None:
    for entry in os.listdir(folder):
        path = os.path.join(folder, entry)
        if os.path.isdir(path) and not os.path.islink(path):
            shutil.rmtree(path, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                os.unlink(path)


def main() -> int:
    request = json.loads(sys.argv[1])
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)  # the run cannot ptrace or read the runner
    libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    fds = [
        os.open(request["stdin"] or os.devnull, os.O_RDONLY),
        os.open(request["stdout"], os.O_WRONLY | os.O_TRUNC | os.O_NOFOLLOW),
        os.open(request["stderr"], os.O_WRONLY | os.O_TRUNC | os.O_NOFOLLOW),
    ]
    started = time.monotonic()
    pid = os.fork()
    if pid == 0:
        _child(request, fds)
    for fd in fds:
        os.close(fd)
    pidfd = os.pidfd_open(pid)
    try:
        ready, _, _ = select.select([pidfd], [], [], request["wall_s"])
    finally:
        os.close(pidfd)
    if not ready:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGKILL)
    _, status, usage = os.wait4(pid, 0)
    wall = time.monotonic() - started
    _kill_leftovers()
    _empty("/tmp")
    reply = {
        "exit_code": os.WEXITSTATUS(status) if os.WIFEXITED(status) else None,
        "signal": os.WTERMSIG(status) if os.WIFSIGNALED(status) else None,
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "memory_kib": usage.ru_maxrss,
        "wall_s": wall,
        "wall_timeout": not ready,
    }
    print(json.dumps(reply))
    return 0


if __name__ == "__main__":
    sys.exit(main())
