"""Runs untrusted programs on this machine, isolated in layers.

Layers, each reported by `LocalBackend.protections()`:
- bubblewrap (`bwrap`): new user, network, pid, ipc and uts namespaces (no network; every
  descendant dies with the run), a mount namespace that shows a read-only system (/usr, /etc),
  the program read-only at /program, a private scratch directory at /scratch and an empty /tmp,
  and nothing else: no problem data, no home directories, no other run's files;
- an unprivileged uid of its own per concurrent run (when the judge runs as root), so runs
  cannot signal or read one another and RLIMIT_NPROC counts this run's processes only;
- rlimits, set before the program starts (by `prlimit` for box runs, by the fork server's
  child for C, C++ and Python runs): CPU time, address space, stack, file size (output), open
  files, processes, no core files;
- a seccomp filter, on every fork server and so on each of its runs (sandbox/seccomp.py);
- a wall-clock watchdog that kills the run's whole process group.

C, C++ and Python runs go through warm fork servers, one per worker, each in a sandbox of its
own as above (sandbox/forkserver.py for Python, launcher.c's server mode for native programs):
a run costs a fork (Python) or a vfork and an exec (native) instead of starting bubblewrap.

Where bubblewrap is missing or cannot create namespaces, runs still get the uid and rlimits,
and a one-line warning says what is missing.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import platform
import queue
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from sandbox import forkserver, seccomp
from sandbox.backends.forkserver_client import SERVER_STACK_BYTES, ForkServer
from sandbox.backends.uids import FIRST_UID, UID_RANGE, UidPool
from sandbox.cache import default_cache_dir
from sandbox.errors import IsolationError
from sandbox.languages import PYTHON, Language
from sandbox.limits import Limits

SANDBOX_SLOTS = 64  # concurrent boxes and fork servers in one judge; each holds one uid
MAX_FORK_SERVERS = 16  # of each kind: Python servers, and native ones (launcher.c) for C/C++
SETUP_ATTEMPTS = 5
KILL_WAIT_S = 5.0  # for a killed run's sandboxed processes to be gone
STDERR_KEPT_BYTES = 4096
TMPFS_BYTES = 64 * 1024 * 1024
MIB = 1024 * 1024

# What a sandboxed program sees at these paths.
BOX_PROGRAM = "/program"
BOX_SCRATCH = "/scratch"

CLEAN_ENV = {
    "PATH": "/usr/local/bin:/usr/bin:/bin",
    "LANG": "C.UTF-8",
    "LC_ALL": "C.UTF-8",
}
FAST_RUN_ENV = dict(CLEAN_ENV, HOME=BOX_SCRATCH, TMPDIR="/tmp")  # a fork server's runs


@dataclass(frozen=True)
class Protection:
    name: str
    active: bool
    detail: str


@dataclass(frozen=True)
class RunResult:
    """What happened to one run; the judge turns it into a verdict."""

    exit_code: int | None  # None when the process was killed by a signal
    signal: int | None
    cpu_s: float
    wall_s: float
    memory_kib: int
    wall_timeout: bool
    stdout_path: Path
    stdout_bytes: int
    output_limit_hit: bool
    stderr: bytes  # the first STDERR_KEPT_BYTES

    @property
    def exited_cleanly(self) -> bool:
        return self.exit_code == 0 and not self.wall_timeout


def _warn(message: str) -> None:
    print(f"warning: {message}", file=sys.stderr)


class LocalBackend:
    """Creates boxes: a staged program, a scratch directory and a uid, for one or many runs."""

    def __init__(self, *, use_bwrap: bool = True, warn: bool = True) -> None:
        tmp = _memory_backed_tmp()
        _remove_stale_roots(Path(tmp or tempfile.gettempdir()))
        # The pid in the name lets a later judge remove this folder if the process is killed.
        self._root = Path(tempfile.mkdtemp(prefix=f"solver-judge-{os.getpid()}-", dir=tmp))
        self._root.chmod(0o711)
        self._switch_uid = os.geteuid() == 0
        self._uids = UidPool(SANDBOX_SLOTS) if self._switch_uid else _OwnUid()
        self._box_numbers = itertools.count()
        self._prlimit = shutil.which("prlimit")
        if self._prlimit is None:
            raise IsolationError("prlimit (util-linux) not found: it sets every run's rlimits")
        self._bwrap: str | None = None
        self._bwrap_problem = "disabled by the caller"
        if use_bwrap:
            self._bwrap, self._bwrap_problem = self._probe_bwrap()
        self._seccomp = seccomp.filter_program()
        # Idle fork servers by kind: "python" (forkserver.py) and, where the launcher built,
        # "exec" (launcher.c's server mode: no interpreter between runs of native programs).
        self._servers: dict[str, queue.Queue[ForkServer]] = {
            "python": queue.Queue(),
            "exec": queue.Queue(),
        }
        self._server_uids: dict[int, int] = {}
        self._server_counts = {"python": 0, "exec": 0}
        self._server_lock = threading.Lock()
        server_program = self._root / "server-program"
        server_program.mkdir(mode=0o755)
        shutil.copyfile(forkserver.__file__, server_program / "forkserver.py")
        (server_program / "forkserver.py").chmod(0o644)
        if self._seccomp is not None:
            (server_program / "seccomp.bpf").write_bytes(self._seccomp)
            (server_program / "seccomp.bpf").chmod(0o644)
        self._launcher_problem = _install_launcher(server_program / "launcher")
        self._server_program = server_program
        if warn and self._bwrap is None:
            _warn(
                f"no namespace isolation ({self._bwrap_problem}): candidates can reach the "
                "network and read world-readable files; install Debian's bubblewrap"
            )
        if warn and not self._switch_uid:
            _warn("not running as root: candidates run as the current user, not a uid of their own")

    # -- lifecycle ---------------------------------------------------------------------------

    def close(self) -> None:
        for servers in self._servers.values():
            while True:
                try:
                    servers.get_nowait().close()
                except queue.Empty:
                    break
        shutil.rmtree(self._root, ignore_errors=True)
        self._uids.close()

    def __enter__(self) -> LocalBackend:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- facts -------------------------------------------------------------------------------

    @property
    def isolated(self) -> bool:
        return self._bwrap is not None

    def protections(self) -> list[Protection]:
        ns = self._bwrap is not None
        why_not = self._bwrap_problem
        return [
            Protection("network namespace (no network)", ns, "bubblewrap" if ns else why_not),
            Protection(
                "mount namespace (read-only system, private scratch, no test data)",
                ns,
                "bubblewrap" if ns else why_not,
            ),
            Protection(
                "pid namespace (every descendant dies with the run)",
                ns,
                "bubblewrap" if ns else "process group kill and kill -1 as the run's uid",
            ),
            Protection(
                "unprivileged uid per run",
                self._switch_uid,
                f"uids from {FIRST_UID}-{FIRST_UID + UID_RANGE - 1}, one judge process each"
                if self._switch_uid
                else "the judge is not root: runs use the current user",
            ),
            Protection(
                "rlimits (CPU, memory, stack, output, files, processes)",
                True,
                "set in each run by the fork servers (C, C++, Python), by prlimit elsewhere",
            ),
            Protection(
                "seccomp filter (no ptrace, mount, kernel calls, sockets but AF_UNIX)",
                self._seccomp is not None,
                "on every fork server, inherited by each C, C++ and Python run; also no SysV "
                "IPC or POSIX message queues (they would outlive a run)"
                if self._seccomp is not None
                else "no system call table for this architecture",
            ),
            Protection("wall-clock watchdog", True, "kills the run's process group"),
            Protection(
                "native fork server (C and C++ runs start by vfork, no interpreter per run)",
                not self._launcher_problem,
                self._launcher_problem or "launcher.c in server mode, compiled once and cached",
            ),
        ]

    def build_key(self, language: Language) -> str:
        """What the compile cache's key adds for this backend: nothing, the compilers are this
        machine's own (their versions are in the key already)."""
        return ""

    # -- boxes -------------------------------------------------------------------------------

    @contextmanager
    def box(
        self, program_dir: Path | None = None, *, language: Language | None = None
    ) -> Iterator[Box]:
        """A box for one program: its files staged read-only, a scratch directory, a uid.
        `language` picks an environment where a backend has one per language (docker images);
        here every language runs on this machine's toolchains."""
        uid = self._uids.acquire()
        box_dir = self._root / f"box-{next(self._box_numbers)}"
        try:
            box_dir.mkdir(mode=0o711)
            program = box_dir / "program"
            program.mkdir(mode=0o755)
            if program_dir is not None:
                _stage(program_dir, program)
            private = box_dir / "private"
            private.mkdir(mode=0o700)
            box = Box(self, uid, box_dir, program, private)
            box.reset_scratch()
            yield box
        finally:
            self._reap(uid)
            shutil.rmtree(box_dir, ignore_errors=True)
            self._uids.release(uid)

    @contextmanager
    def private_dir(self) -> Iterator[Path]:
        """A folder for the judge's own files (outputs): no sandboxed program can see it."""
        folder = Path(tempfile.mkdtemp(dir=self._root, prefix="private-"))
        try:
            yield folder
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    def run_fast(
        self,
        *,
        kind: str,
        program: Path,
        argv: Sequence[str],
        stdin: Path | None,
        stdout: Path,
        limits: Limits,
        limit_address_space: bool = True,
        language: Language | None = None,
    ) -> RunResult:
        """One run through a fork server: `kind` "exec" runs the executable `program`,
        "python" executes the Python source `program` in the server's interpreter."""
        stderr = stdout.with_name(stdout.name + ".stderr")
        # Native programs go to a native server; without a launcher, the Python server forks
        # and execs them itself.
        server_kind = "exec" if kind == "exec" and not self._launcher_problem else "python"
        for attempt in (1, 2):
            server = self._acquire_server(server_kind)
            try:
                reply = server.run(
                    kind=kind,
                    program=program,
                    argv=argv,
                    filename=f"{BOX_PROGRAM}/{program.name}",
                    stdin=stdin,
                    stdout=stdout,
                    stderr=stderr,
                    limits=limits,
                    limit_address_space=limit_address_space,
                    env=FAST_RUN_ENV,
                )
            except IsolationError:
                self._discard_server(server_kind, server)
                if attempt == 2:
                    raise
                continue
            self._servers[server_kind].put(server)
            break
        stdout_bytes = stdout.stat().st_size
        stderr_text = b""
        if stderr.stat().st_size:
            with open(stderr, "rb") as stderr_file:
                stderr_text = stderr_file.read(STDERR_KEPT_BYTES)
        return RunResult(
            exit_code=reply["exit_code"],
            signal=reply["signal"],
            cpu_s=reply["cpu_s"],
            wall_s=reply["wall_s"],
            memory_kib=reply["memory_kib"],
            wall_timeout=reply["wall_timeout"],
            stdout_path=stdout,
            stdout_bytes=stdout_bytes,
            output_limit_hit=stdout_bytes >= limits.output_mib * MIB,
            stderr=stderr_text,
        )

    # -- internals ---------------------------------------------------------------------------

    def _acquire_server(self, kind: str) -> ForkServer:
        try:
            return self._servers[kind].get_nowait()
        except queue.Empty:
            pass
        with self._server_lock:
            start = self._server_counts[kind] < MAX_FORK_SERVERS
            if start:
                self._server_counts[kind] += 1
        if not start:
            return self._servers[kind].get()
        try:
            return self._start_server(kind)
        except BaseException:
            with self._server_lock:
                self._server_counts[kind] -= 1
            raise

    def _discard_server(self, kind: str, server: ForkServer) -> None:
        server.close()
        self._uids.release(self._server_uids.pop(id(server)))
        with self._server_lock:
            self._server_counts[kind] -= 1

    def _start_server(self, kind: str) -> ForkServer:
        uid = self._uids.acquire()
        scratch = Path(tempfile.mkdtemp(dir=self._root, prefix="server-scratch-"))
        if self._switch_uid:
            os.chown(scratch, uid, uid)

        log_path = self._root / f"{scratch.name}.log"

        def launch(argv: list[str], channel_fd: int) -> subprocess.Popen:
            command = [
                self._prlimit or "prlimit",
                f"--stack={SERVER_STACK_BYTES}",
                "--core=0",
                "--",
            ]
            folder = BOX_PROGRAM if self._bwrap is not None else str(self._server_program)
            if kind == "exec":
                server = [f"{folder}/launcher", "--serve"]
            else:
                server = [PYTHON, f"{folder}/forkserver.py"]
            if self._bwrap is not None:
                # No --die-with-parent: a server exits by itself when its channel closes,
                # which the kernel does when the judge exits, however it exits.
                box = self._bwrap_args(self._server_program, None, die_with_parent=False)
                command += [self._bwrap, *box, "--"]
            command += [*server, *argv]
            log = open(log_path, "wb")  # noqa: SIM115 - the server's own errors; Popen keeps it
            return subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                pass_fds=[channel_fd],
                env=dict(CLEAN_ENV),
                cwd=scratch,
                start_new_session=True,
                **self._user_kwargs(uid),  # type: ignore[arg-type]
            )

        try:
            server = ForkServer(
                launcher=launch,
                server_argv=[],
                scratch_root_in_box=BOX_SCRATCH if self._bwrap is not None else str(scratch),
                clean_tmp=self._bwrap is not None,
                server_dir_in_box=BOX_PROGRAM
                if self._bwrap is not None
                else str(self._server_program),
                log=log_path,
            )
        except BaseException:
            self._uids.release(uid)
            raise
        self._server_uids[id(server)] = uid
        return server

    def _probe_bwrap(self) -> tuple[str | None, str]:
        bwrap = shutil.which("bwrap")
        if bwrap is None:
            return None, "bubblewrap (bwrap) is not installed"
        probe = self._root / "probe"
        probe.mkdir(mode=0o777)
        try:
            uid = self._uids.acquire()
            try:
                done = subprocess.run(
                    [bwrap, *self._bwrap_args(probe, probe), "--", "/bin/true"],
                    capture_output=True,
                    timeout=30,
                    check=False,
                    **self._user_kwargs(uid),
                )
            finally:
                self._uids.release(uid)
        except (OSError, subprocess.TimeoutExpired) as error:
            return None, f"bubblewrap failed to start: {error}"
        if done.returncode != 0:
            first_line = done.stderr.decode(errors="replace").strip().splitlines()[:1]
            return None, f"bubblewrap cannot create namespaces here: {''.join(first_line)}"
        return bwrap, ""

    def _user_kwargs(self, uid: int) -> dict[str, object]:
        if not self._switch_uid:
            return {}
        return {"user": uid, "group": uid, "extra_groups": []}

    def _bwrap_args(
        self, program: Path, scratch: Path | None, *, die_with_parent: bool = True
    ) -> list[str]:
        """Without a `scratch` folder, /scratch is a size-capped tmpfs that only the sandbox
        sees (the host disk is slow at creating and removing files)."""
        args = [
            "--unshare-all",
            "--new-session",
            "--hostname",
            "sandbox",
            "--ro-bind",
            "/usr",
            "/usr",
            "--ro-bind",
            "/etc",
            "/etc",
        ]
        for top in ("bin", "sbin", "lib", "lib32", "lib64", "libx32"):
            host = Path("/") / top
            if host.is_symlink():
                args += ["--symlink", os.readlink(host), f"/{top}"]
            elif host.is_dir():
                args += ["--ro-bind", str(host), f"/{top}"]
        args += ["--proc", "/proc", "--dev", "/dev", "--size", str(TMPFS_BYTES), "--tmpfs", "/tmp"]
        # bubblewrap's /dev is a tmpfs without a size limit: /dev/shm gets a capped one.
        args += ["--size", str(TMPFS_BYTES), "--tmpfs", "/dev/shm"]
        args += ["--ro-bind", str(program), BOX_PROGRAM]
        if scratch is None:
            args += ["--size", str(TMPFS_BYTES), "--tmpfs", BOX_SCRATCH]
        else:
            args += ["--bind", str(scratch), BOX_SCRATCH]
        args += ["--chdir", BOX_SCRATCH]
        # The program is pid 1 of its namespace: bwrap then waits for it directly, so its CPU
        # time and peak memory reach our wait4, and when it exits the kernel kills everything
        # it left behind in the namespace.
        args.append("--as-pid-1")
        if die_with_parent:
            # Linux delivers this when the *thread* that started bwrap ends: right for a run
            # waited on by that thread, wrong for a fork server that outlives it.
            args.append("--die-with-parent")
        # bwrap's root is a tmpfs without a size limit: make it read-only.
        args += ["--remount-ro", "/"]
        return args

    def _reap(self, uid: int) -> None:
        """Kill whatever the run left behind (without namespaces, a daemon could outlive it)."""
        if self._bwrap is not None or not self._switch_uid:
            return
        subprocess.run(["/bin/kill", "-9", "-1"], check=False, capture_output=True, user=uid)


class _OwnUid:
    """Without root, every sandbox runs as the judge's own user."""

    def acquire(self) -> int:
        return os.geteuid()

    def release(self, uid: int) -> None:
        pass

    def close(self) -> None:
        pass


class Box:
    """One program staged for running, many times, as one uid."""

    def __init__(
        self, backend: LocalBackend, uid: int, box_dir: Path, program: Path, private: Path
    ) -> None:
        self._backend = backend
        self._uid = uid
        self._dir = box_dir
        self.program_dir = program
        self.scratch_dir = box_dir / "scratch"
        self._private = private
        self._runs = itertools.count()

    @property
    def program_root(self) -> str:
        """The program directory as the running program sees it."""
        return BOX_PROGRAM if self._backend.isolated else str(self.program_dir)

    @property
    def scratch_root(self) -> str:
        return BOX_SCRATCH if self._backend.isolated else str(self.scratch_dir)

    def reset_scratch(self) -> None:
        """An empty scratch directory, writable by this box's uid only."""
        if self.scratch_dir.exists():
            shutil.rmtree(self.scratch_dir, onerror=_force_remove)
        self.scratch_dir.mkdir(mode=0o700)
        if self._backend._switch_uid:
            os.chown(self.scratch_dir, self._uid, self._uid)

    def writable_dir(self, name: str) -> Path:
        """A folder in scratch that the program may write to (it is owned by the box's uid)."""
        folder = self.scratch_dir / name
        folder.mkdir()
        if self._backend._switch_uid:
            os.chown(folder, self._uid, self._uid)
        return folder

    def run(
        self,
        argv: Sequence[str],
        *,
        stdin: Path | None,
        limits: Limits,
        limit_address_space: bool = True,
    ) -> RunResult:
        """Runs `argv` in the box. A sandbox that could not be created for a passing reason
        (the kernel still tearing down the last run's namespace) is tried again."""
        for attempt in range(SETUP_ATTEMPTS):
            result = self._run_once(
                argv, stdin=stdin, limits=limits, limit_address_space=limit_address_space
            )
            if not transient_setup_failure(self._backend.isolated, result):
                return result
            time.sleep(0.05 * 2**attempt)
        return result

    def _run_once(
        self,
        argv: Sequence[str],
        *,
        stdin: Path | None,
        limits: Limits,
        limit_address_space: bool = True,
    ) -> RunResult:
        number = next(self._runs)
        stdout_path = self._private / f"stdout-{number}"
        stderr_path = self._private / f"stderr-{number}"
        with (
            open(stdin, "rb") if stdin is not None else open(os.devnull, "rb") as stdin_file,
            open(stdout_path, "wb") as stdout_file,
            open(stderr_path, "wb") as stderr_file,
        ):
            started = time.monotonic()
            process = self.spawn(
                argv,
                stdin=stdin_file.fileno(),
                stdout=stdout_file.fileno(),
                stderr=stderr_file.fileno(),
                limits=limits,
                limit_address_space=limit_address_space,
            )
            wall_timeout = not _wait_for_exit(process.pid, limits.wall_limit_s)
            if wall_timeout:
                kill_run(process)
        return self.collect(
            process,
            started=started,
            wall_timeout=wall_timeout,
            stdout_path=stdout_path,
            stderr_path=stderr_path,
            limits=limits,
        )

    def spawn(
        self,
        argv: Sequence[str],
        *,
        stdin: int,
        stdout: int,
        stderr: int,
        limits: Limits,
        limit_address_space: bool = True,
        pass_fds: Sequence[int] = (),
    ) -> subprocess.Popen:
        """Starts `argv` in the box on the given descriptors (and `pass_fds`, under their own
        numbers) and returns at once. The caller waits for it (a watchdog of its own, `kill_run`
        to stop it) and then calls `collect`: two programs that talk through pipes (interactive
        problems) run side by side."""
        backend = self._backend
        memory = limits.memory_mib * MIB
        rlimits = [
            f"--cpu={limits.cpu_rlimit_s}",
            f"--stack={memory}",
            f"--fsize={limits.output_mib * MIB}",
            "--nofile=256",
            f"--nproc={limits.processes}",
            "--core=0",
        ]
        if limit_address_space:
            rlimits.append(f"--as={memory}")
        command = [backend._prlimit or "prlimit", *rlimits, "--"]
        if backend._bwrap is not None:
            command += [
                backend._bwrap,
                *backend._bwrap_args(self.program_dir, self.scratch_dir),
                "--",
            ]
        command += list(argv)
        env = dict(CLEAN_ENV, HOME=self.scratch_root, TMPDIR="/tmp")
        try:
            return subprocess.Popen(
                command,
                stdin=stdin,
                stdout=stdout,
                stderr=stderr,
                env=env,
                cwd=self.scratch_dir,
                start_new_session=True,
                pass_fds=tuple(pass_fds),
                **backend._user_kwargs(self._uid),  # type: ignore[arg-type]
            )
        except OSError as error:
            raise IsolationError(f"cannot start {argv[0]}: {error}") from error

    def collect(
        self,
        process: subprocess.Popen,
        *,
        started: float,
        wall_timeout: bool,
        stdout_path: Path,
        stderr_path: Path,
        limits: Limits,
    ) -> RunResult:
        """Reaps a run started by `spawn` (it has exited or been killed) and says what it did."""
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.monotonic() - started
        process.returncode = os.waitstatus_to_exitcode(status)  # Popen must not wait again
        backend = self._backend
        backend._reap(self._uid)

        exit_code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else None
        killed_by = os.WTERMSIG(status) if os.WIFSIGNALED(status) else None
        if backend.isolated and exit_code is not None and exit_code > 128:
            # bwrap reports its program's death by signal N as exit status 128 + N.
            exit_code, killed_by = None, exit_code - 128
        stdout_bytes = stdout_path.stat().st_size
        with open(stderr_path, "rb") as stderr_file:
            stderr = stderr_file.read(STDERR_KEPT_BYTES)
        return RunResult(
            exit_code=exit_code,
            signal=killed_by,
            cpu_s=usage.ru_utime + usage.ru_stime,
            wall_s=wall,
            memory_kib=usage.ru_maxrss,
            wall_timeout=wall_timeout,
            stdout_path=stdout_path,
            stdout_bytes=stdout_bytes,
            output_limit_hit=stdout_bytes >= limits.output_mib * MIB,
            stderr=stderr,
        )


def _install_launcher(target: Path) -> str:
    """Puts the compiled launcher (launcher.c) at `target`; returns why not, or ""."""
    source = Path(__file__).resolve().parent.parent / "launcher.c"
    text = source.read_bytes()
    digest = hashlib.sha256(text + platform.machine().encode()).hexdigest()[:16]
    cached = default_cache_dir() / "launcher" / f"launcher-{digest}"
    if not cached.is_file():
        cached.parent.mkdir(parents=True, exist_ok=True)
        building = cached.with_suffix(f".tmp{os.getpid()}")
        for flags in (["-static"], []):  # a static binary starts faster; not every libc has one
            done = (
                subprocess.run(
                    ["gcc", "-O2", *flags, "-o", str(building), str(source)],
                    capture_output=True,
                    check=False,
                )
                if shutil.which("gcc")
                else None
            )
            if done is not None and done.returncode == 0:
                building.rename(cached)
                break
        else:
            return "gcc could not build the launcher: native runs fork the server instead"
    shutil.copyfile(cached, target)
    target.chmod(0o755)
    return ""


def _remove_stale_roots(folder: Path) -> None:
    """Judge folders left by processes that were killed (`kill -9` runs no cleanup)."""
    for path in folder.glob("solver-judge-*-*"):
        pid = path.name.split("-")[2]
        if not pid.isdigit():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            shutil.rmtree(path, ignore_errors=True)
        except PermissionError:
            pass  # alive, another user's


def _memory_backed_tmp() -> str | None:
    """/dev/shm where there is one: every run writes its output and error files there, and a
    disk file system costs tens of microseconds a file (ext4 here: half a millisecond to create
    one, more to truncate one)."""
    shm = "/dev/shm"
    return shm if os.path.isdir(shm) and os.access(shm, os.W_OK | os.X_OK) else None


def transient_setup_failure(isolated: bool, result: RunResult) -> bool:
    """bubblewrap's own refusal to create the namespaces, which a moment later succeeds."""
    return (
        isolated
        and result.exit_code == 1
        and result.stderr.startswith(b"bwrap: ")
        and (b"Creating new namespace failed" in result.stderr or b"temporarily" in result.stderr)
    )


def _wait_for_exit(pid: int, timeout_s: float) -> bool:
    """True if the process exited within the timeout (it is not reaped here)."""
    pidfd = os.pidfd_open(pid)
    try:
        ready, _, _ = select.select([pidfd], [], [], timeout_s)
        return bool(ready)
    finally:
        os.close(pidfd)


def _kill_group(pid: int) -> None:
    with suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGKILL)


def kill_run(process: subprocess.Popen) -> None:
    """Stops a run started by `Box.spawn`, with everything it started, and returns once it is
    gone. Under bubblewrap the program is in a session and pid namespace of its own, which dies
    with its first process (pid 1 there, a child of bwrap's monitor): that one is killed too,
    and waited for, so that nothing of the run is still running when this returns."""
    inner = [pidfd for pid in _children(process.pid) for pidfd in _pidfd(pid)]
    _kill_group(process.pid)
    try:
        for pidfd in inner:
            with suppress(OSError):
                signal.pidfd_send_signal(pidfd, signal.SIGKILL)
        if inner:
            select.select(inner, [], [], KILL_WAIT_S)
    finally:
        for pidfd in inner:
            os.close(pidfd)


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(word) for word in text.split()]


def _pidfd(pid: int) -> list[int]:
    try:
        return [os.pidfd_open(pid)]
    except OSError:  # already gone
        return []


def _stage(source: Path, target: Path) -> None:
    """Hard-link (or copy) a program's files into a box; the box only ever reads them."""
    for item in source.rglob("*"):
        destination = target / item.relative_to(source)
        if item.is_dir():
            destination.mkdir(mode=0o755, exist_ok=True)
            continue
        destination.parent.mkdir(mode=0o755, parents=True, exist_ok=True)
        link_or_copy(item, destination)


def link_or_copy(source: Path, destination: Path) -> None:
    """A hard link where source and destination share a file system, else a copy."""
    try:
        os.link(source, destination)
    except OSError:
        shutil.copy2(source, destination)


def _force_remove(function, path, _excinfo) -> None:  # type: ignore[no-untyped-def]
    """rmtree's error hook: a program may have left a directory without write permission."""
    os.chmod(os.path.dirname(path), 0o700)
    function(path)
