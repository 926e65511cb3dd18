"""Near-miss programs: single-point mutations of accepted programs, for hard evaluation pools.

A model's pool is mostly wrong programs that pass the examples; the human pools in the dev
sets are not. Mutating one token of an accepted program gives such near misses:

- `comparison`: `<` and `<=`, `>` and `>=`, `==` and `!=` swapped;
- `integer`: an integer literal moved by one (never below zero, so one token stays one token);
- `plus-minus`: binary `+` and `-` swapped (also `+=` and `-=`);
- `logic`: `and` and `or` (`&&` and `||`) swapped;
- `loop-bound`: a loop's bound moved by one: in a loop header (a C `for (...)`, a Python
  `for ... in range(...)` or `while ...:`), a comparison's strictness swapped or an integer
  literal moved by one. The other operators leave loop headers to this one, so that each
  mutant has one operator.

Python is mutated through its syntax tree (`ast` finds the nodes, `tokenize` the operator's
exact text, so comments and layout survive); C and C++ through a tokenizer that leaves strings,
character literals, comments, preprocessor lines and template brackets alone. Every mutant
replaces exactly one token of the original.

`generate_near_misses` compiles mutants in the sandbox and keeps those that pass the
examples (through the pipeline's own build and filter functions); `label_near_misses` judges
them on the hidden tests, for evaluation only: nothing in `solver solve` reads a label.
"""

from __future__ import annotations

import ast
import io
import json
import random
import re
import tempfile
import tokenize
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sandbox.cache import default_cache_dir
from sandbox.errors import LanguageError
from sandbox.judge import Judge
from sandbox.languages import detect_language
from sandbox.limits import Limits
from sandbox.problem import Problem, load_problem
from sandbox.timelimit import resolve_time_limit
from sandbox.verdicts import Verdict
from solver.errors import PoolError
from solver.evaluate import LabelCache, hidden_verdict
from solver.filter import build_candidates, filter_on_samples
from solver.pool import Candidate, PoolWriter, merge_identical, normalized_source

OPERATORS = ("comparison", "integer", "plus-minus", "logic", "loop-bound")
MUTABLE_LANGUAGES = ("c", "cpp", "python3")

_STRICTNESS = {"<": "<=", "<=": "<", ">": ">=", ">=": ">"}
_EQUALITY = {"==": "!=", "!=": "=="}
_FLIP = {**_STRICTNESS, **_EQUALITY}
_PLUS_MINUS = {"+": "-", "-": "+", "+=": "-=", "-=": "+="}
_C_LOGIC = {"&&": "||", "||": "&&"}
_PY_LOGIC = {"and": "or", "or": "and"}


@dataclass(frozen=True)
class Mutation:
    """One token of the source, at `offset` (characters), replaced."""

    operator: str
    offset: int
    before: str
    after: str
    line: int

    def apply(self, source: str) -> str:
        end = self.offset + len(self.before)
        assert source[self.offset : end] == self.before, "a mutation applies to its own source"
        return source[: self.offset] + self.after + source[end:]

    def describe(self) -> str:
        return f"{self.operator} line {self.line}: {self.before} -> {self.after}"


def _moved_integers(text: str) -> list[str]:
    """The literal `text` plus and minus one, spelled as a decimal literal with its suffix."""
    found = re.fullmatch(r"([1-9][0-9]*|0)([uUlL]*)", text)
    if found is None:
        return []
    value, suffix = int(found.group(1)), found.group(2)
    return [f"{v}{suffix}" for v in (value + 1, value - 1) if v >= 0]


# --- C and C++ -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CToken:
    text: str
    offset: int
    kind: str  # "name", "number", "op"


_C_SKIPPED = re.compile(
    r"""
      (?P<space>\s+)
    | (?P<comment>//(?:\\\n|[^\n])*|/\*.*?\*/)
    | (?P<raw>(?:u8|[uUL])?R"(?P<delim>[^()\\\s]{0,16})\(.*?\)(?P=delim)")
    | (?P<string>(?:u8|[uUL])?"(?:\\.|[^"\\\n])*")
    | (?P<char>(?:u8|[uUL])?'(?:\\.|[^'\\\n])*')
    """,
    re.VERBOSE | re.DOTALL,
)
_C_NUMBER = re.compile(r"\.?[0-9](?:[eEpP][+-]|'[0-9a-zA-Z]|[0-9a-zA-Z_.])*")
_C_NAME = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*")
_C_OPERATORS = sorted(
    [
        "<<=",
        ">>=",
        "<=>",
        "->*",
        "...",
        "::",
        "->",
        "++",
        "--",
        "<<",
        ">>",
        "<=",
        ">=",
        "==",
        "!=",
        "&&",
        "||",
        "+=",
        "-=",
        "*=",
        "/=",
        "%=",
        "&=",
        "|=",
        "^=",
        ".*",
        "+",
        "-",
        "*",
        "/",
        "%",
        "<",
        ">",
        "=",
        "!",
        "~",
        "&",
        "|",
        "^",
        "?",
        ":",
        ";",
        ",",
        ".",
        "(",
        ")",
        "[",
        "]",
        "{",
        "}",
        "#",
    ],
    key=len,
    reverse=True,
)
# Names after which `+`/`-` is unary (`return -1`), so swapping it is not a `+`/`-` swap.
_C_KEYWORDS = frozenset(
    [
        "return",
        "case",
        "if",
        "while",
        "for",
        "do",
        "else",
        "switch",
        "sizeof",
        "new",
        "delete",
        "throw",
        "co_return",
        "co_yield",
    ]
)


def _preprocessor_spans(source: str) -> list[tuple[int, int]]:
    """Directive lines (`#include <...>`, `#define ...`, with their continuations)."""
    spans = []
    for found in re.finditer(r"^[ \t]*#(?:\\\n|[^\n])*", source, re.MULTILINE):
        spans.append((found.start(), found.end()))
    return spans


def c_tokens(source: str) -> list[CToken]:
    """The code tokens of a C or C++ source: no comments, strings, characters or directives."""
    tokens: list[CToken] = []
    directives = _preprocessor_spans(source)
    position, length, directive = 0, len(source), 0
    while position < length:
        while directive < len(directives) and directives[directive][1] <= position:
            directive += 1
        if directive < len(directives) and directives[directive][0] <= position:
            position = directives[directive][1]
            continue
        skipped = _C_SKIPPED.match(source, position)
        if skipped is not None:
            position = skipped.end()
            continue
        for pattern, kind in ((_C_NUMBER, "number"), (_C_NAME, "name")):
            found = pattern.match(source, position)
            if found is not None:
                tokens.append(CToken(found.group(), position, kind))
                position = found.end()
                break
        else:
            for operator in _C_OPERATORS:
                if source.startswith(operator, position):
                    tokens.append(CToken(operator, position, "op"))
                    position += len(operator)
                    break
            else:  # a stray character (`@`, a non-ASCII letter): not code we mutate
                position += 1
    return tokens


def _template_brackets(tokens: list[CToken]) -> set[int]:
    """Indices of `<` and `>` tokens that are template brackets, not comparisons.

    A `<` after a name opens a template when a matching `>` (or `>>`) follows before anything
    that cannot sit in a template argument list at its level (`;`, braces, `&&`, `||`, `?`, an
    unbalanced `)`). When unsure this says "template", which leaves the token unmutated."""
    brackets: set[int] = set()
    for start, token in enumerate(tokens):
        if token.text != "<" or start == 0 or start in brackets:
            continue
        previous = tokens[start - 1]
        if previous.kind != "name" or previous.text == "operator":
            if previous.text == "operator":
                brackets.add(start)
            continue
        depth, parens, opened = 1, 0, [start]
        for index in range(start + 1, len(tokens)):
            text = tokens[index].text
            if text in ("(", "["):
                parens += 1
            elif text in (")", "]"):
                parens -= 1
                if parens < 0:
                    break
            elif parens > 0:
                continue
            elif text in (";", "{", "}", "&&", "||", "?"):
                break
            elif text == "<":
                if tokens[index - 1].kind == "name":
                    depth += 1
                    opened.append(index)
            elif text in (">", ">>"):
                closes = 1 if text == ">" else 2
                depth -= closes
                opened.append(index)
                if depth <= 0:
                    brackets.update(opened)
                    break
    return brackets


def _c_loop_headers(tokens: list[CToken]) -> set[int]:
    """Indices of tokens inside the parentheses of a `for (...)` or `while (...)`."""
    inside: set[int] = set()
    for index, token in enumerate(tokens):
        if token.text not in ("for", "while") or index + 1 >= len(tokens):
            continue
        if tokens[index + 1].text != "(":
            continue
        depth = 0
        for inner in range(index + 1, len(tokens)):
            text = tokens[inner].text
            if text == "(":
                depth += 1
            elif text == ")":
                depth -= 1
                if depth == 0:
                    break
            if inner > index + 1:
                inside.add(inner)
    return inside


def _line_of(source: str, offset: int) -> int:
    return source.count("\n", 0, offset) + 1


def c_mutations(source: str) -> list[Mutation]:
    tokens = c_tokens(source)
    templates = _template_brackets(tokens)
    loops = _c_loop_headers(tokens)
    mutations = []

    def add(operator: str, token: CToken, after: str) -> None:
        line = _line_of(source, token.offset)
        mutations.append(Mutation(operator, token.offset, token.text, after, line))

    for index, token in enumerate(tokens):
        in_loop = index in loops
        previous = tokens[index - 1] if index > 0 else None
        if token.text in _FLIP and index not in templates:
            loop_strictness = in_loop and token.text in _STRICTNESS
            add("loop-bound" if loop_strictness else "comparison", token, _FLIP[token.text])
        elif token.kind == "number":
            for moved in _moved_integers(token.text):
                add("loop-bound" if in_loop else "integer", token, moved)
        elif token.text in _PLUS_MINUS and previous is not None:
            # Binary only: after an operand, not after an operator or a keyword.
            operand = previous.kind == "number" or previous.text in (")", "]")
            operand |= previous.kind == "name" and previous.text not in _C_KEYWORDS
            if operand:
                add("plus-minus", token, _PLUS_MINUS[token.text])
        elif token.text in _C_LOGIC:
            add("logic", token, _C_LOGIC[token.text])
    return mutations


# --- Python ----------------------------------------------------------------------------------


_PY_COMPARE = {
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
    ast.Eq: "==",
    ast.NotEq: "!=",
}


class _PythonSites:
    """Finds the mutable tokens of a Python source through its syntax tree."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.tree = ast.parse(source)
        # Lines as tokenize and ast count them: split at "\n" only.
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", source)] + [len(source)]
        self.tokens = [
            t
            for t in tokenize.generate_tokens(io.StringIO(source).readline)
            if t.type in (tokenize.OP, tokenize.NAME, tokenize.NUMBER)
        ]
        self.loop_nodes = self._loop_header_nodes()
        self.mutations: list[Mutation] = []

    def offset(self, line: int, column: int) -> int:
        # ast columns count UTF-8 bytes; tokenize columns count characters.
        return self.line_starts[line - 1] + column

    def _char_column(self, line: int, byte_column: int) -> int:
        text = self.source[self.line_starts[line - 1] : self.line_starts[line]]
        return len(text.encode("utf-8")[:byte_column].decode("utf-8", errors="ignore"))

    def _start(self, node: ast.AST) -> tuple[int, int]:
        return node.lineno, self._char_column(node.lineno, node.col_offset)  # type: ignore[attr-defined]

    def _end(self, node: ast.AST) -> tuple[int, int]:
        line = node.end_lineno  # type: ignore[attr-defined]
        return line, self._char_column(line, node.end_col_offset)  # type: ignore[attr-defined]

    def _loop_header_nodes(self) -> set[int]:
        """ids of the nodes inside a `while` test or a `for ... in range(...)` call."""
        inside: set[int] = set()
        for node in ast.walk(self.tree):
            header: ast.AST | None = None
            if isinstance(node, ast.While):
                header = node.test
            elif (
                isinstance(node, ast.For)
                and isinstance(node.iter, ast.Call)
                and isinstance(node.iter.func, ast.Name)
                and node.iter.func.id == "range"
            ):
                header = node.iter
            if header is not None:
                inside.update(id(n) for n in ast.walk(header))
        return inside

    def _token_between(
        self, start: tuple[int, int], end: tuple[int, int], texts: set[str]
    ) -> tokenize.TokenInfo | None:
        """The first operator token among `texts` between two positions (parentheses skipped)."""
        for token in self.tokens:
            if start <= token.start and token.end <= end and token.string in texts:
                return token
        return None

    def _add(self, operator: str, token: tokenize.TokenInfo, after: str) -> None:
        line, column = token.start
        self.mutations.append(
            Mutation(operator, self.offset(line, column), token.string, after, line)
        )

    def find(self) -> list[Mutation]:
        in_f_string: set[int] = set()
        for node in ast.walk(self.tree):
            if isinstance(node, ast.JoinedStr):
                in_f_string.update(id(n) for n in ast.walk(node) if n is not node)
        for node in ast.walk(self.tree):
            if id(node) in in_f_string:
                continue
            in_loop = id(node) in self.loop_nodes
            if isinstance(node, ast.Compare):
                operands = [node.left, *node.comparators]
                for op, left, right in zip(node.ops, operands, operands[1:], strict=False):
                    text = _PY_COMPARE.get(type(op))
                    if text is None:
                        continue
                    token = self._token_between(self._end(left), self._start(right), {text})
                    if token is not None:
                        loop = in_loop and text in _STRICTNESS
                        self._add("loop-bound" if loop else "comparison", token, _FLIP[text])
            elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Sub):
                text = "+" if isinstance(node.op, ast.Add) else "-"
                token = self._token_between(self._end(node.left), self._start(node.right), {text})
                if token is not None:
                    self._add("plus-minus", token, _PLUS_MINUS[text])
            elif isinstance(node, ast.AugAssign) and isinstance(node.op, ast.Add | ast.Sub):
                text = "+=" if isinstance(node.op, ast.Add) else "-="
                token = self._token_between(self._end(node.target), self._start(node.value), {text})
                if token is not None:
                    self._add("plus-minus", token, _PLUS_MINUS[text])
            elif isinstance(node, ast.BoolOp):
                text = "and" if isinstance(node.op, ast.And) else "or"
                for left, right in zip(node.values, node.values[1:], strict=False):
                    token = self._token_between(self._end(left), self._start(right), {text})
                    if token is not None:
                        self._add("logic", token, _PY_LOGIC[text])
            elif isinstance(node, ast.Constant) and type(node.value) is int:
                start, end = self._start(node), self._end(node)
                token = next(
                    (t for t in self.tokens if t.start == start and t.end == end),
                    None,
                )
                if token is None or token.type != tokenize.NUMBER:
                    continue
                for moved in _moved_integers(token.string):
                    self._add("loop-bound" if in_loop else "integer", token, moved)
        self.mutations.sort(key=lambda m: (m.offset, m.after))
        return self.mutations


def python_mutations(source: str) -> list[Mutation]:
    """Every single-token mutation of a Python source; none if it does not parse."""
    try:
        return _PythonSites(source).find()
    except (SyntaxError, ValueError, tokenize.TokenError):
        return []


def mutations_of(language: str, source: str) -> list[Mutation]:
    """Every single-token mutation of `source`, in source order."""
    if language == "python3":
        return python_mutations(source)
    if language in ("c", "cpp"):
        return c_mutations(source)
    return []


# --- Building, filtering and labelling ----------------------------------------------------


@dataclass(frozen=True)
class Mutant:
    candidate: Candidate  # metadata: origin, operator, line, before, after
    origin: int  # index of the original in the list given to generate_near_misses
    mutation: Mutation


@dataclass
class NearMisses:
    mutants: list[Mutant] = field(default_factory=list)  # compiled and passed the examples
    tried: int = 0
    did_not_compile: int = 0
    failed_examples: int = 0

    def summary(self) -> str:
        return (
            f"{len(self.mutants)} mutants pass the examples ({self.tried} tried: "
            f"{self.did_not_compile} did not compile, {self.failed_examples} failed the examples)"
        )


def _candidate_mutants(
    originals: list[Candidate], seed: int, per_original_cap: int | None = None
) -> Iterator[Mutant]:
    """All mutants of all originals, shuffled (seeded) and interleaved across originals, so
    that any prefix spreads over the originals and the operators."""
    queues = []
    for origin, original in enumerate(originals):
        if original.language not in MUTABLE_LANGUAGES:
            continue
        found = mutations_of(original.language, original.source)
        random.Random(f"mutate:{seed}:{origin}:{len(original.source)}").shuffle(found)
        if per_original_cap is not None:
            found = found[:per_original_cap]
        queues.append((origin, original, found))
    seen = {normalized_source(o.source) for o in originals}
    position = 0
    while any(position < len(q[2]) for q in queues):
        for origin, original, found in queues:
            if position >= len(found):
                continue
            mutation = found[position]
            source = mutation.apply(original.source)
            key = normalized_source(source)
            if key in seen:
                continue
            seen.add(key)
            metadata = {
                "origin": str(original.metadata.get("file", origin)),
                "operator": mutation.operator,
                "line": mutation.line,
                "before": mutation.before,
                "after": mutation.after,
            }
            yield Mutant(Candidate(original.language, source, metadata), origin, mutation)
        position += 1


def generate_near_misses(
    judge: Judge,
    problem: Problem,
    originals: list[Candidate],
    *,
    wanted: int,
    seed: int = 0,
    time_limit_s: float,
    max_tried: int | None = None,
    workdir: Path | None = None,
    accept: Callable[[list[Mutant]], list[Mutant]] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> NearMisses:
    """Mutants of `originals` that compile and pass the examples, until `wanted` are kept or
    `max_tried` (default 8 x wanted) were tried. `accept`, when given, is applied to each batch
    of mutants that passed the examples and returns those to keep (the benchmark keeps the
    ones that fail a hidden test)."""
    result = NearMisses()
    budget = max_tried if max_tried is not None else 8 * wanted
    limits = Limits(
        time_s=time_limit_s, memory_mib=problem.memory_mib, output_mib=problem.output_mib
    )
    stream = _candidate_mutants(originals, seed)
    with tempfile.TemporaryDirectory(prefix="solver-mutate-") as folder:
        work = workdir or Path(folder)
        batch_number = 0
        while len(result.mutants) < wanted and result.tried < budget:
            size = min(budget - result.tried, max(4, 2 * (wanted - len(result.mutants))))
            batch = [m for _, m in zip(range(size), stream, strict=False)]
            if not batch:
                break
            result.tried += len(batch)
            batch_number += 1
            built = build_candidates(
                judge.builder,
                [m.candidate for m in batch],
                work / f"batch-{batch_number:03d}",
                workers=2,
            )
            result.did_not_compile += sum(1 for b in built if b.program is None)
            outcomes = filter_on_samples(judge.backend, judge, problem, built, limits)
            passed = [batch[i] for i, outcome in sorted(outcomes.items()) if outcome.passed]
            result.failed_examples += len(outcomes) - len(passed)
            kept = accept(passed) if accept is not None else passed
            result.mutants.extend(kept[: wanted - len(result.mutants)])
            if progress is not None:
                progress(len(result.mutants), wanted)
    return result


@dataclass(frozen=True)
class MutantLabel:
    verdict: Verdict  # on the hidden tests (examples included)

    @property
    def wrong(self) -> bool:
        return self.verdict is not Verdict.AC

    @property
    def name(self) -> str:
        return "wrong" if self.wrong else "survives"


def write_labels(path: Path, mutants: list[Mutant], labels: list[MutantLabel]) -> None:
    """One JSON line per mutant, in pool order: `{"index", "label", "verdict", "origin",
    "operator", "line", "before", "after"}`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        for index, (mutant, label) in enumerate(zip(mutants, labels, strict=True)):
            record = {
                "index": index,
                "label": label.name,
                "verdict": str(label.verdict),
                **mutant.candidate.metadata,
            }
            out.write(json.dumps(record) + "\n")


def accepted_programs(problem: Problem) -> list[Candidate]:
    """The package's `submissions/accepted` programs in a mutable language, identical ones
    merged, in file order."""
    programs = []
    for submission in problem.submissions:
        if submission.expected != "accepted" or not submission.path.is_file():
            continue
        program = read_program(submission.path)
        if program is not None:
            programs.append(program)
    return merge_identical(programs)


def read_program(path: Path) -> Candidate | None:
    """A source file as a candidate, or None when its language cannot be mutated."""
    try:
        language = detect_language(path)
    except LanguageError:
        return None
    if language.id not in MUTABLE_LANGUAGES:
        return None
    source = path.read_text(encoding="utf-8", errors="replace")
    return Candidate(language.id, source, {"file": path.name})


@dataclass
class MutateReport:
    near_misses: NearMisses
    labels: list[MutantLabel] | None
    labels_path: Path | None

    def lines(self) -> list[str]:
        lines = [self.near_misses.summary()]
        if self.labels is not None:
            wrong = sum(label.wrong for label in self.labels)
            survivors = [
                f"  survives every hidden test: #{index} {m.mutation.describe()} "
                f"(of {m.candidate.metadata['origin']})"
                for index, (m, label) in enumerate(
                    zip(self.near_misses.mutants, self.labels, strict=True)
                )
                if not label.wrong
            ]
            lines.append(
                f"labels: {wrong} wrong, {len(survivors)} survive every hidden test "
                f"(not counted as wrong); written to {self.labels_path}"
            )
            lines += survivors
        return lines


def mutate_pool(
    judge: Judge,
    problem: Problem,
    originals: list[Candidate],
    out: Path,
    *,
    wanted: int,
    seed: int,
    time_limit_s: float,
    labels_path: Path | None = None,
    label_cache: LabelCache | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> MutateReport:
    """`solver pool mutate`: near misses of `originals` written to the JSONL pool `out`; with
    `labels_path`, each is judged on the hidden tests and labelled in that file."""
    near = generate_near_misses(
        judge,
        problem,
        originals,
        wanted=wanted,
        seed=seed,
        time_limit_s=time_limit_s,
        progress=progress,
    )
    with PoolWriter(out) as writer:
        for mutant in near.mutants:
            writer.write(mutant.candidate)
    labels = None
    if labels_path is not None:
        cache = label_cache or LabelCache(default_cache_dir() / "evaluate-labels.json")
        with tempfile.TemporaryDirectory(prefix="solver-label-") as folder:
            labels = [
                MutantLabel(
                    Verdict(
                        hidden_verdict(
                            judge, problem, m.candidate, time_limit_s, Path(folder), cache
                        )
                    )
                )
                for m in near.mutants
            ]
        cache.save()
        write_labels(labels_path, near.mutants, labels)
    return MutateReport(near, labels, labels_path)


def run_mutate(
    judge: Judge,
    problem_dir: Path,
    sources: list[Path],
    out: Path,
    *,
    wanted: int,
    seed: int,
    labels_path: Path | None,
    progress: Callable[[int, int], None] | None = None,
) -> MutateReport:
    """Loads the package and the originals (`sources`, else its accepted submissions), then
    runs `mutate_pool`. Raises SandboxError or PoolError on what the user must fix."""
    problem = load_problem(problem_dir)
    problem.require_judgeable()
    if sources:
        originals = []
        for path in sources:
            if not path.is_file():
                raise PoolError(f"{path}: no such file")
            program = read_program(path)
            if program is None:
                raise PoolError(f"{path}: only C, C++ and Python programs can be mutated")
            originals.append(program)
        originals = merge_identical(originals)
    else:
        originals = accepted_programs(problem)
        if not originals:
            raise PoolError(f"{problem_dir}: no C, C++ or Python program in submissions/accepted")
    if labels_path is not None and not problem.secret:
        raise PoolError(f"{problem_dir}: no hidden tests (data/secret) to label mutants with")
    time_limit = resolve_time_limit(problem, judge, default_cache_dir()).seconds
    return mutate_pool(
        judge,
        problem,
        originals,
        out,
        wanted=wanted,
        seed=seed,
        time_limit_s=time_limit,
        labels_path=labels_path,
        progress=progress,
    )
