"""Custom output validators (the Kattis protocol) and input validators.

An output validator is called as `validator input answer feedback_dir [flags] < team_output`
and exits 42 to accept, 43 to reject; anything else is a judge error. It runs in the sandbox too,
with the input and answer linked into its scratch directory, and generous limits.

An input validator written in checktestdata (a `.ctd` grammar, as problemtools and DOMjudge
accept) is translated by pyctd (`checktestdata` on PyPI) into a standalone Python program that
exits 42 or 43; that program, like any validator, runs only in the sandbox. The translation only
parses the grammar: nothing of the package runs outside the sandbox.
"""

from __future__ import annotations

import hashlib
import os
import sys
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sandbox.backends.local import Box, LocalBackend, RunResult, link_or_copy
from sandbox.build import Builder, Program, source_files
from sandbox.cache import default_cache_dir
from sandbox.errors import PackageError
from sandbox.languages import LANGUAGES, Language, language_by_id
from sandbox.limits import VALIDATOR_LIMITS
from sandbox.verdicts import Verdict

ACCEPT_EXIT = 42
REJECT_EXIT = 43
FEEDBACK_BYTES = 4096

# A validator shipped as `build` and `run` scripts (problemtools, BAPCtools): `build` runs once
# in a copy of the folder, then `run` is the program.
BUILD_RUN = Language(
    id="build-run",
    name="build/run scripts",
    extensions=("",),
    compile=(
        "/bin/sh",
        "-c",
        'cp -R "$1"/. "$0" && cd "$0" && chmod +x run && if [ -e build ]; then sh ./build; fi',
        "{out}",
        "{src}",
    ),
    run=("{program}/run",),
    runner="box",
)


def validator_language(path: Path) -> Language:
    """The language of a validator folder or file; C++ wins where headers sit beside sources."""
    files = source_files(path)
    names = {f.name for f in files}
    if "run" in names or "build" in names:
        return BUILD_RUN
    for language_id in ("cpp", "c", "python3", "java"):
        language = language_by_id(language_id)
        if any(f.suffix in language.extensions for f in files):
            return language
    known = ", ".join(ext for lang in LANGUAGES for ext in lang.extensions)
    raise PackageError(path.parent.parent.name, path.name, f"no validator source ({known})")


def checktestdata_grammar(path: Path) -> Path | None:
    """The `.ctd` file of a validator that is a checktestdata grammar and nothing else."""
    files = source_files(path)
    grammars = [f for f in files if f.suffix == ".ctd"]
    code = [f for f in files if f.suffix and f.suffix not in (".ctd", ".txt", ".md")]
    return grammars[0] if len(grammars) == 1 and not code else None


def checktestdata_program(grammar: Path, problem: str, cache: Path | None = None) -> Path:
    """The standalone Python validator that pyctd writes for `grammar`, kept by its digest."""
    try:
        from checktestdata.__version__ import __version__ as pyctd_version
        from checktestdata.parser import parse
        from checktestdata.tokenizer import tokenize
    except ImportError:
        raise PackageError(
            problem, grammar.name, "checktestdata grammars need pyctd: pip install checktestdata"
        ) from None
    raw = grammar.read_bytes()
    digest = hashlib.sha256(pyctd_version.encode() + b"\0" + raw).hexdigest()
    target = (cache or default_cache_dir() / "checktestdata") / digest
    program = target / "validator.py"
    if program.is_file():
        return program
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 100_000))  # pyctd's parser recurses per nested block
    try:
        code = parse(tokenize(raw)).python_code(standalone=True)
    except Exception as error:  # noqa: BLE001 - any failure of a third-party parser on jury data
        first = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise PackageError(problem, grammar.name, f"checktestdata grammar: {first}") from None
    finally:
        sys.setrecursionlimit(limit)
    target.mkdir(parents=True, exist_ok=True)
    partial = target / f"validator.py.{os.getpid()}.{threading.get_ident()}"
    partial.write_text(code)
    partial.replace(program)  # atomic: a concurrent judge sees the whole file or none
    return program


def build_validator(builder: Builder, path: Path, problem: str) -> Program:
    grammar = checktestdata_grammar(path)
    if grammar is not None:
        path = checktestdata_program(grammar, problem)
    language = validator_language(path)
    result = builder.build(path, language)
    if not result.ok or result.program is None:
        first_lines = " ".join(result.message.splitlines()[:3])
        raise PackageError(problem, str(path.name), f"validator does not compile: {first_lines}")
    return result.program


@dataclass(frozen=True)
class ValidatorVerdict:
    verdict: Verdict  # AC, WA or JE
    message: str


class OutputValidatorBox:
    """One validator staged in a box, checking many outputs."""

    def __init__(self, box: Box, program: Program, flags: Sequence[str]) -> None:
        self._box = box
        self._program = program
        self._flags = list(flags)

    def check(self, input_file: Path, answer_file: Path, team_output: Path) -> ValidatorVerdict:
        box = self._box
        box.reset_scratch()
        link_or_copy(input_file, box.scratch_dir / "input")
        link_or_copy(answer_file, box.scratch_dir / "answer")
        feedback = box.writable_dir("feedback")
        root = box.scratch_root
        argv = self._program.argv(box.program_root, VALIDATOR_LIMITS.memory_mib)
        argv += [f"{root}/input", f"{root}/answer", f"{root}/feedback/", *self._flags]
        result = box.run(
            argv,
            stdin=team_output,
            limits=VALIDATOR_LIMITS,
            limit_address_space=self._program.language.limit_address_space,
        )
        message = read_feedback(feedback)
        return validator_verdict(result, message)


@contextmanager
def output_validator(
    backend: LocalBackend, program: Program, flags: Sequence[str]
) -> Iterator[OutputValidatorBox]:
    with backend.box(program.directory, language=program.language) as box:
        yield OutputValidatorBox(box, program, flags)


class InputValidatorBox:
    """One input validator staged in a box: `accepts(input)` runs it with the input on stdin
    (the Kattis protocol: exit 42 accepts, 43 rejects)."""

    def __init__(self, box: Box, program: Program, flags: Sequence[str]) -> None:
        self._box = box
        self._argv = program.argv(box.program_root, VALIDATOR_LIMITS.memory_mib) + list(flags)
        self._language = program.language

    def check(self, input_file: Path) -> ValidatorVerdict:
        self._box.reset_scratch()
        result = self._box.run(
            self._argv,
            stdin=input_file,
            limits=VALIDATOR_LIMITS,
            limit_address_space=self._language.limit_address_space,
        )
        stdout = result.stdout_path.read_bytes()[:FEEDBACK_BYTES].decode(errors="replace")
        return validator_verdict(result, (stdout + result.stderr.decode(errors="replace")).strip())


@contextmanager
def input_validator(
    backend: LocalBackend, program: Program, flags: Sequence[str] = ()
) -> Iterator[InputValidatorBox]:
    with backend.box(program.directory, language=program.language) as box:
        yield InputValidatorBox(box, program, flags)


def validator_verdict(result: RunResult, message: str) -> ValidatorVerdict:
    if result.exit_code == ACCEPT_EXIT:
        return ValidatorVerdict(Verdict.AC, message)
    if result.exit_code == REJECT_EXIT:
        return ValidatorVerdict(Verdict.WA, message)
    if result.wall_timeout or result.cpu_s > VALIDATOR_LIMITS.time_s:
        why = "the validator exceeded its time limit"
    elif result.signal is not None:
        why = f"the validator was killed by signal {result.signal}"
    else:
        why = f"the validator exited with {result.exit_code}, not 42 or 43"
    details = (message or result.stderr.decode(errors="replace")).strip()
    return ValidatorVerdict(Verdict.JE, f"{why}: {details[:500]}" if details else why)


def read_feedback(folder: Path) -> str:
    parts = []
    for name in ("judgemessage.txt", "teammessage.txt"):
        path = folder / name
        if path.is_file():
            with open(path, "rb") as file:
                parts.append(file.read(FEEDBACK_BYTES).decode(errors="replace").strip())
    return "\n".join(p for p in parts if p)
