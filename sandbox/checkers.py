"""The Kattis default output validation, as a pure function of the answer and the output.

Tokens are compared case-insensitively unless `case_sensitive`; whitespace is free unless
`space_change_sensitive`; where a float tolerance is set and the jury's token is a number, the
team's token must be a number within the absolute or the relative tolerance.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

_NUMBER = re.compile(rb"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?|[+-]?(inf|infinity|nan)", re.I)
_WHITESPACE_RUNS = re.compile(rb"(\s+)")
_SHOWN_CHARS = 40


@dataclass(frozen=True)
class CheckerFlags:
    case_sensitive: bool = False
    space_change_sensitive: bool = False
    float_absolute_tolerance: float | None = None
    float_relative_tolerance: float | None = None

    @classmethod
    def parse(cls, flags: Sequence[str]) -> CheckerFlags:
        """Reads `validator_flags` (already split into words); raises ValueError on nonsense."""
        values: dict[str, object] = {}
        words = list(flags)
        while words:
            word = words.pop(0)
            if word in ("case_sensitive", "space_change_sensitive"):
                values[word] = True
            elif word in (
                "float_tolerance",
                "float_absolute_tolerance",
                "float_relative_tolerance",
            ):
                if not words:
                    raise ValueError(f"{word} needs a number")
                try:
                    tolerance = float(words.pop(0))
                except ValueError:
                    raise ValueError(f"{word} needs a number") from None
                if word in ("float_tolerance", "float_absolute_tolerance"):
                    values["float_absolute_tolerance"] = tolerance
                if word in ("float_tolerance", "float_relative_tolerance"):
                    values["float_relative_tolerance"] = tolerance
            else:
                raise ValueError(f"unknown flag {word!r}")
        return cls(**values)  # type: ignore[arg-type]

    @property
    def compares_floats(self) -> bool:
        return (
            self.float_absolute_tolerance is not None or self.float_relative_tolerance is not None
        )


@dataclass(frozen=True)
class CheckResult:
    accepted: bool
    message: str


def _show(token: bytes) -> str:
    text = token.decode(errors="replace")
    return text if len(text) <= _SHOWN_CHARS else text[:_SHOWN_CHARS] + "..."


def _as_float(token: bytes) -> float | None:
    return float(token) if _NUMBER.fullmatch(token) else None


def _floats_match(expected: float, got: float, flags: CheckerFlags) -> bool:
    if math.isnan(expected) or math.isnan(got):
        return math.isnan(expected) and math.isnan(got)
    if math.isinf(expected) or math.isinf(got):
        return expected == got
    difference = abs(expected - got)
    absolute = flags.float_absolute_tolerance
    relative = flags.float_relative_tolerance
    return (absolute is not None and difference <= absolute) or (
        relative is not None and difference <= relative * abs(expected)
    )


def _tokens_match(expected: bytes, got: bytes, flags: CheckerFlags) -> str | None:
    """None if the tokens match, else why not."""
    if flags.compares_floats:
        expected_value = _as_float(expected)
        if expected_value is not None:
            got_value = _as_float(got)
            if got_value is None:
                return f"expected a number near {_show(expected)}, got {_show(got)!r}"
            if not _floats_match(expected_value, got_value, flags):
                return f"expected {_show(expected)}, got {_show(got)} (outside the tolerance)"
            return None
    same = expected == got if flags.case_sensitive else expected.lower() == got.lower()
    return None if same else f"expected {_show(expected)!r}, got {_show(got)!r}"


def compare_output(answer: bytes, output: bytes, flags: CheckerFlags) -> CheckResult:
    if flags.space_change_sensitive:
        expected_parts = _WHITESPACE_RUNS.split(answer)
        got_parts = _WHITESPACE_RUNS.split(output)
    else:
        expected_parts = answer.split()
        got_parts = output.split()
    for index, (expected, got) in enumerate(zip(expected_parts, got_parts, strict=False)):
        if flags.space_change_sensitive and _WHITESPACE_RUNS.fullmatch(expected or b" "):
            if expected != got:
                return CheckResult(False, f"whitespace differs at part {index + 1}")
            continue
        problem = _tokens_match(expected, got, flags)
        if problem is not None:
            return CheckResult(False, f"token {index + 1}: {problem}")
    if len(got_parts) < len(expected_parts):
        shown = _show(b" ".join(p for p in expected_parts[len(got_parts) :][:3] if p.strip()))
        return CheckResult(False, f"output ended early: expected more, next {shown!r}")
    if len(got_parts) > len(expected_parts):
        extra = _show(b" ".join(p for p in got_parts[len(expected_parts) :][:3] if p.strip()))
        return CheckResult(False, f"trailing output: {extra!r}")
    return CheckResult(True, "")
