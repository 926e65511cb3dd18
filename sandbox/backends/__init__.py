"""Execution backends: they only execute; verdicts, limits and checkers stay in the judge.

`local` (backends/local.py) isolates runs on this machine with bubblewrap; `docker`
(backends/docker.py) runs them in warm containers of a Docker engine.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sandbox.errors import IsolationError

if TYPE_CHECKING:
    from sandbox.backends.docker import DockerBackend
    from sandbox.backends.local import LocalBackend

BACKENDS = ("local", "docker")


def open_backend(name: str, *, warn: bool = True) -> LocalBackend | DockerBackend:
    """A backend by name; the caller closes it (both are context managers). An engine that
    cannot be reached or a missing image raises IsolationError with the fix in one line."""
    if name == "local":
        from sandbox.backends.local import LocalBackend

        return LocalBackend(warn=warn)
    if name == "docker":
        from sandbox.backends.docker import DockerBackend

        return DockerBackend(warn=warn)
    raise IsolationError(f"unknown backend {name!r} (known: {', '.join(BACKENDS)})")
