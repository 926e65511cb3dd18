"""The fork server: runs inside one sandbox and starts each run by fork, not by a new process.

Started by the local backend as `python3 forkserver.py SECCOMP_HEX` inside bubblewrap (its own
network, mount and pid namespaces, as pid 1, an unprivileged uid), with a SOCK_SEQPACKET socket
on fd 3. This file uses the standard library only: it runs with the system interpreter, which
sees nothing of the project's installation.

Each request is one JSON message with its file descriptors attached (stdin, stdout, stderr, and
the program: an executable to run, or a Python source to execute). The server forks; the child
gets a fresh scratch directory, its descriptors, its rlimits and the seccomp filter, then either
execs the program (from its descriptor) or executes the Python source in this pre-initialised
interpreter, which saves the interpreter's start-up (see ARCHITECTURE.md). The server waits with
a wall-clock watchdog, kills every process the run left (it is pid 1: kill(-1) reaches them
all), cleans the scratch and /tmp, and answers with the exit status and the resource usage.
"""

from __future__ import annotations

import contextlib
import ctypes
import dataclasses
import gc
import json
import os
import resource
import select
import shutil
import signal
import socket
import sys
import time
import traceback
import types

# isort: split
# Modules that solutions import, loaded once here so that children find them ready. Only
# cheap ones: `threading` and `random` register at-fork hooks that would cost every child
# ~0.3 ms, and a program that wants them imports them itself.
import bisect  # noqa: F401
import collections  # noqa: F401
import functools  # noqa: F401
import heapq  # noqa: F401
import io
import itertools  # noqa: F401
import math  # noqa: F401
import re  # noqa: F401
import string  # noqa: F401

PROGRAM_FD = 3  # in the child, where the program's descriptor is moved
PR_SET_NO_NEW_PRIVS = 38
PR_SET_DUMPABLE = 4
PR_SET_SECCOMP = 22
SECCOMP_MODE_FILTER = 2
RLIMITS = {
    "cpu": resource.RLIMIT_CPU,
    "as": resource.RLIMIT_AS,
    "stack": resource.RLIMIT_STACK,
    "fsize": resource.RLIMIT_FSIZE,
    "nofile": resource.RLIMIT_NOFILE,
    "nproc": resource.RLIMIT_NPROC,
    "core": resource.RLIMIT_CORE,
}

_libc = ctypes.CDLL(None, use_errno=True)


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def _prctl(option: int, arg: int | ctypes.c_void_p = 0) -> None:
    if _libc.prctl(option, arg, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), f"prctl({option}) failed")


def _install_seccomp(program: bytes) -> None:
    _prctl(PR_SET_NO_NEW_PRIVS, 1)
    if not program:
        return
    buffer = ctypes.create_string_buffer(program, len(program))
    fprog = _SockFprog(len(program) // 8, ctypes.cast(buffer, ctypes.c_void_p))
    if _libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(fprog), 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "seccomp filter refused")


def _exit_code(code: object) -> int:
    """What SystemExit(code) means as an exit status, as the interpreter decides it."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    print(code, file=sys.stderr)
    return 1


def _frames_below() -> int:
    """How many frames the server's own calls put under the program's module level."""
    depth, frame = 0, sys._getframe(1)
    while frame is not None:
        depth, frame = depth + 1, frame.f_back
    return depth


def _fresh_recursion_limit(offset: int) -> None:
    """The program sees a fresh interpreter's recursion limit and depth: its limits count from
    its own module level, not from under the server's frames (a solution that sets exactly the
    depth it needs must not fail here when it passes elsewhere)."""
    set_limit, get_limit = sys.setrecursionlimit, sys.getrecursionlimit
    default = get_limit()

    def setrecursionlimit(limit: int) -> None:
        set_limit(limit + offset)

    def getrecursionlimit() -> int:
        return get_limit() - offset

    sys.setrecursionlimit = setrecursionlimit
    sys.getrecursionlimit = getrecursionlimit
    set_limit(default + offset)


def _run_python(source: bytes, filename: str) -> int:
    # The program's module level runs two frames below this one (exec and the module).
    _fresh_recursion_limit(_frames_below() + 1)
    main = types.ModuleType("__main__")
    main.__file__ = filename
    main.__builtins__ = __builtins__
    sys.modules["__main__"] = main
    sys.argv = [filename]
    sys.path[0] = os.path.dirname(filename)
    sys.stdin = sys.__stdin__ = io.TextIOWrapper(
        io.BufferedReader(io.FileIO(0, "rb", closefd=False)), encoding="utf-8"
    )
    sys.stdout = sys.__stdout__ = io.TextIOWrapper(
        io.BufferedWriter(io.FileIO(1, "wb", closefd=False)), encoding="utf-8"
    )
    sys.stderr = sys.__stderr__ = io.TextIOWrapper(
        io.FileIO(2, "wb", closefd=False),
        encoding="utf-8",
        errors="backslashreplace",
        line_buffering=True,
    )
    code = 0
    try:
        exec(compile(source, filename, "exec"), main.__dict__)
    except SystemExit as stop:
        code = _exit_code(stop.code)
    except BaseException:
        traceback.print_exc()
        code = 1
    # As at interpreter exit: wait for non-daemon threads (solutions raise their stack size by
    # running in a thread), then flush.
    threading = sys.modules.get("threading")
    if threading is not None:
        try:
            threading._shutdown()  # type: ignore[attr-defined]
        except BaseException:
            traceback.print_exc()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BaseException:
            code = code or 120  # as CPython does when stdout cannot be flushed
    return code


def _child(request: dict, fds: list[int], seccomp: bytes, scratch: str) -> None:
    """Never returns."""
    try:
        os.setpgid(0, 0)
        os.chdir(scratch)
        for target, fd in enumerate(fds[:3]):
            os.dup2(fd, target)
        os.dup2(fds[3], PROGRAM_FD)
        os.closerange(PROGRAM_FD + 1, 1 << 16)
        for name, value in request["rlimits"].items():
            resource.setrlimit(RLIMITS[name], (value, value))
        _install_seccomp(seccomp)
        if request["kind"] == "exec":
            # The interpreter ignores these; ignored signals survive exec, and a C program must
            # die of them as it would when started by a shell.
            signal.signal(signal.SIGPIPE, signal.SIG_DFL)
            signal.signal(signal.SIGXFSZ, signal.SIG_DFL)
            os.set_inheritable(PROGRAM_FD, False)
            os.execve(PROGRAM_FD, request["argv"], request["env"])
        with os.fdopen(PROGRAM_FD, "rb") as program:
            source = program.read()
        os.environ.clear()
        os.environ.update(request["env"])
        os._exit(_run_python(source, request["filename"]))
    except BaseException as error:  # a broken request or a refused limit: the judge's fault
        try:
            os.write(2, f"fork server: {error!r}\n".encode())
        finally:
            os._exit(126)


def _kill_leftovers(run_group: int) -> None:
    """Kill whatever the run left. As pid 1 of our own namespace, kill(-1) reaches every other
    process in it and nothing outside. Without a namespace it would reach every process of
    this uid (the judge's own, when the judge is not root), so only the run's group is killed."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        if os.getpid() == 1:
            os.kill(-1, signal.SIGKILL)
        else:
            os.killpg(run_group, signal.SIGKILL)
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            time.sleep(0.0005)


def _remove(path: str) -> None:
    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(OSError):
            os.unlink(path)


def _clean(folder: str) -> None:
    for entry in os.listdir(folder):
        _remove(os.path.join(folder, entry))


def _spawn_native(request: dict, fds: list[int], launcher: str, seccomp_file: str, scratch: str):
    """posix_spawn (a vfork: nothing of this process is copied) of the launcher, which takes
    the limits and the filter, then becomes the program."""
    rlimits = request["rlimits"]
    limits = [str(rlimits.get(name, -1)) for name in ("cpu", "as", "stack", "fsize", "nofile")]
    limits.append(str(rlimits.get("nproc", -1)))
    argv = [launcher, scratch, seccomp_file, *limits, "--", *request["argv"]]
    actions = [(os.POSIX_SPAWN_DUP2, fd, target) for target, fd in enumerate(fds)]
    return os.posix_spawn(
        launcher,
        argv,
        request["env"],
        file_actions=actions,
        setpgroup=0,
        setsigdef=(signal.SIGPIPE, signal.SIGXFSZ),
    )


def _fresh_scratch(scratch: str) -> None:
    """The run folder, empty and writable, whatever the last run did to it."""
    if not os.path.isdir(scratch) or os.path.islink(scratch):
        with contextlib.suppress(OSError):
            os.unlink(scratch)
        os.mkdir(scratch, 0o700)
    os.chmod(scratch, 0o700)
    if os.listdir(scratch):
        _clean(scratch)


def _serve_one(request: dict, fds: list[int], setup: Setup) -> dict:
    scratch = os.path.join(setup.scratch_root, "run")
    started = time.monotonic()
    if request["kind"] == "exec" and setup.launcher:
        pid = _spawn_native(request, fds, setup.launcher, setup.seccomp_file, scratch)
    else:
        pid = os.fork()
        if pid == 0:
            _child(request, fds, setup.seccomp, scratch)
    for fd in fds:
        os.close(fd)
    pidfd = os.pidfd_open(pid)
    try:
        ready, _, _ = select.select([pidfd], [], [], request["wall_s"])
    finally:
        os.close(pidfd)
    timed_out = not ready
    if timed_out:
        os.killpg(pid, signal.SIGKILL)
    _, status, usage = os.wait4(pid, 0)
    wall = time.monotonic() - started
    _kill_leftovers(pid)
    _fresh_scratch(scratch)
    if len(os.listdir(setup.scratch_root)) > 1:  # the run wrote beside its own folder
        for entry in os.listdir(setup.scratch_root):
            if entry != "run":
                _remove(os.path.join(setup.scratch_root, entry))
    if setup.clean_tmp and os.listdir("/tmp"):
        _clean("/tmp")
    return {
        "exit_code": os.WEXITSTATUS(status) if os.WIFEXITED(status) else None,
        "signal": os.WTERMSIG(status) if os.WIFSIGNALED(status) else None,
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "memory_kib": usage.ru_maxrss,
        "wall_s": wall,
        "wall_timeout": timed_out,
    }


@dataclasses.dataclass(frozen=True)
class Setup:
    scratch_root: str
    clean_tmp: bool
    seccomp: bytes
    seccomp_file: str  # "" when there is no filter
    launcher: str  # "" when there is none: native programs then start by fork and exec too


def _setup(argv: list[str]) -> Setup:
    """argv: SOCKET_FD SCRATCH_ROOT CLEAN_TMP(0|1) SERVER_DIR; the server folder may hold
    `seccomp.bpf` (the filter) and `launcher` (see launcher.c)."""
    server_dir = argv[4]
    seccomp_file = os.path.join(server_dir, "seccomp.bpf")
    seccomp = b""
    if os.path.isfile(seccomp_file):
        with open(seccomp_file, "rb") as bpf:
            seccomp = bpf.read()
    launcher = os.path.join(server_dir, "launcher")
    return Setup(
        scratch_root=argv[2],
        clean_tmp=argv[3] == "1",
        seccomp=seccomp,
        seccomp_file=seccomp_file if seccomp else "",
        launcher=launcher if os.access(launcher, os.X_OK) else "",
    )


def main() -> None:
    channel = socket.socket(fileno=int(sys.argv[1]))
    os.set_inheritable(channel.fileno(), False)
    setup = _setup(sys.argv)
    _prctl(PR_SET_DUMPABLE, 0)  # runs of the same uid cannot ptrace or read the server
    channel.send(json.dumps({"ready": True, "pid": os.getpid()}).encode())
    _fresh_scratch(os.path.join(setup.scratch_root, "run"))
    # Everything loaded so far lives on in every child; frozen, the collector never walks it,
    # so a child's collections do not copy the server's pages (copy-on-write) for nothing.
    gc.collect()
    gc.freeze()
    while True:
        try:
            # Close-on-exec from the start: only the run's own descriptors reach it, by dup2.
            message, fds, _, _ = socket.recv_fds(channel, 1 << 16, 8, socket.MSG_CMSG_CLOEXEC)
        except (ConnectionError, OSError):
            return
        if not message:
            return  # the judge closed the channel
        try:
            reply = _serve_one(json.loads(message), list(fds), setup)
        except Exception as error:  # noqa: BLE001 - reported to the judge, never a hang
            for fd in fds:
                with contextlib.suppress(OSError):
                    os.close(fd)
            reply = {"error": repr(error)}
        channel.send(json.dumps(reply).encode())


if __name__ == "__main__":
    main()
