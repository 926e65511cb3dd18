"""The run server of a docker backend's box container (compilers, validators, generators, Java).

Runs as the box container's pid 1, as its unprivileged user:

    python3 docker_box_server.py SOCKET_FD

Each request is one JSON message, {"argv", "env", "cwd", "rlimits", "wall_s"}, with three file
descriptors attached (standard input, output and error). The server forks; the child takes the
descriptors and the rlimits and executes argv (found on PATH). The server waits with a
wall-clock watchdog, kills whatever the run left (as pid 1, kill(-1) reaches every other
process of the container, and the run cannot signal pid 1), empties /tmp, and answers with the
exit status and the usage; {"setup_error"} when the program could not be started at all (a
missing compiler: the judge's problem, never the program's). Standard library only: it runs with
the image's own interpreter.
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
import socket
import sys
import time

PR_SET_DUMPABLE = 4
RLIMITS = {
    "cpu": resource.RLIMIT_CPU,
    "as": resource.RLIMIT_AS,
    "stack": resource.RLIMIT_STACK,
    "fsize": resource.RLIMIT_FSIZE,
    "nofile": resource.RLIMIT_NOFILE,
    "nproc": resource.RLIMIT_NPROC,
    "core": resource.RLIMIT_CORE,
}


def _child(request: dict, fds: list[int], report: int) -> None:
    """Never returns. A failure before the program starts is written to `report`, which closes
    by itself when exec succeeds."""
    try:
        os.setpgid(0, 0)
        os.chdir(request["cwd"])
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
        os.dup2(report, 3)
        os.closerange(4, 1 << 16)
        os.set_inheritable(3, False)
        for name, value in request["rlimits"].items():
            resource.setrlimit(RLIMITS[name], (value, value))
        # The interpreter ignores these; a program must die of them as under a shell.
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
        signal.signal(signal.SIGXFSZ, signal.SIG_DFL)
        os.execvpe(request["argv"][0], request["argv"], request["env"])
    except BaseException as error:
        with contextlib.suppress(BaseException):
            os.write(3, repr(error).encode()[:1000])
        os._exit(126)


def _kill_leftovers() -> None:
    """As pid 1: kill(-1) reaches every other process in the container; orphans are ours."""
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


def serve_one(request: dict, fds: list[int]) -> dict:
    report_read, report_write = os.pipe2(os.O_CLOEXEC)
    started = time.monotonic()
    pid = os.fork()
    if pid == 0:
        _child(request, fds, report_write)
    os.close(report_write)
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
    with os.fdopen(report_read, "rb") as report:
        setup_error = report.read().decode(errors="replace")
    if setup_error:
        return {"setup_error": f"cannot start {request['argv'][0]}: {setup_error}"}
    return {
        "exit_code": os.WEXITSTATUS(status) if os.WIFEXITED(status) else None,
        "signal": os.WTERMSIG(status) if os.WIFSIGNALED(status) else None,
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "memory_kib": usage.ru_maxrss,
        "wall_s": wall,
        "wall_timeout": not ready,
    }


def main() -> None:
    channel = socket.socket(fileno=int(sys.argv[1]))
    os.set_inheritable(channel.fileno(), False)
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)  # runs of the same uid cannot ptrace or read it
    channel.send(json.dumps({"ready": True}).encode())
    while True:
        try:
            message, fds, _, _ = socket.recv_fds(channel, 1 << 16, 3, socket.MSG_CMSG_CLOEXEC)
        except OSError:
            return
        if not message:
            return  # the judge closed the channel
        try:
            reply = serve_one(json.loads(message), list(fds))
        except Exception as error:  # noqa: BLE001 - reported to the judge, never a hang
            for fd in fds:
                with contextlib.suppress(OSError):
                    os.close(fd)
            reply = {"error": repr(error)}
        channel.send(json.dumps(reply).encode())


if __name__ == "__main__":
    main()
