"""Languages as a data table: how to compile a source and how to run the result.

Templates name their parts in braces, filled in by `build` and by the backend:
  {sources}  every source file of the submission (one argv item each)
  {out}      the directory the compiler writes into (becomes the program directory)
  {program}  the program directory as the running program sees it
  {main}     the entry point: executable, script or Java class name
  {memory_mib}  the run's memory limit (for the JVM's own heap limit)
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from sandbox.errors import LanguageError


@dataclass(frozen=True)
class Language:
    id: str
    name: str
    extensions: tuple[str, ...]
    compile: tuple[str, ...]
    run: tuple[str, ...]
    # False where the runtime reserves far more address space than it uses (the JVM): there the
    # memory limit is the runtime's own (-Xmx), not RLIMIT_AS.
    limit_address_space: bool = True
    # The entry point once compiled: "exe" (a binary named main), "script" (the source itself),
    # "java-class" (the class that holds main).
    entry: str = "exe"
    # How runs start: "exec" and "python" through a fork server (fast), "box" as a fresh
    # sandbox per run (the JVM needs its class folder mounted).
    runner: str = "exec"


def _python_interpreter() -> str:
    """An absolute interpreter path, never a PATH shim (pyenv's costs ~160 ms a start).

    The system interpreter is preferred: it lives under /usr, which the sandbox mounts.
    """
    for candidate in ("/usr/bin/python3", "/usr/local/bin/python3"):
        if os.access(candidate, os.X_OK):
            return candidate
    return os.path.realpath(sys._base_executable)  # type: ignore[attr-defined]


PYTHON = _python_interpreter()

# Python "compiles" to a syntax check, as contest judges do: a syntax error is CE, not RTE.
_PY_SYNTAX_CHECK = "import sys; compile(open(sys.argv[1], 'rb').read(), sys.argv[1], 'exec')"

LANGUAGES: tuple[Language, ...] = (
    Language(
        id="c",
        name="C",
        extensions=(".c",),
        compile=(
            "gcc",
            "-std=gnu11",
            "-O2",
            "-pipe",
            "-DONLINE_JUDGE",
            "-o",
            "{out}/main",
            "{sources}",
            "-lm",
        ),
        run=("{program}/main",),
    ),
    Language(
        id="cpp",
        name="C++",
        extensions=(".cpp", ".cc", ".cxx", ".c++", ".C"),
        # gnu++20, as current contest judges: real accepted solutions use std::ssize, <=> and
        # contains(); ONLINE_JUDGE keeps solutions that read files when run locally on stdin.
        compile=(
            "g++",
            "-std=gnu++20",
            "-O2",
            "-pipe",
            "-DONLINE_JUDGE",
            "-o",
            "{out}/main",
            "{sources}",
        ),
        run=("{program}/main",),
    ),
    Language(
        id="python3",
        name="Python 3",
        extensions=(".py", ".py3"),
        compile=(PYTHON, "-c", _PY_SYNTAX_CHECK, "{sources}"),
        run=(PYTHON, "{program}/{main}"),
        entry="script",
        runner="python",
    ),
    Language(
        id="java",
        name="Java",
        extensions=(".java",),
        compile=("javac", "-J-Xmx1024m", "-encoding", "UTF-8", "-d", "{out}", "{sources}"),
        run=(
            "java",
            "-Xmx{memory_mib}m",
            "-Xss256m",
            "-XX:+UseSerialGC",
            "-cp",
            "{program}",
            "{main}",
        ),
        limit_address_space=False,
        entry="java-class",
        runner="box",
    ),
)

_BY_ID = {language.id: language for language in LANGUAGES}
_ALIASES = {"c++": "cpp", "python": "python3", "py": "python3", "py3": "python3"}


def language_by_id(name: str) -> Language:
    key = _ALIASES.get(name.lower(), name.lower())
    if key not in _BY_ID:
        known = ", ".join(sorted(_BY_ID))
        raise LanguageError(f"unknown language {name!r} (known: {known})")
    return _BY_ID[key]


def detect_language(path: Path) -> Language:
    """The language of a source file (or of a directory of sources) from its extension."""
    files = sorted(p for p in path.iterdir() if p.is_file()) if path.is_dir() else [path]
    for file in files:
        for language in LANGUAGES:
            if file.suffix in language.extensions:
                return language
    raise LanguageError(f"{path}: cannot tell its language from the file extension")


def toolchain_available(language: Language) -> bool:
    return shutil.which(language.compile[0]) is not None and (
        language.run[0].startswith("{") or shutil.which(language.run[0]) is not None
    )


@functools.cache
def toolchain_version(language: Language) -> str:
    """Part of every compile-cache key, so an upgraded compiler never reuses old binaries."""
    try:
        done = subprocess.run(
            [language.compile[0], "--version"], capture_output=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"
    text = (done.stdout + done.stderr).decode(errors="replace").strip()
    return text.splitlines()[0] if text else "unknown"
