"""Runs untrusted programs in Docker containers, driven through the engine's API (the `docker`
package). The backend only executes: verdicts, limits and checkers stay in the judge.

Every container this backend starts is warm (started once, reused for many runs) and has:
no network (`--network none`), a read-only root, tmpfs /tmp (and /scratch for fast runs), a
memory, a pids and a CPU limit, every capability dropped, `no-new-privileges`, no IPC
namespace files, and an unprivileged uid of its own (taken from the same machine-wide pool as
the local backend's, so RLIMIT_NPROC counts one container's processes only). Two kinds:

- fast containers, for C, C++ and Python candidates (`run_fast`): the container's pid 1 is the
  same fork server as the local backend's (sandbox/forkserver.py), which connects back to the
  judge over a Unix socket; each run is forked inside the warm container with its rlimits, the
  seccomp filter and a wall-clock watchdog, reads and writes the descriptors the judge passed,
  and when it ends the server kills everything the run left (kill(-1) as pid 1) and empties
  the run's scratch and /tmp.
- box containers, for `box()` (compilers, validators, generators, Java): the program's folder
  is bind-mounted read-only at /program, the box's scratch read-write at /scratch; each run is
  a `docker exec` of a small runner (docker_box_runner.py) that takes the rlimits, waits with a
  watchdog, kills the run's leftovers and reports the usage.

Images are chosen per language (`images`, or SOLVER_DOCKER_IMAGES="python3=IMAGE,cpp=IMAGE");
the default is built from this machine's own packages (sandbox/backends/docker_image.py). An
image must hold python3 (the fork server and the runner are standard-library Python) and the
toolchains of the languages it serves, at the paths the language table names.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import queue
import select
import shutil
import socket
import tempfile
import threading
import uuid
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from sandbox import forkserver, seccomp
from sandbox.backends import docker_box_server
from sandbox.backends.docker_image import DEFAULT_IMAGE
from sandbox.backends.forkserver_client import (
    REPLY_GRACE_S,
    STARTUP_TIMEOUT_S,
    ForkServer,
    rlimits_for,
)
from sandbox.backends.local import (
    BOX_PROGRAM,
    BOX_SCRATCH,
    CLEAN_ENV,
    FAST_RUN_ENV,
    MIB,
    STDERR_KEPT_BYTES,
    Protection,
    RunResult,
    _install_launcher,
    _memory_backed_tmp,
    link_or_copy,
)
from sandbox.backends.uids import UidPool
from sandbox.errors import IsolationError
from sandbox.languages import Language
from sandbox.limits import COMPILE_LIMITS, Limits

LABEL = "solver.sandbox"  # every container of this backend carries it, with its owner
# "hostname:pid:backend" of the judge that started it: one process may hold several backends.
OWNER_LABEL = "solver.sandbox.owner"
MAX_FAST_CONTAINERS = 16
MAX_BOX_CONTAINERS = 32
TMPFS_BYTES = 64 * 1024 * 1024
MEMORY_HEADROOM_MIB = 256  # the container's cap above the run's own limit (the server, page cache)
EXTRA_PIDS = 16  # the container's pids cap above the run's own: the server or runner, exec
JUDGE_DIR = "/judge"  # in every container: the fork server, launcher, filter and runner, read-only
CHANNEL_DIR = "/channel"  # in fast containers: where the judge's socket waits for the server

# pid 1 of every container: connect to the judge's socket, then become the server
# (argv: SOCKET SERVER_FILE [SERVER_ARGS...]; the server gets the connected descriptor first).
_BOOT = (
    "import os, socket, sys\n"
    "channel = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)\n"
    "channel.connect(sys.argv[1])\n"
    "os.set_inheritable(channel.fileno(), True)\n"
    "server = [sys.executable, sys.argv[2], str(channel.fileno()), *sys.argv[3:]]\n"
    "os.execv(sys.executable, server)\n"
)


def configured_images(text: str | None = None) -> dict[str, str]:
    """Language id -> image, from "python3=python:3.12-slim,cpp=gcc:14" (SOLVER_DOCKER_IMAGES)."""
    text = os.environ.get("SOLVER_DOCKER_IMAGES", "") if text is None else text
    images = {}
    for item in text.split(","):
        if item.strip():
            language, _, image = item.partition("=")
            if not image.strip():
                raise IsolationError(f"SOLVER_DOCKER_IMAGES: {item!r} is not LANGUAGE=IMAGE")
            images[language.strip()] = image.strip()
    return images


def _connect(client: object | None = None):  # type: ignore[no-untyped-def]
    """A client of the engine that answers, or IsolationError saying why not."""
    try:
        import docker
    except ImportError as error:
        raise IsolationError("the docker package is not installed (pip install docker)") from error
    try:
        client = client or docker.from_env(timeout=120)
        client.ping()
    except docker.errors.DockerException as error:
        raise IsolationError(
            f"the docker engine is not reachable ({error}); start it with dockerd "
            "(Debian package docker.io), see `solver doctor`"
        ) from error
    return client


@dataclass(frozen=True)
class EngineStatus:
    """What `solver doctor` reports about the engine and the images."""

    reachable: bool
    detail: str  # the engine's version, or why it is not reachable
    images: dict[str, bool]  # image -> present


def engine_status(images: Mapping[str, str] | None = None) -> EngineStatus:
    try:
        client = _connect()
    except IsolationError as error:
        return EngineStatus(False, str(error), {})
    import docker

    version = client.version().get("Version", "?")
    wanted = {DEFAULT_IMAGE, *(images or configured_images()).values()}
    present = {}
    for image in sorted(wanted):
        try:
            client.images.get(image)
            present[image] = True
        except docker.errors.ImageNotFound:
            present[image] = False
    return EngineStatus(True, f"engine {version}", present)


class _ContainerForkServer(ForkServer):
    """A fork server that is a fast container's pid 1. It speaks ForkServer's protocol over a
    socket it connected to itself, so ForkServer's launch step (a local process) is skipped."""

    def __init__(self, channel: socket.socket, container: object, uid: int, memory_mib: int):
        self._log = None
        self._channel = channel
        self.container = container
        self.uid = uid
        self.memory_mib = memory_mib
        hello = self._receive(STARTUP_TIMEOUT_S)
        if not hello.get("ready"):
            self.close()
            raise IsolationError(f"the fork server in the container did not start: {hello}")

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self._channel.close()
        _remove_container(self.container)


def _remove_container(container: object) -> None:
    import docker

    with contextlib.suppress(docker.errors.DockerException):
        container.remove(force=True)  # type: ignore[attr-defined]


@dataclass
class _BoxContainer:
    """A warm box container, its run server's channel, and the host folders bound into it."""

    container: object
    channel: socket.socket
    image: str
    uid: int
    folder: Path  # holds program/ and scratch/
    memory_mib: int

    def run(self, request: dict, fds: list[int], timeout_s: float) -> dict:
        """One request to the container's run server (docker_box_server.py)."""
        try:
            socket.send_fds(self.channel, [json.dumps(request).encode()], fds)
            ready, _, _ = select.select([self.channel], [], [], timeout_s)
            message = self.channel.recv(1 << 16) if ready else b""
        except OSError as error:
            raise IsolationError(f"the box container's run server is gone: {error}") from error
        if not message:
            raise IsolationError("the box container's run server stopped answering")
        reply = json.loads(message)
        if "error" in reply or "setup_error" in reply:
            raise IsolationError(reply.get("setup_error") or f"box run failed: {reply['error']}")
        return reply


class DockerBackend:
    """Creates boxes and runs programs in warm containers of a Docker engine."""

    def __init__(
        self,
        images: Mapping[str, str] | None = None,
        *,
        default_image: str = DEFAULT_IMAGE,
        cpus: float = 1.0,
        client: object | None = None,
        warn: bool = True,  # as LocalBackend's; every layer here is there or the start fails
    ) -> None:
        import docker

        self._docker = docker
        self._client = _connect(client)
        self._images = dict(configured_images() if images is None else images)
        self._default_image = default_image
        self._nano_cpus = int(cpus * 1e9)
        self._image_ids: dict[str, str] = {}
        for image in {default_image, *self._images.values()}:
            try:
                self._image_ids[image] = self._client.images.get(image).id
            except docker.errors.ImageNotFound as error:
                fix = (
                    "build it with `python -m sandbox.backends.docker_image`"
                    if image == DEFAULT_IMAGE
                    else f"load it with `docker load` or build it (`docker build -t {image}`)"
                )
                raise IsolationError(f"docker image {image} is not present: {fix}") from error
        self._owner = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:12]}"
        self._reap_stale_containers()
        self._root = Path(tempfile.mkdtemp(prefix="solver-docker-", dir=_memory_backed_tmp()))
        self._root.chmod(0o711)
        self._uids = UidPool(MAX_FAST_CONTAINERS + MAX_BOX_CONTAINERS)
        self._numbers = itertools.count()
        self._lock = threading.Lock()
        self._servers: dict[str, queue.Queue[_ContainerForkServer]] = {}
        self._server_counts: dict[str, int] = {}
        self._idle_boxes: dict[str, list[_BoxContainer]] = {}
        self._box_count = 0
        self._box_freed = threading.Condition(self._lock)
        self._closed = False
        self._judge_dir = self._root / "judge"
        self._judge_dir.mkdir(mode=0o755)
        shutil.copyfile(forkserver.__file__, self._judge_dir / "forkserver.py")
        shutil.copyfile(docker_box_server.__file__, self._judge_dir / "box_server.py")
        self._seccomp = seccomp.filter_program()
        if self._seccomp is not None:
            (self._judge_dir / "seccomp.bpf").write_bytes(self._seccomp)
        self._launcher_problem = _install_launcher(self._judge_dir / "launcher")
        for path in self._judge_dir.iterdir():
            path.chmod(0o755 if path.name == "launcher" else 0o644)

    # -- lifecycle ---------------------------------------------------------------------------

    def close(self) -> None:
        with self._box_freed:
            self._closed = True
            self._box_freed.notify_all()
            servers = [s for q in self._servers.values() for s in _drain(q)]
            boxes = [b for idle in self._idle_boxes.values() for b in idle]
            self._idle_boxes.clear()
        for server in servers:
            server.close()
        for box in boxes:
            _remove_container(box.container)
        # Boxes still open (a caller that never closed them) go too: by label and owner.
        self._remove_containers({OWNER_LABEL: self._owner})
        shutil.rmtree(self._root, ignore_errors=True)
        self._uids.close()

    def __enter__(self) -> DockerBackend:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- facts -------------------------------------------------------------------------------

    @property
    def isolated(self) -> bool:
        return True

    def image_for(self, language: Language | None) -> str:
        if language is None:
            return self._default_image
        return self._images.get(language.id, self._default_image)

    def build_key(self, language: Language) -> str:
        """Part of the compile cache's key: the image's id, since the compiler is the image's."""
        return self._image_ids[self.image_for(language)]

    def protections(self) -> list[Protection]:
        seccomp_on = self._seccomp is not None
        return [
            Protection("docker engine", True, self._client.version().get("Version", "?")),
            Protection("network namespace (no network)", True, "--network none"),
            Protection(
                "read-only root, tmpfs scratch, no test data", True, "read_only, tmpfs, mounts"
            ),
            Protection("pid namespace (every descendant dies with the run)", True, "container"),
            Protection("every capability dropped, no-new-privileges", True, "cap_drop ALL"),
            Protection("unprivileged uid per container", True, "uids from the sandbox pool"),
            Protection("memory, pids and CPU limits", True, "cgroups of the container"),
            Protection(
                "rlimits (CPU, memory, stack, output, files, processes)",
                True,
                "set by the fork server or the run server",
            ),
            Protection(
                "seccomp filter (no ptrace, mount, kernel calls, sockets but AF_UNIX)",
                seccomp_on,
                "C, C++ and Python runs (the fork server's), over docker's default profile"
                if seccomp_on
                else "docker's default profile only",
            ),
            Protection("wall-clock watchdog", True, "the fork server or the run server"),
            Protection(
                "native launcher (C and C++ runs start by vfork, not by copying the server)",
                not self._launcher_problem,
                self._launcher_problem or "launcher.c, compiled once and cached",
            ),
        ]

    # -- fast runs ---------------------------------------------------------------------------

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
        """One run through the fork server of a warm container of the language's image."""
        image = self.image_for(language)
        stderr = stdout.with_name(stdout.name + ".stderr")
        for attempt in (1, 2):
            server = self._acquire_server(image, limits.memory_mib)
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
                self._discard_server(image, server)
                if attempt == 2:
                    raise
                continue
            self._servers[image].put(server)
            break
        return _result(reply, stdout, stderr, limits)

    def _acquire_server(self, image: str, memory_mib: int) -> _ContainerForkServer:
        with self._lock:
            if self._closed:
                raise IsolationError("the docker backend is closed")
            servers = self._servers.setdefault(image, queue.Queue())
            try:
                server: _ContainerForkServer | None = servers.get_nowait()
            except queue.Empty:
                server = None
            start = server is None and self._server_counts.get(image, 0) < MAX_FAST_CONTAINERS
            if start:
                self._server_counts[image] = self._server_counts.get(image, 0) + 1
        if server is None and start:
            try:
                server = self._start_server(image, memory_mib)
            except BaseException:
                with self._lock:
                    self._server_counts[image] -= 1
                raise
        elif server is None:
            server = servers.get()
        self._fit_memory(server, memory_mib)
        return server

    def _discard_server(self, image: str, server: _ContainerForkServer) -> None:
        server.close()
        self._uids.release(server.uid)
        with self._lock:
            self._server_counts[image] -= 1

    def _fit_memory(self, holder: _ContainerForkServer | _BoxContainer, memory_mib: int) -> None:
        """A container's memory cap follows the largest limit it has served (rlimits hold each
        run to its own limit; the cap bounds the container as a whole)."""
        wanted = memory_mib + MEMORY_HEADROOM_MIB
        if holder.memory_mib < wanted:
            holder.container.update(  # type: ignore[attr-defined]
                mem_limit=f"{wanted}m", memswap_limit=f"{wanted}m"
            )
            holder.memory_mib = wanted

    def _start_server(self, image: str, memory_mib: int) -> _ContainerForkServer:
        uid = self._uids.acquire()
        memory = memory_mib + MEMORY_HEADROOM_MIB
        try:
            container, channel = self._start_with_channel(
                image,
                uid,
                [f"{JUDGE_DIR}/forkserver.py", BOX_SCRATCH, "1", JUDGE_DIR],
                mounts={},
                scratch_tmpfs=True,
                memory_mib=memory,
            )
        except BaseException:
            self._uids.release(uid)
            raise
        return _ContainerForkServer(channel, container, uid, memory)

    def _start_with_channel(
        self,
        image: str,
        uid: int,
        server: list[str],
        *,
        mounts: dict[str, tuple[str, bool]],
        scratch_tmpfs: bool,
        memory_mib: int,
    ) -> tuple[object, socket.socket]:
        """A container whose pid 1 is `server` (a file and its arguments), connected back to
        the judge over a Unix socket in a folder mounted read-only at /channel."""
        folder = self._root / f"channel-{next(self._numbers)}"
        folder.mkdir(mode=0o755)
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        container = None
        try:
            listener.bind(str(folder / "socket"))
            (folder / "socket").chmod(0o777)
            listener.listen(1)
            listener.settimeout(STARTUP_TIMEOUT_S)
            container = self._start_container(
                image,
                uid,
                ["python3", "-c", _BOOT, f"{CHANNEL_DIR}/socket", *server],
                mounts={**mounts, str(folder): (CHANNEL_DIR, True)},
                scratch_tmpfs=scratch_tmpfs,
                memory_mib=memory_mib,
            )
            try:
                channel, _ = listener.accept()
            except TimeoutError as error:
                logs = container.logs(tail=3).decode(errors="replace").strip()  # type: ignore[attr-defined]
                raise IsolationError(f"the server in {image} did not connect: {logs}") from error
            channel.settimeout(None)
            return container, channel
        except BaseException:
            if container is not None:
                _remove_container(container)
            raise
        finally:
            listener.close()
            shutil.rmtree(folder, ignore_errors=True)

    def _start_container(
        self,
        image: str,
        uid: int,
        command: list[str],
        *,
        mounts: dict[str, tuple[str, bool]],
        scratch_tmpfs: bool,
        memory_mib: int,
    ) -> object:
        from docker.types import Mount

        binds = [
            Mount(target, source, type="bind", read_only=ro)
            for source, (target, ro) in mounts.items()
        ]
        binds.append(Mount(JUDGE_DIR, str(self._judge_dir), type="bind", read_only=True))
        tmpfs = {"/tmp": f"size={TMPFS_BYTES},mode=1777"}
        if scratch_tmpfs:
            tmpfs[BOX_SCRATCH] = f"size={TMPFS_BYTES},uid={uid},gid={uid},mode=0700"
        try:
            return self._client.containers.run(
                image,
                command,
                detach=True,
                user=f"{uid}:{uid}",
                network_mode="none",
                read_only=True,
                cap_drop=["ALL"],
                security_opt=["no-new-privileges"],
                ipc_mode="none",
                tmpfs=tmpfs,
                mounts=binds,
                mem_limit=f"{memory_mib}m",
                memswap_limit=f"{memory_mib}m",
                pids_limit=max(COMPILE_LIMITS.processes, 256) + EXTRA_PIDS,
                nano_cpus=self._nano_cpus,
                environment=dict(CLEAN_ENV, HOME=BOX_SCRATCH, TMPDIR="/tmp"),
                working_dir="/",
                hostname="sandbox",
                labels={LABEL: "1", OWNER_LABEL: self._owner},
                ulimits=[self._docker.types.Ulimit(name="core", soft=0, hard=0)],
            )
        except self._docker.errors.DockerException as error:
            raise IsolationError(f"cannot start a container of {image}: {error}") from error

    # -- boxes -------------------------------------------------------------------------------

    @contextlib.contextmanager
    def box(
        self, program_dir: Path | None = None, *, language: Language | None = None
    ) -> Iterator[DockerBox]:
        """A box for one program in a warm container of the language's image: its files staged
        read-only at /program, an empty scratch at /scratch."""
        image = self.image_for(language)
        holder = self._acquire_box(image)
        clean = False
        box: DockerBox | None = None
        try:
            program = holder.folder / "program"
            _empty(program)
            if program_dir is not None:
                _stage(program_dir, program)
            box = DockerBox(self, holder)
            box.reset_scratch()
            yield box
            clean = not box.broken
        finally:
            if box is not None:
                shutil.rmtree(box.private, ignore_errors=True)
            self._release_box(holder, reuse=clean)

    @contextlib.contextmanager
    def private_dir(self) -> Iterator[Path]:
        """A folder for the judge's own files (outputs): no container can see it."""
        folder = Path(tempfile.mkdtemp(dir=self._root, prefix="private-"))
        try:
            yield folder
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    def _acquire_box(self, image: str) -> _BoxContainer:
        evicted: _BoxContainer | None = None
        with self._box_freed:
            while True:
                if self._closed:
                    raise IsolationError("the docker backend is closed")
                idle = self._idle_boxes.setdefault(image, [])
                if idle:
                    return idle.pop()
                if self._box_count < MAX_BOX_CONTAINERS:
                    self._box_count += 1
                    break
                # At the cap: an idle container of another image makes room, else wait.
                other = next((held for held in self._idle_boxes.values() if held), None)
                if other is not None:
                    evicted = other.pop()
                    break
                self._box_freed.wait()
        if evicted is not None:
            self._dispose_box(evicted)
        uid = self._uids.acquire()
        folder = self._root / f"box-{next(self._numbers)}"
        try:
            folder.mkdir(mode=0o711)
            (folder / "program").mkdir(mode=0o755)
            (folder / "scratch").mkdir(mode=0o700)
            os.chown(folder / "scratch", uid, uid)
            memory = COMPILE_LIMITS.memory_mib + MEMORY_HEADROOM_MIB
            container, channel = self._start_with_channel(
                image,
                uid,
                [f"{JUDGE_DIR}/box_server.py"],
                mounts={
                    str(folder / "program"): (BOX_PROGRAM, True),
                    str(folder / "scratch"): (BOX_SCRATCH, False),
                },
                scratch_tmpfs=False,
                memory_mib=memory,
            )
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            self._uids.release(uid)
            with self._box_freed:
                self._box_count -= 1
                self._box_freed.notify()
            raise
        holder = _BoxContainer(container, channel, image, uid, folder, memory)
        ready, _, _ = select.select([channel], [], [], STARTUP_TIMEOUT_S)
        hello = channel.recv(1 << 16) if ready else b""
        if not hello or not json.loads(hello).get("ready"):
            self._release_box(holder, reuse=False)
            raise IsolationError(f"the run server in {image} did not start")
        return holder

    def _release_box(self, holder: _BoxContainer, *, reuse: bool) -> None:
        with self._box_freed:
            keep = reuse and not self._closed
            if keep:
                self._idle_boxes.setdefault(holder.image, []).append(holder)
            else:
                self._box_count -= 1
            self._box_freed.notify()
        if not keep:
            self._dispose_box(holder)

    def _dispose_box(self, holder: _BoxContainer) -> None:
        with contextlib.suppress(OSError):
            holder.channel.close()
        _remove_container(holder.container)
        shutil.rmtree(holder.folder, ignore_errors=True)
        self._uids.release(holder.uid)

    # -- internals ---------------------------------------------------------------------------

    def _reap_stale_containers(self) -> None:
        """Containers left by judges of this machine that died without closing their backend."""
        host = socket.gethostname()
        for container in self._list_containers({LABEL: "1"}):
            owner = container.labels.get(OWNER_LABEL, "")
            owner_host, pid, _ = (owner.split(":") + ["", "", ""])[:3]
            if owner_host == host and pid.isdigit() and not _alive(int(pid)):
                _remove_container(container)

    def _list_containers(self, labels: dict[str, str]) -> list:
        filters = {"label": [f"{k}={v}" for k, v in labels.items()]}
        try:
            return self._client.containers.list(all=True, filters=filters)
        except self._docker.errors.DockerException:
            return []

    def _remove_containers(self, labels: dict[str, str]) -> None:
        for container in self._list_containers(labels):
            _remove_container(container)

    def containers(self) -> list:
        """This backend's containers (for tests and `doctor`)."""
        return self._list_containers({OWNER_LABEL: self._owner})


class DockerBox:
    """One program staged in a warm box container, run many times."""

    def __init__(self, backend: DockerBackend, holder: _BoxContainer) -> None:
        self._backend = backend
        self._holder = holder
        self.program_dir = holder.folder / "program"
        self.scratch_dir = holder.folder / "scratch"
        self.broken = False
        # The box's outputs: a folder of the judge's that no container sees.
        self.private = Path(tempfile.mkdtemp(dir=backend._root, prefix="box-private-"))
        self._runs = itertools.count()

    program_root = BOX_PROGRAM
    scratch_root = BOX_SCRATCH

    def reset_scratch(self) -> None:
        """An empty scratch directory, writable by the box's uid only. The folder itself stays:
        it is what the container has mounted."""
        _empty(self.scratch_dir)
        os.chown(self.scratch_dir, self._holder.uid, self._holder.uid)
        self.scratch_dir.chmod(0o700)

    def writable_dir(self, name: str) -> Path:
        folder = self.scratch_dir / name
        folder.mkdir()
        os.chown(folder, self._holder.uid, self._holder.uid)
        return folder

    def run(
        self,
        argv: Sequence[str],
        *,
        stdin: Path | None,
        limits: Limits,
        limit_address_space: bool = True,
    ) -> RunResult:
        backend, holder = self._backend, self._holder
        backend._fit_memory(holder, limits.memory_mib)
        number = next(self._runs)
        stdout, stderr = self.private / f"stdout-{number}", self.private / f"stderr-{number}"
        request = {
            "argv": list(argv),
            "env": dict(CLEAN_ENV, HOME=BOX_SCRATCH, TMPDIR="/tmp"),
            "cwd": BOX_SCRATCH,
            "rlimits": rlimits_for(limits, limit_address_space),
            "wall_s": limits.wall_limit_s,
        }
        write = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC
        fds: list[int] = []
        try:
            fds.append(os.open(stdin or os.devnull, os.O_RDONLY | os.O_CLOEXEC))
            fds.append(os.open(stdout, write, 0o600))
            fds.append(os.open(stderr, write, 0o600))
            try:
                reply = holder.run(request, fds, limits.wall_limit_s + REPLY_GRACE_S)
            except IsolationError:
                self.broken = True  # the container is not reused
                raise
        finally:
            for fd in fds:
                os.close(fd)
        return _result(reply, stdout, stderr, limits)

    def spawn(self, *args: object, **kwargs: object) -> object:
        """Two programs side by side on pipes (interactive problems): not in containers yet."""
        raise IsolationError("interactive problems are not supported by the docker backend yet")


def _result(reply: dict, stdout: Path, stderr: Path, limits: Limits) -> RunResult:
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


def _drain(servers: queue.Queue) -> list:
    found = []
    while True:
        try:
            found.append(servers.get_nowait())
        except queue.Empty:
            return found


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _empty(folder: Path) -> None:
    for entry in folder.iterdir():
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)


def _stage(source: Path, target: Path) -> None:
    """Copy (or hard-link) a program's files into the folder a box container has mounted."""
    for item in source.rglob("*"):
        destination = target / item.relative_to(source)
        if item.is_dir():
            destination.mkdir(mode=0o755, exist_ok=True)
            continue
        destination.parent.mkdir(mode=0o755, parents=True, exist_ok=True)
        link_or_copy(item, destination)


def doctor_lines(images: Mapping[str, str] | None = None) -> list[str]:
    """`solver doctor`'s lines on the docker backend: the engine and the images, each with a
    one-line fix when it is missing."""
    status = engine_status(images)
    if not status.reachable:
        fix = (
            "install Debian's docker.io and start the engine: "
            "apt-get install -y docker.io && (dockerd > /var/log/dockerd.log 2>&1 &)"
        )
        return [f"NO   docker engine: {status.detail}; fix: {fix}"]
    lines = [f"yes  docker engine: reachable ({status.detail})"]
    for image, present in status.images.items():
        if present:
            lines.append(f"yes  docker image {image}: present")
        elif image == DEFAULT_IMAGE:
            fix = "python3 -m sandbox.backends.docker_image"
            lines.append(f"NO   docker image {image}: absent; fix: {fix}")
        else:
            lines.append(f"NO   docker image {image}: absent; fix: docker load -i IMAGE.tar")
    return lines
