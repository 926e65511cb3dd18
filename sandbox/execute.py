"""One run of a built program, by whichever way its language starts fastest and safely."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

from sandbox.backends.local import BOX_PROGRAM, LocalBackend, RunResult
from sandbox.build import Program
from sandbox.limits import Limits


def execute(
    backend: LocalBackend, program: Program, *, stdin: Path | None, stdout: Path, limits: Limits
) -> RunResult:
    """Runs `program` on `stdin`; its output ends up in `stdout` (a file the caller owns)."""
    language = program.language
    if language.runner in ("exec", "python"):
        return backend.run_fast(
            kind=language.runner,
            program=program.directory / program.main,
            argv=[f"{BOX_PROGRAM}/{program.main}"],
            stdin=stdin,
            stdout=stdout,
            limits=limits,
            limit_address_space=language.limit_address_space,
            language=language,
        )
    # The JVM needs its class folder mounted: a box of its own.
    with backend.box(program.directory, language=language) as box:
        result = box.run(
            program.argv(box.program_root, limits.memory_mib),
            stdin=stdin,
            limits=limits,
            limit_address_space=language.limit_address_space,
        )
        shutil.move(result.stdout_path, stdout)
    return dataclasses.replace(result, stdout_path=stdout)
