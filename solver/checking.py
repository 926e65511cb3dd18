"""Checking an output against an answer the way the problem's own judge would.

The filter compares candidates' outputs with the examples' answers; clustering compares two
candidates' outputs with each other. Both go through here, so that "equal" always means what
the problem's checker means: the default token comparison with the package's flags, or the
package's custom output validator, run in the sandbox with one output playing the answer.
"""

from __future__ import annotations

import re
import time
from contextlib import ExitStack
from decimal import Decimal
from pathlib import Path
from types import TracebackType
from typing import Protocol

from sandbox.backends.local import LocalBackend
from sandbox.checkers import compare_output
from sandbox.judge import Judge
from sandbox.problem import Problem
from sandbox.validators import OutputValidatorBox, output_validator
from sandbox.verdicts import Verdict

# A rounding tie: decimals printed to this many places or more that differ by one unit in the
# last place. The order of floating-point operations decides which way such a value rounds, so
# two correct programs may print either; under an exact checker they are still one behaviour.
TIE_MIN_PLACES = 4
TIE_MAX_BYTES = 1 << 16  # longer outputs are compared as the checker compares them, no more
_DECIMAL = re.compile(rb"-?\d+\.(\d+)")


def rounding_tie(first: bytes, second: bytes) -> bool:
    """Whether two outputs are the same tokens but for decimals of the same number of places
    (`TIE_MIN_PLACES` or more) that differ by one unit in the last place."""
    return last_place_gap(first, second) == 1


def last_place_gap(first: bytes, second: bytes) -> int | None:
    """Where two different outputs are the same tokens but for decimals of the same number of
    places (`TIE_MIN_PLACES` or more): the largest difference of such a pair, in units of its
    last place. None where they differ otherwise, or not at all."""
    if len(first) > TIE_MAX_BYTES or len(second) > TIE_MAX_BYTES or b"." not in first:
        return None
    a, b = first.split(), second.split()
    if len(a) != len(b) or a == b:
        return None
    gap = 0
    for x, y in zip(a, b, strict=True):
        if x == y:
            continue
        mx, my = _DECIMAL.fullmatch(x), _DECIMAL.fullmatch(y)
        if mx is None or my is None:
            return None
        places = len(mx.group(1))
        if places < TIE_MIN_PLACES or len(my.group(1)) != places:
            return None
        units = abs(Decimal(x.decode()) - Decimal(y.decode())).scaleb(places)
        gap = max(gap, int(units))
    return gap


class CheckCache(Protocol):
    """Custom validator calls already made (a replay's store)."""

    def check_key(self, checker: str, input_file: Path, answer: bytes, output: bytes) -> str: ...

    def cached_check(self, key: str) -> tuple[str, str] | None: ...

    def record_check(self, key: str, verdict: str, message: str, seconds: float) -> None: ...


class OutputChecker:
    """A context manager; `check` is not thread-safe (one validator box, reused)."""

    def __init__(
        self,
        backend: LocalBackend,
        judge: Judge,
        problem: Problem,
        cache: CheckCache | None = None,
    ) -> None:
        self._backend = backend
        self._judge = judge
        self._problem = problem
        self._cache = cache
        self._identity = ""
        self._stack = ExitStack()
        self._validator: OutputValidatorBox | None = None
        self._private: Path | None = None
        self._files = 0
        self.validator_calls = 0

    @property
    def custom(self) -> bool:
        return self._problem.output_validator is not None

    def __enter__(self) -> OutputChecker:
        program = self._judge.validator_for(self._problem)  # PackageError if it cannot build
        if program is not None:
            self._validator = self._stack.enter_context(
                output_validator(self._backend, program, self._problem.validator_flags)
            )
            flags = " ".join(self._problem.validator_flags)
            self._identity = f"{program.language.id}/{program.directory.parent.name}/{flags}"
        self._private = self._stack.enter_context(self._backend.private_dir())
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._stack.close()

    def _file(self, data: bytes) -> Path:
        assert self._private is not None, "use OutputChecker as a context manager"
        self._files += 1
        path = self._private / f"file-{self._files % 4}"  # a few slots: answer and output
        path.write_bytes(data)
        return path

    def check(self, input_file: Path, answer: Path | bytes, output: bytes) -> tuple[Verdict, str]:
        """AC or WA (JE when a custom validator fails), with the checker's message."""
        if self._validator is not None:
            key = ""
            if self._cache is not None:
                answer_bytes = answer.read_bytes() if isinstance(answer, Path) else answer
                key = self._cache.check_key(self._identity, input_file, answer_bytes, output)
                known = self._cache.cached_check(key)
                if known is not None:
                    return Verdict(known[0]), known[1]
            answer_file = answer if isinstance(answer, Path) else self._file(answer)
            output_file = self._file(output)
            self.validator_calls += 1
            started = time.monotonic()
            checked = self._validator.check(input_file, answer_file, output_file)
            if self._cache is not None and checked.verdict is not Verdict.JE:
                spent = time.monotonic() - started
                self._cache.record_check(key, str(checked.verdict), checked.message, spent)
            return checked.verdict, checked.message
        expected = answer.read_bytes() if isinstance(answer, Path) else answer
        compared = compare_output(expected, output, self._problem.checker_flags)
        return (Verdict.AC if compared.accepted else Verdict.WA), compared.message
