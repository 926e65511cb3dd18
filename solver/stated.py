"""What a statement's Input section says of the smallest value an input may hold.

Inputs made without a validator can break the statement's promises, and programs answer such
inputs arbitrarily: a correct program prints an invalid `0 0` on a count the statement says is
at least 1, and a brute force answers `-1` on an `n` it promises is positive. Their answers then
split correct programs apart, or, as answers to questions, remove them. Here the lower bounds of
the Input section's inequalities (`$1 \\le n \\le 10^8$`, `$0 < m$`, `n ≥ 2`) give one floor for
every integer of the input: the smallest of them, where it is positive and every example keeps
it. Only the lower bounds are read: an upper bound belongs to one variable (a size of 250 beside
values of 10^6), and text taken from a PDF loses its exponents (`10^8` reads `108`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from fractions import Fraction
from pathlib import Path

_START = re.compile(
    r"\\section\*?\{\s*(?:input|entr[ée]es?)\s*\}|\\begin\{input\}|^\s*#+\s*input\s*$|^\s*input\s*$",
    re.IGNORECASE | re.MULTILINE,
)
_END = re.compile(
    r"\\section|\\end\{input\}|\\begin\{output\}|^\s*#+\s|^\s*output\s*$",
    re.IGNORECASE | re.MULTILINE,
)
_SPELLINGS = (
    (r"\\leqslant|\\leq|\\le(?![a-z])|≤|<=", " ≤ "),
    (r"\\geqslant|\\geq|\\ge(?![a-z])|≥|>=", " ≥ "),
    (r"\\lt(?![a-z])", " < "),
    (r"\\gt(?![a-z])", " > "),
    (r"\\cdot|\\times|×|·", " * "),
    (r"−|–", "-"),
    (r"\\,|\\!|\\;|~|\{,\}|\$|\\left|\\right", " "),
    (r"\\[lr]?vert|\\mid", "|"),
)
# A number: digits (thousands maybe spaced), then optionally times a power of ten.
_POWER = r"\s*\^\s*\{?\s*\d{1,3}\s*\}?"  # at most 10^999: no huge powers to compute
_NUMBER = rf"-?\s*\d+(?:[ ]\d{{3}})*(?:\.\d+)?(?:\s*\*\s*10{_POWER}|{_POWER})?"
_VARIABLE = r"\\?[A-Za-z]"
# Not the tail of an expression: n-1 ≤ m bounds m by n-1, not by -1.
_BELOW = re.compile(rf"(?<![\w)}}.^*+/-])({_NUMBER})\s*(≤|<)\s*{_VARIABLE}")  # 1 ≤ n, 0 < m
_ABOVE = re.compile(rf"{_VARIABLE}[\w{{}}']*\s*(≥|>)\s*({_NUMBER})(?!\.?\d)")  # n ≥ 2


# A lower bound that subtracts (m ≥ n - 1) may be below every constant the section states, and
# an absolute value (|x| ≤ 10^9) has none: then nothing is known of the smallest value.
_UNKNOWN = re.compile(
    rf"[\w)}}]\s*-\s*[\w{{}}]+\s*(?:≤|<)\s*{_VARIABLE}|{_VARIABLE}[\w{{}}']*\s*(?:≥|>)\s*[\w{{}}]+\s*-"
    r"|\|[^|]{1,30}\|\s*(?:≤|<)"
)


def input_section(statement: str) -> str:
    """The statement's Input section, or "" when it has none that can be found."""
    start = _START.search(statement)
    if start is None:
        return ""
    end = _END.search(statement, start.end())
    return statement[start.end() : end.start() if end is not None else len(statement)]


def _value(text: str) -> Fraction:
    text = re.sub(r"\s+|[{}]", "", text)
    sign = -1 if text.startswith("-") else 1  # -10^6 is -(10^6)
    text = text.lstrip("-")
    if "*10^" in text:
        base, power = text.split("*10^")
        return sign * Fraction(base) * 10 ** int(power)
    if "^" in text:
        base, power = text.split("^")
        return sign * Fraction(base) ** int(power)
    return sign * Fraction(text)


def lower_bounds(section: str) -> list[Fraction]:
    """Every lower bound that the section's inequalities state; none where one of them is a
    difference or an absolute value (the smallest value is not known)."""
    text = section
    for pattern, replacement in _SPELLINGS:
        text = re.sub(pattern, replacement, text)
    if _UNKNOWN.search(text):
        return []
    bounds = []
    for match in _BELOW.finditer(text):
        bound = _value(match.group(1))
        bounds.append(bound + 1 if match.group(2) == "<" and bound.denominator == 1 else bound)
    for match in _ABOVE.finditer(text):
        bound = _value(match.group(2))
        bounds.append(bound + 1 if match.group(1) == ">" and bound.denominator == 1 else bound)
    return bounds


_INTEGER = re.compile(r"-?\d+")


def _integers(text: str) -> Iterable[int]:
    return (int(token) for token in text.split() if _INTEGER.fullmatch(token))


def stated_floor(statement: Path | None, examples: Iterable[str]) -> int | None:
    """The smallest integer any input may hold by the statement, where that is positive and
    every example keeps it; else None (nothing is known, or an example breaks it: the bounds
    were misread, or some integer the statement does not bound may be smaller)."""
    if statement is None:
        return None
    try:
        text = statement.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    bounds = lower_bounds(input_section(text))
    if not bounds:
        return None
    floor = min(bounds)
    if floor <= 0:
        return None
    lowest = -(-floor.numerator // floor.denominator)  # the smallest integer at or above it
    if any(value < lowest for example in examples for value in _integers(example)):
        return None
    return lowest
