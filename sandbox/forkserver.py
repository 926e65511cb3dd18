"""The fork server: runs inside one sandbox and starts each run by fork, not by a new process.

Started by the local backend as `python3 forkserver.py SOCKET_FD SCRATCH_ROOT CLEAN_TMP
SERVER_DIR` inside bubblewrap (its own network, mount and pid namespaces, as pid 1, an
unprivileged uid), with a SOCK_SEQPACKET socket at SOCKET_FD. This file uses the standard
library only: it runs with the system interpreter, which sees nothing of the project's
installation.

Each request is one message of NUL-terminated fields (see forkserver_client.encode_request)
with its file descriptors attached (stdin, stdout, stderr, and the program: an executable to
run, or a Python source to execute). The server forks; the child gets a fresh scratch
directory, its descriptors, its rlimits and the seccomp filter, then either execs the program
(from its descriptor) or executes the Python source in this pre-initialised interpreter, which
saves the interpreter's start-up (see ARCHITECTURE.md). The server waits with a wall-clock
watchdog, kills every process the run left (it is pid 1: kill(-1) reaches them all), makes the
scratch folder anew, empties /tmp and /dev/shm, and answers with the exit status and the
resource usage.

Every Python run is a fork of this process, and a fork's cost (copying the page tables, the
child's copy-on-write faults, tearing it all down at exit) grows with the memory this process
has touched: so it imports little (no json, dataclasses, shutil or traceback; the last is
imported in a child that needs it), and its replies are formatted by hand.
"""

from __future__ import annotations

import ctypes
import errno
import gc
import io
import os
import resource
import select
import signal
import socket
import sys
import time

# isort: split
# Modules that solutions import, loaded once here so that children find them ready. Only
# cheap ones: `threading` and `random` register at-fork hooks that would cost every child
# ~0.3 ms, and a program that wants them imports them itself.
import bisect  # noqa: F401
import collections  # noqa: F401
import functools  # noqa: F401
import heapq  # noqa: F401
import itertools  # noqa: F401
import math  # noqa: F401
import re  # noqa: F401
import string  # noqa: F401

PROGRAM_FD = 3  # in the child, where the program's descriptor is moved
PR_SET_NO_NEW_PRIVS = 38
PR_SET_DUMPABLE = 4
PR_SET_SECCOMP = 22
SECCOMP_MODE_FILTER = 2
# The order of the limits in a request (forkserver_client.RLIMIT_ORDER); -1 leaves one as is.
RLIMITS = (
    resource.RLIMIT_CPU,
    resource.RLIMIT_AS,
    resource.RLIMIT_STACK,
    resource.RLIMIT_FSIZE,
    resource.RLIMIT_NOFILE,
    resource.RLIMIT_NPROC,
)
MAX_DEPTH = 32  # folders held open at once while removing a tree a run left

_libc = ctypes.CDLL(None, use_errno=True)


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def _prctl(option: int, arg: int | ctypes.c_void_p = 0) -> None:
    if _libc.prctl(option, arg, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), f"prctl({option}) failed")


class Filter:
    """The seccomp filter. The server installs it on itself, once, before any run: children
    inherit it through fork (and exec), and a run cannot remove it, only add to it on its own
    processes. Installed per run it cost ~0.2 ms of kernel time (the filter is translated and
    compiled on every install)."""

    def __init__(self, program: bytes) -> None:
        self.program = program
        self._buffer = ctypes.create_string_buffer(program, len(program))
        self._fprog = _SockFprog(len(program) // 8, ctypes.cast(self._buffer, ctypes.c_void_p))
        self._pointer = ctypes.byref(self._fprog)

    def install(self) -> None:
        _prctl(PR_SET_NO_NEW_PRIVS, 1)
        if not self.program:
            return
        if _libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, self._pointer, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "seccomp filter refused")


class Request:
    """One run, decoded from its fields: kind, wall_ms, the limits, filename, argc, argv...,
    then KEY=VALUE to the end."""

    def __init__(self, message: bytes) -> None:
        fields = [os.fsdecode(field) for field in message.split(b"\0")]
        if len(fields) < 12 or fields.pop() != "":
            raise ValueError("malformed request")
        self.kind = fields[0]
        self.wall_s = int(fields[1]) / 1000
        self.limits = [int(value) for value in fields[2:8]]
        self.filename = fields[8]
        argc = int(fields[9])
        self.argv = fields[10 : 10 + argc]
        self.env = dict(field.partition("=")[::2] for field in fields[10 + argc :])


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


def _print_exception() -> None:
    import traceback  # here, not in the server: see the module's docstring

    traceback.print_exc()


def _run_stdio() -> tuple[io.TextIOWrapper, io.TextIOWrapper, io.TextIOWrapper]:
    """A run's sys.stdin, stdout and stderr, over descriptors 0, 1 and 2.

    Built once in the server, never used there: each child takes its own copy of these
    untouched objects, over its own descriptors (dup2'd to 0, 1 and 2). Building them in every
    child cost it ~110 page faults (a third of a small run's CPU time). What they learn when
    built (that the descriptor can seek, its position 0, its block size) is true of the run's
    files too: the server's 0, 1 and 2 are /dev/null and a fresh log file, a run's are files.
    """
    stdin = io.TextIOWrapper(io.BufferedReader(io.FileIO(0, "rb", closefd=False)), "utf-8")
    stdout = io.TextIOWrapper(io.BufferedWriter(io.FileIO(1, "wb", closefd=False)), "utf-8")
    stderr = io.TextIOWrapper(
        io.FileIO(2, "wb", closefd=False),
        encoding="utf-8",
        errors="backslashreplace",
        line_buffering=True,
    )
    return stdin, stdout, stderr


_RUN_STDIO: tuple[io.TextIOWrapper, io.TextIOWrapper, io.TextIOWrapper] | None = None


# The compiler's first use in a process builds structures it keeps (~0.75 ms here, the AST
# types among them): done once in the server, no child pays for it (a child's compile of a
# one-line program went from ~1.4 ms to ~0.3 ms). Compiled, never executed.
_WARM_UP_SOURCE = """
import sys
def f(a, *b, c=1, **d):
    global g
    x = [i * i for i in range(a) if i % 2] + list({j: j for j in b}) + [*{1, 2}]
    y = lambda z: (z, -z, not z, z ** 2 // 3, z if z else None, f"{z!r:>{a}}")
    try:
        with open(__file__) as h:
            yield from (line for line in h)
    except (OSError, ValueError) as error:
        raise RuntimeError from error
    finally:
        del x
    while a > 0 and not c or d:
        a -= 1; break
    return y
class C(object):
    n: int = 0
    async def m(self):
        async for q in self:
            await q
print(*sys.argv, sep=" ", end="\\n", file=sys.stdout)
"""


def _prepare_python_runs() -> None:
    """What every Python run needs and can inherit, done once, in the server."""
    global _RUN_STDIO
    _RUN_STDIO = _run_stdio()
    compile(_WARM_UP_SOURCE, "<warm-up>", "exec")
    # Called from main, as _serve_one is: a run's module level executes above a frame at this
    # depth and _child, _run_python and exec (see _fresh_recursion_limit).
    _fresh_recursion_limit(_frames_below() + 3)


def _run_python(source: bytes, filename: str) -> int:
    main = sys.modules["__main__"]  # made for this program by _prepare_python_run
    assert _RUN_STDIO is not None and main.__file__ == filename
    sys.stdin, sys.stdout, sys.stderr = _RUN_STDIO
    sys.__stdin__, sys.__stdout__, sys.__stderr__ = _RUN_STDIO
    code = 0
    try:
        exec(compile(source, filename, "exec"), main.__dict__)
    except SystemExit as stop:
        code = _exit_code(stop.code)
    except BaseException:
        _print_exception()
        code = 1
    # As at interpreter exit: wait for non-daemon threads (solutions raise their stack size by
    # running in a thread), then flush.
    threading = sys.modules.get("threading")
    if threading is not None:
        try:
            threading._shutdown()  # type: ignore[attr-defined]
        except BaseException:
            _print_exception()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BaseException:
            code = code or 120  # as CPython does when stdout cannot be flushed
    return code


def _read_all(fd: int) -> bytes:
    chunks = []
    while chunk := os.read(fd, 1 << 20):
        chunks.append(chunk)
    return b"".join(chunks)


def _child(request: Request, fds: list[int], scratch: str) -> None:
    """Never returns. The seccomp filter and no_new_privs are already on: see Filter."""
    try:
        os.setpgid(0, 0)
        os.chdir(scratch)
        for target, fd in enumerate(fds[:3]):
            os.dup2(fd, target)
        os.dup2(fds[3], PROGRAM_FD)
        # Everything else goes, the channel to the judge first: a Python run never execs, so
        # close-on-exec would not close anything.
        os.closerange(PROGRAM_FD + 1, 1 << 16)
        for resource_id, value in zip(RLIMITS, request.limits):  # noqa: B905 - images: Python < 3.10
            if value >= 0:
                resource.setrlimit(resource_id, (value, value))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        if request.kind == "exec":
            # The interpreter ignores these; ignored signals survive exec, and a C program must
            # die of them as it would when started by a shell.
            signal.signal(signal.SIGPIPE, signal.SIG_DFL)
            signal.signal(signal.SIGXFSZ, signal.SIG_DFL)
            os.set_inheritable(PROGRAM_FD, False)
            os.execve(PROGRAM_FD, request.argv, request.env)
        source = _read_all(PROGRAM_FD)
        os.close(PROGRAM_FD)
        os._exit(_run_python(source, request.filename))
    except BaseException as error:  # a broken request or a refused limit: the judge's fault
        try:
            os.write(2, f"fork server: {error!r}\n".encode())
        finally:
            os._exit(126)


def _kill_leftovers(run_group: int) -> None:
    """Kill whatever the run left. As pid 1 of our own namespace, kill(-1) reaches every other
    process in it and nothing outside. Without a namespace it would reach every process of
    this uid (the judge's own, when the judge is not root), so only the run's group is killed.
    Orphans of the run are ours to reap (pid 1): wait until none is left."""
    while True:
        try:
            if os.getpid() == 1:
                os.kill(-1, signal.SIGKILL)  # again after each reap: none can fork its way out
            else:
                os.killpg(run_group, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        try:
            os.waitpid(-1, 0)
        except ChildProcessError:
            return
        except InterruptedError:
            pass


def _remove_contents(folder: int, top: int, depth: int = 0) -> bool:
    """Removes what is in the folder open as `folder`; True if another pass is needed. A tree
    deeper than MAX_DEPTH (a run can nest folders a million deep) is not followed down: its
    deep part is moved up to `top`, for the next pass."""
    again = False
    with os.scandir(folder) as entries:
        names = [entry.name for entry in entries]
    for name in names:
        try:
            os.unlink(name, dir_fd=folder)
            continue
        except IsADirectoryError:
            pass
        # A folder: the run may have taken its permissions away; it owns it, so do we.
        os.chmod(name, 0o700, dir_fd=folder)
        if depth >= MAX_DEPTH:
            os.rename(name, f".deep-{time.monotonic_ns()}", src_dir_fd=folder, dst_dir_fd=top)
            again = True
            continue
        sub = os.open(name, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=folder)
        try:
            again = _remove_contents(sub, top, depth + 1) or again
        finally:
            os.close(sub)
        os.rmdir(name, dir_fd=folder)
    return again


def _empty(folder: int) -> None:
    while _remove_contents(folder, folder):
        pass


class Scratch:
    """The state the next run must find, whatever this one did: the scratch root, /tmp and
    /dev/shm (in a sandbox of the server's own: `clean_tmp`) with their modes, no extended
    attributes (the next run could read them; ACLs are stored as
    such), and nothing in them but an empty "run" folder, made anew (so neither its mode nor
    anything attached to it carries over). Any failure here is raised: the judge then
    replaces this server."""

    def __init__(self, root: str, clean_tmp: bool) -> None:
        self.run = os.path.join(root, "run")
        self._root = os.open(root, os.O_RDONLY | os.O_DIRECTORY)
        # A container started with ipc_mode "none" (the docker backend) has no /dev/shm at all.
        shared = [p for p in ("/tmp", "/dev/shm") if clean_tmp and os.path.isdir(p)]
        self._shared = [os.open(path, os.O_RDONLY | os.O_DIRECTORY) for path in shared]
        self._modes = {fd: os.fstat(fd).st_mode & 0o7777 for fd in (self._root, *self._shared)}
        self.renew()

    def renew(self) -> None:
        root = self._root
        self._restore_mode(root)
        try:
            os.rmdir("run", dir_fd=root)
        except FileNotFoundError:
            pass
        except OSError:  # not an empty folder
            try:
                os.unlink("run", dir_fd=root)
            except IsADirectoryError:
                os.chmod("run", 0o700, dir_fd=root)
                run = os.open("run", os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=root)
                try:
                    _empty(run)
                finally:
                    os.close(run)
                os.rmdir("run", dir_fd=root)
        if os.listdir(root):  # the run wrote beside its own folder
            _empty(root)
        os.mkdir("run", 0o700, dir_fd=root)
        for folder in self._shared:
            self._restore_mode(folder)
            if os.listdir(folder):
                _empty(folder)

    def _restore_mode(self, fd: int) -> None:
        if os.fstat(fd).st_mode & 0o7777 != self._modes[fd]:
            os.fchmod(fd, self._modes[fd])
        try:
            attributes = os.listxattr(fd)
        except OSError as error:
            if error.errno != errno.ENOTSUP:
                raise
            return
        for name in attributes:
            os.removexattr(fd, name)


def _spawn_native(request: Request, fds: list[int], launcher: str, run: str):
    """posix_spawn (a vfork: nothing of this process is copied) of the launcher, which takes
    the limits, then becomes the program; the filter it inherits from this server."""
    limits = [str(value) for value in request.limits]
    argv = [launcher, run, "", *limits, "--", *request.argv]
    actions = [(os.POSIX_SPAWN_DUP2, fd, target) for target, fd in enumerate(fds)]
    return os.posix_spawn(
        launcher,
        argv,
        request.env,
        file_actions=actions,
        setpgroup=0,
        setsigdef=(signal.SIGPIPE, signal.SIGXFSZ),
    )


def _json(value: object) -> str:
    """The few values a reply holds, as JSON (the json module stays out of this process)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):  # noqa: UP038 - images may hold an older Python
        return repr(value)
    text = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return '"' + "".join(c if " " <= c < "\x7f" else f"\\u{ord(c):04x}" for c in text) + '"'


def _reply(**fields: object) -> bytes:
    return ("{" + ", ".join(f'"{k}": {_json(v)}' for k, v in fields.items()) + "}").encode()


_last_run: tuple[str, dict[str, str]] = ("", {})  # the filename and environment set last


def _prepare_python_run(request: Request) -> None:
    """A Python run's environment, sys.argv, sys.path and an empty __main__ module, set here
    in the server for the child to inherit, when they differ from the last run's (they do
    only when another program comes). The server never runs anything in that module, so
    every child gets it untouched (a child then takes ~15 fewer page faults)."""
    global _last_run
    if _last_run == (request.filename, request.env):
        return
    os.environ.clear()
    os.environ.update(request.env)
    main = type(sys)("__main__")
    main.__file__ = request.filename
    main.__builtins__ = __builtins__
    sys.modules["__main__"] = main
    sys.argv = [request.filename]
    sys.path[0] = os.path.dirname(request.filename)
    _last_run = (request.filename, request.env)


def _serve_one(request: Request, fds: list[int], setup: Setup) -> bytes:
    started = time.monotonic()
    if request.kind == "exec" and setup.launcher:
        pid = _spawn_native(request, fds, setup.launcher, setup.scratch.run)
    else:
        _prepare_python_run(request)
        pid = os.fork()
        if pid == 0:
            _child(request, fds, setup.scratch.run)
    for fd in fds:
        os.close(fd)
    pidfd = os.pidfd_open(pid)
    try:
        ready, _, _ = select.select([pidfd], [], [], request.wall_s)
    finally:
        os.close(pidfd)
    timed_out = not ready
    if timed_out:
        os.killpg(pid, signal.SIGKILL)
    _, status, usage = os.wait4(pid, 0)
    wall = time.monotonic() - started
    _kill_leftovers(pid)
    setup.scratch.renew()
    return _reply(
        exit_code=os.WEXITSTATUS(status) if os.WIFEXITED(status) else None,
        signal=os.WTERMSIG(status) if os.WIFSIGNALED(status) else None,
        cpu_s=usage.ru_utime + usage.ru_stime,
        memory_kib=usage.ru_maxrss,
        wall_s=wall,
        wall_timeout=timed_out,
    )


class Setup:
    """argv: SOCKET_FD SCRATCH_ROOT CLEAN_TMP(0|1) SERVER_DIR; the server folder may hold
    `seccomp.bpf` (the filter) and `launcher` (see launcher.c)."""

    def __init__(self, argv: list[str]) -> None:
        server_dir = argv[4]
        seccomp_file = os.path.join(server_dir, "seccomp.bpf")
        program = b""
        if os.path.isfile(seccomp_file):
            with open(seccomp_file, "rb") as bpf:
                program = bpf.read()
        self.seccomp = Filter(program)
        launcher = os.path.join(server_dir, "launcher")
        # "" when there is none: native programs then start by fork and exec too.
        self.launcher = launcher if os.access(launcher, os.X_OK) else ""
        self.scratch = Scratch(argv[2], argv[3] == "1")


def main() -> None:
    channel = socket.socket(fileno=int(sys.argv[1]))
    os.set_inheritable(channel.fileno(), False)
    setup = Setup(sys.argv)
    _prctl(PR_SET_DUMPABLE, 0)  # runs of the same uid cannot ptrace or read the server
    setup.seccomp.install()  # on the server itself, so on every run: see Filter
    _prepare_python_runs()
    channel.send(_reply(ready=True, pid=os.getpid(), server="python"))
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
            reply = _serve_one(Request(message), list(fds), setup)
        except Exception as error:  # noqa: BLE001 - reported to the judge, never a hang
            for fd in fds:
                try:  # noqa: SIM105 - contextlib stays out of this process
                    os.close(fd)
                except OSError:
                    pass
            reply = _reply(error=repr(error))
        channel.send(reply)


if __name__ == "__main__":
    main()
