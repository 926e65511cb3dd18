"""The judge's side of a fork server (sandbox/forkserver.py, or launcher.c's server mode for
native programs): start it, send runs, restart it when it fails. One server per worker slot,
each with a uid and a scratch folder of its own.

The protocol, shared by both servers: the server's first message is a JSON object with
"ready"; then each request is one SOCK_SEQPACKET message of NUL-terminated fields (see
`encode_request`: no JSON parser needed in C, nor imported into the server that every Python
run is forked from) with four descriptors attached (stdin, stdout, stderr, the program), and
each reply one JSON object: the run's exit status and usage, or {"error"}."""

from __future__ import annotations

import json
import os
import select
import signal
import socket
import subprocess
from collections.abc import Callable, Sequence
from contextlib import suppress
from pathlib import Path

from sandbox.errors import IsolationError
from sandbox.limits import Limits

MIB = 1024 * 1024
SERVER_STACK_BYTES = 16 * 1024 * 1024 * 1024  # room for a child's stack to grow into
STARTUP_TIMEOUT_S = 30.0
REPLY_GRACE_S = 10.0  # beyond the run's own wall limit, before the server counts as hung
STDERR_KEPT_BYTES = 4096


RLIMIT_ORDER = ("cpu", "as", "stack", "fsize", "nofile", "nproc")  # in a request, -1: not set


def encode_request(
    *,
    kind: str,
    wall_s: float,
    rlimits: dict[str, int],
    filename: str,
    argv: Sequence[str],
    env: dict[str, str],
) -> bytes:
    """kind, wall_ms, the rlimits in RLIMIT_ORDER, filename, argc, argv..., then KEY=VALUE
    fields to the end; every field NUL-terminated."""
    fields = [
        kind,
        str(max(1, round(wall_s * 1000))),
        *(str(rlimits.get(name, -1)) for name in RLIMIT_ORDER),
        filename,
        str(len(argv)),
        *argv,
        *(f"{key}={value}" for key, value in env.items()),
    ]
    if any("\0" in field for field in fields):
        raise ValueError("a request field holds a NUL byte")
    return "\0".join(fields).encode() + b"\0"


def rlimits_for(limits: Limits, limit_address_space: bool) -> dict[str, int]:
    memory = limits.memory_mib * MIB
    rlimits = {
        "cpu": limits.cpu_rlimit_s,
        "stack": memory,
        "fsize": limits.output_mib * MIB,
        "nofile": 256,
        "nproc": limits.processes,
        "core": 0,
    }
    if limit_address_space:
        rlimits["as"] = memory
    return rlimits


class ForkServer:
    """One running fork server; not thread-safe (the backend hands each to one thread)."""

    def __init__(
        self,
        *,
        launcher: Callable[[list[str], int], subprocess.Popen],
        server_argv: Sequence[str],
        scratch_root_in_box: str,
        clean_tmp: bool,
        server_dir_in_box: str,
        log: Path | None = None,
    ) -> None:
        self._log = log
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        argv = [
            *server_argv,
            str(theirs.fileno()),
            scratch_root_in_box,
            "1" if clean_tmp else "0",
            server_dir_in_box,
        ]
        try:
            self._process = launcher(argv, theirs.fileno())
        finally:
            theirs.close()
        self._channel = ours
        hello = self._receive(STARTUP_TIMEOUT_S)
        if not hello.get("ready"):
            self.close()
            raise IsolationError(f"the fork server did not start: {hello}")

    def _receive(self, timeout_s: float) -> dict:
        ready, _, _ = select.select([self._channel], [], [], timeout_s)
        if not ready:
            self.close()
            raise IsolationError("the fork server stopped answering")
        try:
            message = self._channel.recv(1 << 16)
        except OSError:
            message = b""
        if not message:
            self.close()
            raise IsolationError(f"the fork server exited{self._log_tail()}")
        return json.loads(message)

    def run(
        self,
        *,
        kind: str,
        program: Path,
        argv: Sequence[str],
        filename: str,
        stdin: Path | None,
        stdout: Path,
        stderr: Path,
        limits: Limits,
        limit_address_space: bool,
        env: dict[str, str],
    ) -> dict:
        request = encode_request(
            kind=kind,
            wall_s=limits.wall_limit_s,
            rlimits=rlimits_for(limits, limit_address_space),
            filename=filename,
            argv=argv,
            env=env,
        )
        # Plain descriptors, not file objects: this runs for every test of every candidate.
        write = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC
        descriptors: list[int] = []
        try:
            descriptors.append(os.open(stdin or os.devnull, os.O_RDONLY | os.O_CLOEXEC))
            descriptors.append(os.open(stdout, write, 0o600))
            descriptors.append(os.open(stderr, write, 0o600))
            descriptors.append(os.open(program, os.O_RDONLY | os.O_CLOEXEC))
            socket.send_fds(self._channel, [request], descriptors)
        except OSError as error:
            if len(descriptors) == 4:  # the files opened: it is the channel that failed
                self.close()
                raise IsolationError(f"the fork server is gone: {error}") from error
            raise
        finally:
            for descriptor in descriptors:
                os.close(descriptor)
        reply = self._receive(limits.wall_limit_s + REPLY_GRACE_S)
        if "error" in reply:
            raise IsolationError(f"the fork server could not run the program: {reply['error']}")
        return reply

    def _log_tail(self) -> str:
        if self._log is None or not self._log.is_file():
            return ""
        lines = self._log.read_text(errors="replace").strip().splitlines()
        return f": {lines[-1]}" if lines else ""

    def close(self) -> None:
        with suppress(OSError):
            self._channel.close()
        if self._process.poll() is None:
            with suppress(ProcessLookupError):
                os.killpg(self._process.pid, signal.SIGKILL)
            self._process.wait()
