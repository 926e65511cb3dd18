"""Test inputs for clustering, made without a model and without the hidden tests.

Three sources, merged and deduplicated:

1. The package's own generator, where it is a single program that writes `.in` files into a
   folder given as its first argument and takes `--seed S` (this project's bundled problems).
   BAPCtools' `generators.yaml` and other conventions are reported as not usable. Inputs from
   model-written generators (solver/model_inputs.py), when given, come next.
2. A fuzzer over the example inputs that keeps their structure: each example is read as lines
   of tokens (integers, decimals, words); integers that look like sizes (they equal the number
   of lines that follow, the number of tokens on the next line, or the length of the next
   line's word) stay fixed while other values are redrawn within the range the examples show;
   small edits (+-1, a flipped low bit, a changed character) as in CodeContests' generated
   tests; larger instances of the same shape (a block of rows, a line of numbers or a word
   grown, its size token updated; a string that no size counts grown beside its counted
   queries, the query ends that reach its length redrawn over the new one) to expose slow
   programs and reach past the example's few characters; smaller ones (a block cut to one or
   two items) and edge values (the smallest and largest seen, the next powers of ten) where
   off-by-one and overflowing programs fail.
3. Edge-case probes, where asked for (by the questions to an oracle, solver/oracle.py, when
   no input separates the programs left): every assignment of 0..3 (0..2 where 64 are not
   enough) to the few free integers of an example or of its one- and two-item cuts, values
   from that tiny domain (ties, zeros, degenerate shapes), edge values and words of new
   lengths, where special cases fail.

When the package has an input validator that builds and accepts every example, every generated
input is screened by it in the sandbox. Without one, fuzzed inputs must keep the relations
every example keeps (`Invariants`: two values of a line in order, a column sorted down a
block, no negative where none was seen) and no integer below the smallest lower bound of the
statement's Input section (`solver.stated`: no 0 where it says `1 <= n`), and the edge-case
probes, more likely than the rest to break a promise of the statement, are marked
(`GeneratedInputs.probes`).
Inputs on which most survivors crash are dropped later, by clustering, where the runs are.

Probes are not among the inputs clustering splits on or the scorer reads: measured on
Codeforces pools, splitting clusters on them, or ranking a cluster's members by how they agree
there, lowered selection top-1 (they set correct programs apart as often as wrong ones). Only
the questions use them, last.
"""

from __future__ import annotations

import itertools
import random
import re
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from sandbox.backends.local import LocalBackend
from sandbox.build import Builder, Program
from sandbox.errors import SandboxError
from sandbox.limits import VALIDATOR_LIMITS
from sandbox.problem import Problem
from sandbox.validators import (
    InputValidatorBox,
    build_validator,
    input_validator,
    validator_language,
)
from sandbox.verdicts import Verdict
from solver.stated import stated_floor

MAX_INPUT_BYTES = 4 * 1024 * 1024  # a generated input larger than this is not kept
MAX_GROWN_ITEMS = 20_000  # the largest block a grown instance gets
BOUND_ROWS = 2  # the first lines, whose sizes and strings may bound the values below them
GENERATOR_INPUTS_KEPT = 12  # at most this many inputs from the package's generator
# Part of a store's key for generated inputs: a store written by an older fuzzer makes them anew.
FUZZER_VERSION = 6
MAX_TINY_INSTANCES = 64  # an instance's free integers are enumerated when this many suffice
MAX_PROBE_ATTEMPTS = 400  # random probes tried after the tiny instances
MAX_GRID_SYMBOLS = 6  # a grid of at most this many symbols may hold markers (S, E)

_INT = re.compile(r"-?\d{1,18}")
_FLOAT = re.compile(r"-?\d+\.\d+")

Progress = Callable[[int, int], None]


@dataclass
class Token:
    text: str
    kind: str  # "int", "float" or "word"
    structural: bool = False  # a size: kept fixed when values are redrawn

    @property
    def value(self) -> int:
        return int(self.text)


@dataclass
class Parsed:
    lines: list[list[Token]]
    trailing_newline: bool

    def render(self) -> str:
        text = "\n".join(" ".join(t.text for t in line) for line in self.lines)
        return text + ("\n" if self.trailing_newline else "")

    def copy(self) -> Parsed:
        return Parsed(
            [[Token(t.text, t.kind, t.structural) for t in line] for line in self.lines],
            self.trailing_newline,
        )


def _kind(text: str) -> str:
    if _INT.fullmatch(text):
        digits = text.lstrip("-")
        # "010" is a row of a grid or a binary string, not the number 10: its length counts.
        return "word" if len(digits) > 1 and digits[0] == "0" else "int"
    if _FLOAT.fullmatch(text):
        return "float"
    return "word"


def parse_input(text: str) -> Parsed:
    lines = [[Token(w, _kind(w)) for w in line.split()] for line in text.splitlines()]
    parsed = Parsed(lines, text.endswith("\n"))
    _mark_sizes(parsed)
    return parsed


def block_after(parsed: Parsed, line: int) -> int:
    """How many lines after `line` share the next line's shape (token count and kinds)."""
    lines = parsed.lines
    if line + 1 >= len(lines):
        return 0
    shape = [t.kind for t in lines[line + 1]]
    count = 0
    for following in lines[line + 1 :]:
        if [t.kind for t in following] != shape:
            break
        count += 1
    return count


def _relations(parsed: Parsed, row: int, token: Token) -> list[str]:
    """What a size token at `row` counts: "rows", "tokens" or "chars" of what follows."""
    if token.kind != "int" or token.value < 1:
        return []
    value = token.value
    found: list[str] = []
    lines = parsed.lines
    shape = [t.kind for t in lines[row]]
    if row > 0 and [t.kind for t in lines[row - 1]] == shape:
        return found  # a row inside a block of rows of its own shape holds data, not a size
    if block_after(parsed, row) == value and value > 1:
        found.append("rows")
    if row + 1 < len(lines):
        following = lines[row + 1]
        if len(following) == value and value > 1:
            found.append("tokens")
        if len(following) == 1 and following[0].kind == "word" and len(following[0].text) == value:
            found.append("chars")
    if value == len(lines) - row - 1 and "rows" not in found and value > 0:
        found.append("rows")
    return found


def _mark_sizes(parsed: Parsed) -> None:
    for row, line in enumerate(parsed.lines):
        for token in line:
            if _relations(parsed, row, token):
                token.structural = True


@dataclass
class Ranges:
    """Observed values per column shape: (tokens on the line, position) -> [low, high]."""

    ints: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)
    floats: dict[tuple[int, int], tuple[float, float]] = field(default_factory=dict)
    alphabet: str = "abc"

    @classmethod
    def of(cls, examples: list[Parsed]) -> Ranges:
        ranges = cls()
        chars: set[str] = set()
        for parsed in examples:
            for line in parsed.lines:
                for position, token in enumerate(line):
                    key = (len(line), position)
                    if token.kind == "int" and not token.structural:
                        low, high = ranges.ints.get(key, (token.value, token.value))
                        ranges.ints[key] = (min(low, token.value), max(high, token.value))
                    elif token.kind == "float":
                        value = float(token.text)
                        low_f, high_f = ranges.floats.get(key, (value, value))
                        ranges.floats[key] = (min(low_f, value), max(high_f, value))
                    elif token.kind == "word":
                        chars.update(token.text)
        if chars:
            ranges.alphabet = "".join(sorted(chars))
        return ranges


def _row_blocks(parsed: Parsed) -> Iterator[list[list[Token]]]:
    """Maximal runs of two or more consecutive lines with the same token kinds (a block of
    rows; a header line of the same shape joins it, in the examples as in generated inputs)."""
    lines = parsed.lines
    start = 0
    while start < len(lines):
        shape = [t.kind for t in lines[start]]
        end = start + 1
        while end < len(lines) and [t.kind for t in lines[end]] == shape:
            end += 1
        if end - start >= 2 and shape:
            yield lines[start:end]
        start = end


@dataclass
class Invariants:
    """Relations between values that every example keeps, for inputs no validator screens.

    Without a validator, redrawn values break promises of the statement that the examples
    show: an interval whose end comes before its start, a list that should be sorted, a
    negative where every value is a count, a maze with two starts. Programs disagree
    arbitrarily on such inputs, and clusters split on how they treat garbage instead of on
    what the hidden tests check (measured on Codeforces near-miss pools, where the leading
    wrong cluster differed from the correct program only on such inputs). A relation is
    inferred only from two lines or more (three rows for a sorted column, two examples for a
    grid's markers), so that one line's coincidence is not taken for a rule.
    """

    non_negative: set[tuple[int, int]] = field(default_factory=set)
    # (line length, i, j) -> "<" or "<=": value i before value j on every such line.
    order: dict[tuple[int, int, int], str] = field(default_factory=dict)
    # (line length, position) -> "<" or "<=": the column rises down every block of rows.
    sorted_columns: dict[tuple[int, int], str] = field(default_factory=dict)
    # Characters that every example's grid holds exactly once (a maze's start and exit), and
    # the grid's most common character, which stands in for a marker repeated by an edit.
    markers: set[str] = field(default_factory=set)
    filler: str = ""
    # (line length, position) -> the tokens of the first lines that bound the column from
    # above, each as (row, position, "value" or "length"): a size n that node numbers never
    # pass, a string's length that query ends never pass.
    bounds: dict[tuple[int, int], set[tuple[int, int, str]]] = field(default_factory=dict)
    # The smallest integer the statement's Input section allows (solver.stated), if known.
    floor: int | None = None

    @classmethod
    def of(cls, examples: list[Parsed], floor: int | None = None) -> Invariants:
        found = cls(floor=floor)
        lines_by_length: dict[int, list[list[Token]]] = {}
        for parsed in examples:
            for line in parsed.lines:
                lines_by_length.setdefault(len(line), []).append(line)
        for length, lines in lines_by_length.items():
            columns = [i for i in range(length) if all(_is_int(line, i) for line in lines)]
            for i in columns:
                if all(line[i].value >= 0 for line in lines):
                    found.non_negative.add((length, i))
            if len(lines) < 2:
                continue
            for i, j in itertools.permutations(columns, 2):
                pairs = [(line[i].value, line[j].value) for line in lines]
                if all(a < b for a, b in pairs):
                    found.order[(length, i, j)] = "<"
                elif all(a <= b for a, b in pairs) and i < j and any(a < b for a, b in pairs):
                    found.order[(length, i, j)] = "<="
        runs = [run for parsed in examples for run in _row_blocks(parsed)]
        for length in {len(run[0]) for run in runs}:
            blocks = [run for run in runs if len(run[0]) == length]
            if sum(len(run) for run in blocks) < 3:
                continue
            for i in range(length):
                if not all(_is_int(line, i) for run in blocks for line in run):
                    continue
                steps = [
                    (a[i].value, b[i].value) for run in blocks for a, b in itertools.pairwise(run)
                ]
                if all(a < b for a, b in steps):
                    found.sorted_columns[(length, i)] = "<"
                elif all(a <= b for a, b in steps):
                    found.sorted_columns[(length, i)] = "<="
        found.bounds = column_bounds(examples)
        grids = [_grid_text(parsed) for parsed in examples]
        alphabet = set("".join(grids))
        if len(grids) >= 2 and all(grids) and len(alphabet) <= MAX_GRID_SYMBOLS:
            found.markers = {c for c in alphabet if all(grid.count(c) == 1 for grid in grids)}
            others = "".join(grids).translate({ord(c): None for c in found.markers})
            found.filler = max(sorted(set(others)), key=others.count, default="")
        return found

    def _pairs(self, parsed: Parsed) -> Iterator[tuple[Token, Token, str]]:
        """(first, second, relation) for every ordered pair of values on a line."""
        for line in parsed.lines:
            for (length, i, j), relation in self.order.items():
                if len(line) == length and _is_int(line, i) and _is_int(line, j):
                    yield line[i], line[j], relation

    def _columns(self, parsed: Parsed) -> Iterator[tuple[list[Token], str]]:
        """(tokens down the block, relation) for every sorted column of a block of rows."""
        for run in _row_blocks(parsed):
            for (length, i), relation in self.sorted_columns.items():
                if len(run[0]) == length and all(_is_int(line, i) for line in run):
                    yield [line[i] for line in run], relation

    def _bounded(self, parsed: Parsed) -> Iterator[tuple[Token, int]]:
        """(token, its upper bound in this input) for every value of a bounded column."""
        limits = _bound_tokens(parsed)
        for row, line in enumerate(parsed.lines):
            for i in range(len(line)):
                for bound in self.bounds.get((len(line), i), ()):
                    if row > bound[0] and bound in limits and _is_int(line, i):
                        yield line[i], limits[bound]

    def conform(self, parsed: Parsed) -> Parsed:
        """Repairs what redrawing broke, in place: ordered pairs swapped back, the values of
        a sorted column sorted down its block, a grid's marker kept at its first place only.
        Ties a strict relation forbids, and a marker gone, remain."""
        if self.markers and self.filler:
            seen: set[str] = set()
            for token in _grid_words(parsed):
                chars = list(token.text)
                for index, char in enumerate(chars):
                    if char in self.markers:
                        chars[index] = self.filler if char in seen else char
                        seen.add(char)
                token.text = "".join(chars)
        for token, limit in self._bounded(parsed):
            if token.value > limit:
                token.text = str(limit)
        for first, second, _ in self._pairs(parsed):
            if first.value > second.value:
                first.text, second.text = second.text, first.text
        for column, _ in self._columns(parsed):
            for token, value in zip(column, sorted(t.value for t in column), strict=True):
                token.text = str(value)
        return parsed

    def hold(self, parsed: Parsed) -> bool:
        """Whether the input keeps every relation."""
        negative = any(
            _is_int(line, i) and line[i].value < 0
            for line in parsed.lines
            for length, i in self.non_negative
            if len(line) == length
        )
        grid = _grid_text(parsed) if self.markers else ""
        below = self.floor is not None and any(
            token.kind == "int" and token.value < self.floor
            for line in parsed.lines
            for token in line
        )
        return (
            not negative
            and not below
            and all(token.value <= limit for token, limit in self._bounded(parsed))
            and all(grid.count(marker) == 1 for marker in self.markers)
            and all(_keeps(a.value, b.value, relation) for a, b, relation in self._pairs(parsed))
            and all(
                _keeps(a.value, b.value, relation)
                for column, relation in self._columns(parsed)
                for a, b in itertools.pairwise(column)
            )
        )


def _bound_tokens(parsed: Parsed) -> dict[tuple[int, int, str], int]:
    """The positive integers and the words' lengths of the first BOUND_ROWS lines, by place."""
    found = {}
    for row, line in enumerate(parsed.lines[:BOUND_ROWS]):
        for position, token in enumerate(line):
            if token.kind == "int" and token.value > 0:
                found[(row, position, "value")] = token.value
            elif token.kind == "word":
                found[(row, position, "length")] = len(token.text)
    return found


def column_bounds(examples: list[Parsed]) -> dict[tuple[int, int], set[tuple[int, int, str]]]:
    """For each column (line length, position) of the lines below the first one, the tokens of
    the first lines it never exceeds in any example and reaches in one, over two values or
    more: reaching the bound is what tells a limit ("r <= |s|" with r = |s| in an example)
    from small values that happen to lie below a large one."""
    limits = [_bound_tokens(parsed) for parsed in examples]
    places = {place for found in limits for place in found}
    seen: Counter[tuple[tuple[int, int], tuple[int, int, str]]] = Counter()
    reached, broken = set(), set()
    for parsed, found in zip(examples, limits, strict=True):
        columns: dict[tuple[int, int], list[tuple[int, int]]] = {}  # -> [(row, value)]
        for row, line in enumerate(parsed.lines[1:], start=1):
            for i in range(len(line)):
                if _is_int(line, i):
                    columns.setdefault((len(line), i), []).append((row, line[i].value))
        for column, values in columns.items():
            for place in places:
                below = [value for row, value in values if row > place[0]]
                if not below:
                    continue
                key = (column, place)
                if place not in found or max(below) > found[place]:
                    broken.add(key)
                seen[key] += len(below)
                if max(below) == found.get(place):
                    reached.add(key)
    bounds: dict[tuple[int, int], set[tuple[int, int, str]]] = {}
    for key in reached - broken:
        if seen[key] >= 2:
            bounds.setdefault(key[0], set()).add(key[1])
    return bounds


def _grid_words(parsed: Parsed) -> list[Token]:
    """The rows of a grid: the words of the longest run of two or more lines that each hold
    one word, of one length."""
    best: list[Token] = []
    for run in _row_blocks(parsed):
        words = [line[0] for line in run if len(line) == 1 and line[0].kind == "word"]
        if len(words) == len(run) > len(best) and len({len(w.text) for w in words}) == 1:
            best = words
    return best


def _grid_text(parsed: Parsed) -> str:
    return "".join(token.text for token in _grid_words(parsed))


def _is_int(line: list[Token], position: int) -> bool:
    """Whether the token there is an integer value (not a size, which stays fixed)."""
    return line[position].kind == "int" and not line[position].structural


def _keeps(a: int, b: int, relation: str) -> bool:
    return a < b if relation == "<" else a <= b


def _draw_int(rng: random.Random, low: int, high: int) -> int:
    if high - low > 1000 and low >= 0 and rng.random() < 0.5:
        # Spread over magnitudes too: small and large values both matter.
        return min(
            high, max(low, int(10 ** rng.uniform(len(str(max(low, 1))) - 1, len(str(high)))))
        )
    return rng.randint(low, high)


def redraw(token: Token, key: tuple[int, int], ranges: Ranges, rng: random.Random) -> None:
    if token.kind == "int" and not token.structural:
        low, high = ranges.ints.get(key, (token.value, token.value))
        if low == high:
            # One observed value says little about the bounds: try its neighbourhood (an
            # input validator, where there is one, rejects what is out of range).
            low, high = (1, max(2, 2 * high)) if low > 0 else (min(-1, 2 * low), max(1, -low))
        token.text = str(_draw_int(rng, low, high))
    elif token.kind == "float":
        low_f, high_f = ranges.floats.get(key, (float(token.text), float(token.text)))
        decimals = len(token.text.split(".")[1])
        token.text = f"{rng.uniform(low_f, high_f):.{decimals}f}"
    elif token.kind == "word" and rng.random() < 0.5:
        token.text = "".join(rng.choice(ranges.alphabet) for _ in token.text)


def perturb_values(parsed: Parsed, ranges: Ranges, rng: random.Random) -> Parsed:
    """Every non-size value redrawn (with probability one half) within the observed range."""
    result = parsed.copy()
    for line in result.lines:
        for position, token in enumerate(line):
            if rng.random() < 0.5:
                redraw(token, (len(line), position), ranges, rng)
    return result


def small_edit(parsed: Parsed, ranges: Ranges, rng: random.Random) -> Parsed:
    """One token changed a little: +-1, a flipped low bit, or one character replaced."""
    result = parsed.copy()
    tokens = [t for line in result.lines for t in line if not t.structural]
    if not tokens:
        return result
    token = rng.choice(tokens)
    if token.kind == "int":
        value = token.value
        edit = rng.choice(("plus", "minus", "bit"))
        if edit == "plus":
            value += 1
        elif edit == "minus":
            value -= 1
        else:
            value ^= 1 << rng.randrange(0, 4)
        token.text = str(value)
    elif token.kind == "float":
        token.text = str(float(token.text) + rng.choice((-1, 1)) * 10 ** -rng.randint(0, 3))
    elif token.text:
        chars = list(token.text)
        chars[rng.randrange(len(chars))] = rng.choice(ranges.alphabet)
        token.text = "".join(chars)
    return result


def _size_claims(parsed: Parsed) -> list[tuple[int, Token, str]]:
    """(row, size token, what it counts) for every token that may be a size."""
    return [
        (row, token, relation)
        for row, line in enumerate(parsed.lines)
        for token in line
        for relation in _relations(parsed, row, token)
    ]


def sized_blocks(parsed: Parsed) -> list[tuple[int, Token, str]]:
    """The size claims that are unambiguous: where two tokens claim one block ("6 6" before six
    edges: n or m?), changing the block with the wrong one breaks the input ("8 6" before eight
    edges), so such a block is left as it is."""
    claims = _size_claims(parsed)
    claimants = Counter((row, relation) for row, _, relation in claims)
    return [claim for claim in claims if claimants[(claim[0], claim[2])] == 1]


def grow(parsed: Parsed, ranges: Ranges, rng: random.Random, target: int) -> Parsed | None:
    """A larger instance: one sized block (rows, a line of tokens, a word) grown to `target`
    items, new items drawn like the old ones, and its size token updated. None if the example
    has no sized block."""
    result = parsed.copy()
    options = sized_blocks(result)
    if not options:
        # A word grows only where nothing counts: a block of ambiguous size stays as it is.
        return None if _size_claims(result) else _grow_word(result, rng, target)
    free = _free_words(result)
    if free and rng.random() < 1 / (len(options) + 1):
        # A string on its own line whose length no token counts is one more block to grow:
        # the string of a query problem, beside its counted queries.
        return _grow_free_word(result, ranges, rng, target, free)
    row, token, relation = rng.choice(options)
    old = token.value
    if target <= old:
        return None
    lines = result.lines
    if relation == "rows":
        block = lines[row + 1 : row + 1 + old]
        extra = []
        for _ in range(target - old):
            new = [Token(t.text, t.kind, t.structural) for t in rng.choice(block)]
            for position, item in enumerate(new):
                redraw(item, (len(new), position), ranges, rng)
            extra.append(new)
        lines[row + 1 + old : row + 1 + old] = extra
    elif relation == "tokens":
        line = lines[row + 1]
        key_of = len(line)
        for _ in range(target - old):
            model = rng.choice(line)
            new = Token(model.text, model.kind)
            redraw(new, (key_of, rng.randrange(key_of)), ranges, rng)
            line.append(new)
        for position, item in enumerate(line):
            # Values are kept to the range of the line as the example had it.
            if item.kind == "int":
                low, high = ranges.ints.get((key_of, position % key_of), (item.value, item.value))
                item.text = str(_draw_int(rng, low, high))
    else:
        word = lines[row + 1][0]
        _lengthen(word, rng, target, ranges.alphabet)
    token.text = str(target)
    return result


def shrink(parsed: Parsed, rng: random.Random, target: int) -> Parsed | None:
    """A smaller instance: one sized block cut to its first `target` items (at least one), its
    size token updated; the smallest cases are where off-by-one programs fail. None if there is
    no sized block larger than `target`."""
    result = parsed.copy()
    options = [option for option in sized_blocks(result) if option[1].value > target]
    if not options or target < 1:
        return None
    row, token, relation = rng.choice(options)
    old = token.value
    lines = result.lines
    if relation == "rows":
        del lines[row + 1 + target : row + 1 + old]
    elif relation == "tokens":
        del lines[row + 1][target:]
    else:
        word = lines[row + 1][0]
        word.text = word.text[:target]
    token.text = str(target)
    return result


def extreme_values(parsed: Parsed, ranges: Ranges, rng: random.Random) -> Parsed:
    """One to three values set to an edge: the smallest or largest seen for their column, or
    the next powers of ten above it (where overflowing programs fail)."""
    result = parsed.copy()
    tokens = [
        (token, (len(line), position))
        for line in result.lines
        for position, token in enumerate(line)
        if token.kind == "int" and not token.structural
    ]
    if not tokens:
        return result
    for token, key in rng.sample(tokens, min(len(tokens), rng.randint(1, 3))):
        low, high = ranges.ints.get(key, (token.value, token.value))
        top = 10 ** len(str(abs(high)))
        token.text = str(rng.choice((low, high, max(low, 1) if low >= 0 else low, top, top * 10)))
    return result


def small_values(parsed: Parsed, ranges: Ranges, rng: random.Random) -> Parsed:
    """Every value redrawn from a tiny domain: 0 to 2 (-1 to 1 where the examples go
    negative). Equal items, zeros, coincident points and degenerate shapes come up often there,
    and special cases fail on them."""
    result = parsed.copy()
    for line in result.lines:
        for position, token in enumerate(line):
            if token.kind != "int" or token.structural:
                continue
            low, _ = ranges.ints.get((len(line), position), (token.value, token.value))
            base = -1 if low < 0 else 0
            token.text = str(rng.randint(base, base + 2))
    return result


def reshape_words(parsed: Parsed, rng: random.Random) -> Parsed | None:
    """Words of new lengths (from one character to twice the old length and more) over a
    small alphabet from the example's own characters: where programs join, split or store
    words in fixed buffers, they fail. Words whose length a size token gives are kept. None
    if the example has no free word."""
    result = parsed.copy()
    counted = {row + 1 for row, _, relation in _size_claims(result) if relation == "chars"}
    words = [
        token
        for row, line in enumerate(result.lines)
        if row not in counted
        for token in line
        if token.kind == "word"
    ]
    if not words:
        return None
    chars = sorted({c for token in words for c in token.text}) or ["a"]
    short = rng.random() < 0.5  # words of 1-3 letters over two: where joined words collide
    alphabet = rng.sample(chars, min(len(chars), 2 if short else rng.choice((3, len(chars)))))
    for token in words:
        length = rng.randint(1, 3 if short else max(3, 2 * len(token.text) + 2))
        token.text = "".join(rng.choice(alphabet) for _ in range(length))
    return result


def _free_words(parsed: Parsed) -> list[tuple[int, Token]]:
    """(row, word) for words alone on their line, longer than a character, in no block that a
    size token counts (rows of a grid, names listed after their number) and whose length no
    token counts."""
    counted: set[int] = set()
    for row, token, relation in _size_claims(parsed):
        rows = token.value if relation == "rows" else 1
        counted.update(range(row + 1, row + 1 + rows))
    return [
        (row, line[0])
        for row, line in enumerate(parsed.lines)
        if len(line) == 1 and line[0].kind == "word" and len(line[0].text) > 1
        if row not in counted
    ]


def _grow_free_word(
    parsed: Parsed,
    ranges: Ranges,
    rng: random.Random,
    target: int,
    free: list[tuple[int, Token]],
) -> Parsed | None:
    """The longest free word grown to `target` characters; the values below it in a column
    whose examples reach the word's length (positions in the string: query ends) are redrawn
    over the new length, so that the new characters are reached."""
    row, word = max(free, key=lambda item: len(item[1].text))
    old = len(word.text)
    if target <= old:
        return None
    _lengthen(word, rng, target)
    for line in parsed.lines[row + 1 :]:
        for position, token in enumerate(line):
            if token.kind != "int" or token.structural:
                continue
            low, high = ranges.ints.get((len(line), position), (0, 0))
            if high == old and low >= 0:
                token.text = str(rng.randint(max(low, 1), target))
    return parsed


def _grow_word(parsed: Parsed, rng: random.Random, target: int) -> Parsed | None:
    """Without a size token, the longest word (a string input) grown in place."""
    words = [t for line in parsed.lines for t in line if t.kind == "word" and len(t.text) > 1]
    if not words:
        return None
    word = max(words, key=lambda t: len(t.text))
    if target <= len(word.text):
        return None
    _lengthen(word, rng, target)
    return parsed


def _lengthen(word: Token, rng: random.Random, target: int, fallback: str = "") -> None:
    """The word grown to `target` characters drawn from its own (or `fallback` where it has
    none)."""
    alphabet = "".join(sorted(set(word.text))) or fallback
    word.text += "".join(rng.choice(alphabet) for _ in range(target - len(word.text)))


# Inputs made by these operators probe edge cases and are more likely than the others to break
# a promise of the statement (a zero where it says positive, a word past the stated length):
# without a validator to screen them, questions are put on them only after every other input.
PROBE_SOURCES = frozenset({"tiny values", "reshaped words", "edge probes"})


@dataclass
class GeneratedInputs:
    inputs: list[Path]
    sources: dict[str, int] = field(default_factory=dict)  # how many came from where
    probes: list[Path] = field(default_factory=list)  # the inputs from PROBE_SOURCES, unscreened
    rejected_by_validator: int = 0
    implausible: int = 0  # dropped unscreened: they broke a relation every example keeps
    floor: int | None = None  # unscreened: the smallest integer the statement allows
    screened: bool = False  # a validator accepted every input kept
    validator: str = "none in the package"
    generator: str = "none in the package"
    model: str = ""  # what the model-written generators and validators gave, where asked


class Screen:
    """The package's input validators, where they build and accept every example; each is
    staged in one box for all the inputs (a context manager)."""

    def __init__(self, backend: LocalBackend, builder: Builder, problem: Problem) -> None:
        self.programs: list[Program] = []
        self.note = "none in the package"
        self._backend = backend
        self._problem = problem
        self._stack = ExitStack()
        self._boxes: list[InputValidatorBox] = []
        errors = []
        for path in problem.input_validators:
            try:
                self.programs.append(build_validator(builder, path, problem.slug))
            except SandboxError as error:
                errors.append(f"{path.name}: {error}")
        if problem.input_validators:
            self.note = f"{len(self.programs)} built" + (
                f"; not usable: {errors[0]}" if errors else ""
            )

    def __enter__(self) -> Screen:
        self._boxes = [
            self._stack.enter_context(input_validator(self._backend, program))
            for program in self.programs
        ]
        if self._boxes and not all(self.accepts(case.input) for case in self._problem.samples):
            self._boxes = []
            self.note = "not usable: it rejects an example (it may need flags)"
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stack.close()

    @property
    def active(self) -> bool:
        return bool(self._boxes)

    def accepts(self, path: Path) -> bool:
        return all(box.check(path).verdict is Verdict.AC for box in self._boxes)


def _run_package_generator(
    backend: LocalBackend, builder: Builder, problem: Problem, seed: int
) -> tuple[list[bytes], str]:
    """The package generator's inputs (any it wrote), or none and why not."""
    generators = problem.generators
    if generators is None:
        return [], "none in the package"
    entries = [p for p in generators.iterdir() if p.is_file() and not p.name.startswith(".")]
    if any(p.name in ("generators.yaml", "generators.yml") for p in entries):
        return [], "not usable: BAPCtools generators.yaml is not supported"
    programs = [p for p in entries if p.suffix in (".py", ".cpp", ".cc", ".c")]
    if len(programs) != 1:
        return [], f"not usable: {len(programs)} generator programs, expected one"
    try:
        language = validator_language(programs[0])
        built = builder.build(programs[0], language)
    except SandboxError as error:
        return [], f"not usable: {error}"
    if not built.ok or built.program is None:
        return [], "not usable: it does not compile"
    program = built.program
    with backend.box(program.directory) as box:
        out = box.writable_dir("out")
        argv = program.argv(box.program_root, VALIDATOR_LIMITS.memory_mib)
        argv += [f"{box.scratch_root}/out", "--seed", str(seed)]
        result = box.run(argv, stdin=None, limits=VALIDATOR_LIMITS)
        found = sorted(out.rglob("*.in"))
        if not result.exited_cleanly or not found:
            return [], "not usable: it wrote no .in files when called as `gen OUT_DIR --seed S`"
        kept = [p.read_bytes() for p in found if p.stat().st_size <= MAX_INPUT_BYTES]
    return kept, f"{programs[0].name}: {len(kept)} inputs"


def generate_inputs(
    backend: LocalBackend,
    builder: Builder,
    problem: Problem,
    folder: Path,
    *,
    count: int = 30,
    probes: int = 0,
    seed: int = 0,
    progress: Progress | None = None,
    extra: Sequence[bytes] = (),
) -> GeneratedInputs:
    """Up to `count` new inputs written into `folder` (which this function fills), then up to
    `probes` edge-case probes. `extra`: inputs made elsewhere (model-written generators),
    taken first, up to half of `count`, and screened like the rest."""
    folder.mkdir(parents=True, exist_ok=True)
    texts = [case.input.read_text(errors="replace") for case in problem.samples]
    with Screen(backend, builder, problem) as screen:
        return _generate(
            backend, builder, problem, folder, screen, texts, count, probes, seed, progress, extra
        )


def _generate(
    backend: LocalBackend,
    builder: Builder,
    problem: Problem,
    folder: Path,
    screen: Screen,
    texts: list[str],
    count: int,
    probes: int,
    seed: int,
    progress: Progress | None,
    extra: Sequence[bytes],
) -> GeneratedInputs:
    rng = random.Random(f"testgen:{seed}")
    seen = {t.encode() for t in texts}
    result = GeneratedInputs([], validator=screen.note, screened=screen.active)

    def keep(data: bytes, source: str) -> bool:
        if data in seen or len(data) > MAX_INPUT_BYTES or not data.strip():
            return False
        seen.add(data)
        path = folder / f"gen-{len(result.inputs) + result.rejected_by_validator:04d}.in"
        path.write_bytes(data)
        if screen.active and not screen.accepts(path):
            result.rejected_by_validator += 1
            path.unlink()
            return False
        result.inputs.append(path)
        result.sources[source] = result.sources.get(source, 0) + 1
        if source in PROBE_SOURCES and not screen.active:
            result.probes.append(path)
        if progress is not None:
            progress(len(result.inputs), count + probes)
        return True

    generated, result.generator = _run_package_generator(backend, builder, problem, seed)
    rng.shuffle(generated)
    for data in generated[: min(GENERATOR_INPUTS_KEPT, count // 2)]:
        keep(data, "package generator")
    for data in extra[: count // 2]:
        keep(data, "model generator")

    examples = [parse_input(t) for t in texts]
    if not examples:
        return result
    ranges = Ranges.of(examples)
    if not screen.active:
        result.floor = stated_floor(problem.statement, texts)
    invariants = Invariants.of(examples, result.floor)
    largest = max(
        (
            t.value
            for p in examples
            for row, line in enumerate(p.lines)
            for t in line
            if _relations(p, row, t)
        ),
        default=0,
    )
    # Sizes for grown instances: a few times the examples' up to the cap, so that both
    # mid-size and large inputs are tried (a validator trims those over the limits).
    targets = sorted({min(MAX_GROWN_ITEMS, max(2, largest) * f) for f in (3, 10, 100, 1000)})

    def plausible(made: Parsed) -> bool:
        """Repaired to keep the examples' relations, and kept if it then does. A validator,
        where there is one, knows the promises better than the examples do."""
        if screen.active or invariants.hold(invariants.conform(made)):
            return True
        result.implausible += 1
        return False

    attempts = 0
    while len(result.inputs) < count and attempts < count * 8:
        attempts += 1
        example = rng.choice(examples)
        roll = rng.random()
        made: Parsed | None
        try:
            if roll < 0.25 and targets:
                made, source = grow(example, ranges, rng, rng.choice(targets)), "grown"
            elif roll < 0.35:
                made, source = shrink(example, rng, rng.choice((1, 1, 2))), "shrunk"
            elif roll < 0.45:
                made, source = extreme_values(example, ranges, rng), "edge values"
            elif roll < 0.7:
                made, source = perturb_values(example, ranges, rng), "redrawn"
            else:
                made, source = small_edit(example, ranges, rng), "edited"
        except (ValueError, IndexError, OverflowError):
            # Examples are arbitrary text: a shape the fuzzer misreads costs one attempt only.
            continue
        if made is not None and plausible(made):
            keep(made.render().encode(), source)

    if probes:
        wanted = len(result.inputs) + probes
        for made, source in _probe_inputs(examples, ranges, random.Random(f"probes:{seed}")):
            if len(result.inputs) >= wanted:
                break
            if plausible(made):
                keep(made.render().encode(), source)
    return result


def tiny_instances(parsed: Parsed, ranges: Ranges) -> list[Parsed]:
    """Every assignment of 0..3 (-1..2 where the examples go negative) to the free integers of
    an instance, or of 0..2 where that is too many: the small scope where special cases
    (zeros, ties, empty answers) hide. [] when even that exceeds MAX_TINY_INSTANCES."""
    free = [
        (token, (len(line), position))
        for line in parsed.lines
        for position, token in enumerate(line)
        if token.kind == "int" and not token.structural
    ]
    widths = [w for w in (4, 3) if w ** len(free) <= MAX_TINY_INSTANCES]
    if not free or not widths:
        return []
    starts = [-1 if ranges.ints.get(key, (token.value, 0))[0] < 0 else 0 for token, key in free]
    domains = [range(start, start + widths[0]) for start in starts]
    instances = []
    for values in itertools.product(*domains):
        for (token, _), value in zip(free, values, strict=True):
            token.text = str(value)
        instances.append(parsed.copy())
    return instances


def _probe_inputs(
    examples: list[Parsed], ranges: Ranges, rng: random.Random
) -> Iterator[tuple[Parsed, str]]:
    """Edge-case probes, in this order: every tiny instance of each example and of its
    one- and two-item cuts; then, at random, tiny values, edge values and reshaped words."""
    for example in examples:
        try:
            bases = [example, shrink(example, rng, 1), shrink(example, rng, 2)]
            instances = [
                i for b in bases if b is not None for i in tiny_instances(b.copy(), ranges)
            ]
        except (ValueError, IndexError, OverflowError):
            continue  # a shape the fuzzer misreads: this example gives no tiny instances
        for instance in instances:
            yield instance, "tiny values"
    for _ in range(MAX_PROBE_ATTEMPTS):
        example = rng.choice(examples)
        roll = rng.random()
        made: Parsed | None
        try:
            if roll < 0.2:
                cut = shrink(example, rng, rng.choice((1, 2)))
                made = small_values(cut if cut is not None else example, ranges, rng)
                source = "tiny values"
            elif roll < 0.5:
                made, source = small_values(example, ranges, rng), "tiny values"
            elif roll < 0.75:
                made, source = extreme_values(example, ranges, rng), "edge probes"
            else:
                made, source = reshape_words(example, rng), "reshaped words"
        except (ValueError, IndexError, OverflowError):
            continue
        if made is not None:
            yield made, source
