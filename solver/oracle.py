"""Questions to an oracle where the surviving programs disagree, and re-ranking by the answers.

After clustering, the solver knows what every cluster prints on every generated input, but not
which print is right. An oracle can say: a person at the terminal (`solver solve --ask`, see
`solver.dialogue`), a trusted slow program run in the sandbox (`--oracle-program`), or answers
given ahead as input/output pairs (`--oracle-answers`).

Questions are small inputs, shaped like the examples (their words in the examples' form too),
on which the remaining programs disagree, best first: the one whose answer splits the
candidates' scorer mass most evenly (1 - sum of squared shares over the distinct answers: the
mass a single answer is expected to rule out; near-identical programs share one vote). When no
small input separates the programs left, more small inputs are generated, with edge-case
probes (tiny instances, short words: `solver.testgen`, asked about after every other input),
and the live candidates run on them: members of one cluster, alike on the inputs clustering
used, may differ there. An answer is a judge answer: every distinct output is checked against
it through the problem's own checker (tolerances, custom validators), and the programs whose
output it rejects are removed (a crash or a timeout is shown but is no evidence: correct
programs may loop on an input that breaks a promise). Under an exact checker, an answer also
agrees with decimals that differ from it by at most `ANSWER_GAP_UNITS` in their last place: an
answer carries its own rounding (measured: on a Codeforces geometry problem, two accepted
programs print `3.50000 28.79412` and `3.50002 28.79408`, and either as the answer removed
the other). An answer that would remove every program left is reported and not applied: it
contradicts them all; so is an output that a custom checker rejects when it is compared with
itself (the checker cannot judge that input). The questions then go on.

The session ends when no small input separates what is left (one behaviour), when the oracle
stops, or after `max_questions`. The programs left are ranked again, grouped by what they print
on every input known. A person's answers are saved in the cache, keyed by the
problem and the input's digest, so a rerun asks nothing twice.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol

from sandbox.batch import RunJob, run_batch
from sandbox.build import Program
from sandbox.cache import default_cache_dir
from sandbox.errors import SandboxError
from sandbox.judge import Judge, run_verdict
from sandbox.languages import detect_language
from sandbox.limits import Limits
from sandbox.problem import Problem
from sandbox.verdicts import Verdict
from solver.checking import OutputChecker, last_place_gap
from solver.cluster import CRASH, TIMEOUT, Cluster, Clustering, cluster, run_on_inputs
from solver.errors import SolverError
from solver.scorer import family_weights
from solver.testgen import generate_inputs, parse_input

DEFAULT_MAX_QUESTIONS = 5
MAX_QUESTION_BYTES = 2048  # longer inputs are not asked about: a person cannot read them
EXTRA_INPUTS = 24  # generated when no small input separates the clusters left
EXTRA_PROBES = 128  # edge-case probes with them (tiny instances: solver.testgen)
ORACLE_TIME_FACTOR = 10.0  # a trusted slow program gets this many times the time limit
MIN_ORACLE_TIME_S = 10.0
MAX_RUN_CANDIDATES = 64  # live candidates run on new inputs (the heaviest clusters')
# An answer agrees with decimals (of four places or more) this many units off in the last place.
ANSWER_GAP_UNITS = 10
MIN_PROMISE_ITEMS = 5  # numbers in the examples' permutations before they count as a promise

AnswerKind = Literal["output", "none", "skip", "stop"]
MARK_NAMES = {TIMEOUT: "timed out", CRASH: "crashed"}


class OracleError(SolverError):
    pass


@dataclass(frozen=True)
class ClusterView:
    id: int
    size: int
    score: float  # its best member's


@dataclass(frozen=True)
class Choice:
    """One distinct behaviour on the question's input: an output, or a crash/timeout mark."""

    key: int  # an answer class (>= 0) or TIMEOUT/CRASH
    output: bytes | None  # None for a mark
    clusters: tuple[ClusterView, ...]
    mass: float

    @property
    def label(self) -> str:
        return MARK_NAMES.get(self.key, "") if self.output is None else ""


@dataclass(frozen=True)
class Question:
    number: int  # 1-based, among the questions put to the oracle
    input: bytes
    input_name: str
    input_path: Path
    digest: str  # sha256 of the input
    choices: tuple[Choice, ...]  # outputs by mass, then marks
    split: float  # the share of mass one answer is expected to rule out

    @property
    def outputs(self) -> list[Choice]:
        return [c for c in self.choices if c.output is not None]


@dataclass(frozen=True)
class Answer:
    """`output`: the right output; `none`: every output shown is wrong (`wrong` lists them);
    `skip`: no answer to this one; `stop`: no more questions."""

    kind: AnswerKind
    output: bytes = b""
    wrong: tuple[bytes, ...] = ()
    note: str = ""


class AnswerSource(Protocol):
    name: str  # "person", "program", ...
    remembered: bool  # its answers are saved for reruns

    def answer(self, question: Question) -> Answer: ...


@dataclass(frozen=True)
class GivenAnswer:
    input: bytes
    output: bytes


@dataclass
class QuestionRecord:
    number: int | None  # None: answered ahead (a file) or from the saved answers
    input_name: str
    input_preview: str
    source: str  # who answered: person, program, answers file, saved
    answer: AnswerKind
    output: str = ""
    note: str = ""
    split: float = 0.0
    choices: list[dict[str, Any]] = field(default_factory=list)
    removed_clusters: list[int] = field(default_factory=list)
    removed_candidates: int = 0
    contradicts_all: bool = False
    rejected_by_checker: bool = False  # the checker rejects the answer as an output

    def describe(self) -> str:
        who = f"Q{self.number}" if self.number is not None else "given"
        head = f"{who} ({self.source}) on {self.input_name}: "
        if self.answer == "output":
            text = f"answer {_preview(self.output.encode(), 40)!r}"
        else:
            text = {"none": "none of these", "skip": "skipped", "stop": "stopped"}[self.answer]
        if self.rejected_by_checker:
            text += ": the problem's checker rejects it as an output, not applied"
        elif self.contradicts_all:
            text += ": contradicts every cluster left, not applied"
        elif self.removed_clusters:
            text += (
                f": removed {len(self.removed_clusters)} clusters "
                f"({self.removed_candidates} candidates)"
            )
        elif self.answer in ("output", "none"):
            text += ": removed nothing"
        if self.note:
            text += f" ({self.note})"
        return head + text

    def to_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "input": self.input_name,
            "input_preview": self.input_preview,
            "source": self.source,
            "answer": self.answer,
            "output": self.output,
            "note": self.note,
            "split": round(self.split, 4),
            "choices": self.choices,
            "removed_clusters": self.removed_clusters,
            "removed_candidates": self.removed_candidates,
            "contradicts_all": self.contradicts_all,
            "rejected_by_checker": self.rejected_by_checker,
        }


@dataclass
class OracleReport:
    records: list[QuestionRecord]
    remaining: list[Cluster]  # the clusters left, in the clustering's order
    removed: set[int]  # candidates removed
    ended: str  # why the questions stopped
    asked: int  # questions put to the oracle (answered or skipped)

    def summary(self) -> str:
        return (
            f"{self.asked} asked; {len(self.remaining)} clusters left, "
            f"{len(self.removed)} candidates removed; ended: {self.ended}"
        )

    def describe(self) -> list[str]:
        return [record.describe() for record in self.records] + ["questions: " + self.summary()]

    def to_json(self) -> dict[str, Any]:
        return {
            "asked": self.asked,
            "ended": self.ended,
            "clusters_left": [c.id for c in self.remaining],
            "candidates_removed": len(self.removed),
            "questions": [record.to_json() for record in self.records],
        }


@dataclass(frozen=True)
class OracleContext:
    """What the pipeline hands over after clustering and scoring."""

    problem: Problem
    judge: Judge
    clustering: Clustering
    inputs: list[Path]  # the inputs clustering ran on (examples first)
    programs: dict[int, Program]  # the survivors' built programs
    limits: Limits
    scores: dict[int, float]
    workdir: Path
    seed: int = 0
    workers: int | None = None
    progress: Callable[[int, int], None] | None = None  # runs on new inputs: done, total
    families: dict[int, int] = field(default_factory=dict)  # near-identical programs
    screened: bool = False  # an input validator accepted every generated input


def _preview(data: bytes, limit: int = 200) -> str:
    text = data.decode("utf-8", errors="replace")
    return text if len(text) <= limit else text[: limit - 3] + "..."


def input_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def problem_key(problem: Problem) -> str:
    """The problem's name and a digest of its examples: two packages with one slug differ."""
    digest = hashlib.sha256()
    for case in problem.samples:
        digest.update(case.input.read_bytes() + b"\0")
        if case.answer.is_file():
            digest.update(case.answer.read_bytes())
        digest.update(b"\1")
    return f"{problem.slug}-{digest.hexdigest()[:16]}"


class AnswerStore:
    """A person's answers, one JSON line each, in `<cache>/answers/<problem key>.jsonl`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._answers: dict[str, Answer] = {}
        if path.is_file():
            for line in path.read_text(encoding="utf-8").splitlines():
                try:
                    record = json.loads(line)
                    self._answers[record["input_sha256"]] = Answer(
                        kind=record["kind"],
                        output=record.get("output", "").encode(),
                        wrong=tuple(w.encode() for w in record.get("wrong", [])),
                    )
                except (ValueError, KeyError, TypeError):
                    continue  # a line cut short by an interrupted write: asked again

    @classmethod
    def for_problem(cls, problem: Problem, cache_dir: Path | None = None) -> AnswerStore:
        folder = (cache_dir or default_cache_dir()) / "answers"
        return cls(folder / f"{problem_key(problem)}.jsonl")

    def lookup(self, digest: str) -> Answer | None:
        return self._answers.get(digest)

    def save(self, question: Question, answer: Answer) -> None:
        if answer.kind == "stop":
            return
        self._answers[question.digest] = answer
        record = {
            "input_sha256": question.digest,
            "input": _preview(question.input),
            "kind": answer.kind,
            "output": answer.output.decode("utf-8", errors="replace"),
            "wrong": [w.decode("utf-8", errors="replace") for w in answer.wrong],
            "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as stream:
            stream.write(json.dumps(record) + "\n")


def load_given_answers(path: Path) -> list[GivenAnswer]:
    """`--oracle-answers FILE`: JSON lines {"input": ..., "output": ...}."""
    if not path.is_file():
        raise OracleError(f"{path}: no such answers file")
    given = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            given.append(GivenAnswer(record["input"].encode(), record["output"].encode()))
        except (ValueError, KeyError, TypeError, AttributeError):
            raise OracleError(
                f"{path}:{number}: expected a JSON object with string fields input and output"
            ) from None
    return given


class ProgramOracle:
    """A trusted (slow) program that answers by running on the question's input in the
    sandbox, with a generous time limit. Its crash or timeout is a skip, never evidence."""

    name = "program"
    remembered = False

    def __init__(self, source: Path, time_factor: float = ORACLE_TIME_FACTOR) -> None:
        if not source.exists():
            raise OracleError(f"{source}: no such oracle program")
        try:
            self.language = detect_language(source)
        except SandboxError as error:
            raise OracleError(str(error)) from None
        self.source = source
        self.time_factor = time_factor
        self._program: Program | None = None
        self._context: OracleContext | None = None

    def prepare(self, context: OracleContext) -> None:
        built = context.judge.builder.build(self.source, self.language)
        if not built.ok or built.program is None:
            first = built.message.strip().splitlines()[:1]
            raise OracleError(
                f"the oracle program {self.source} does not compile"
                + (f": {first[0][:200]}" if first else "")
            )
        self._program = built.program
        self._context = context

    def answer(self, question: Question) -> Answer:
        assert self._program is not None and self._context is not None, "prepare first"
        base = self._context.limits
        limits = Limits(
            time_s=max(MIN_ORACLE_TIME_S, base.time_s * self.time_factor),
            memory_mib=base.memory_mib,
            output_mib=base.output_mib,
        )
        job = RunJob(self._program, question.input_path, limits, program_key="oracle")
        result = next(iter(run_batch(self._context.judge.backend, [job], workers=1)))
        assert result.run is not None
        verdict = run_verdict(result.run, limits)
        if verdict is not None:
            return Answer("skip", note=f"the oracle program: {verdict.description}")
        return Answer("output", result.output)


def _shapes(data: bytes) -> set[tuple[str, ...]]:
    """The token kinds of each line: all of one kind (any count), else their sequence; and
    ("negative",) when some integer is below zero."""
    shapes = set()
    for line in parse_input(data.decode("utf-8", errors="replace")).lines:
        kinds = tuple(token.kind for token in line)
        shapes.add(("all", kinds[0]) if kinds and len(set(kinds)) == 1 else kinds)
        if any(token.kind == "int" and token.text.startswith("-") for token in line):
            shapes.add(("negative",))
    return shapes


def _word_rows(data: bytes) -> list[list[int]]:
    """The lengths of the words in each block of two or more consecutive one-word lines (a
    grid's rows)."""
    blocks: list[list[int]] = []
    run: list[int] = []
    for line in [*parse_input(data.decode("utf-8", errors="replace")).lines, []]:
        if len(line) == 1 and line[0].kind == "word":
            run.append(len(line[0].text))
            continue
        if len(run) >= 2:
            blocks.append(run)
        run = []
    return blocks


def _ragged(data: bytes) -> bool:
    """Whether some grid's rows differ in length."""
    return any(len(set(block)) > 1 for block in _word_rows(data))


def _has_zero(data: bytes) -> bool:
    return any(
        token.kind == "int" and token.value == 0
        for line in parse_input(data.decode("utf-8", errors="replace")).lines
        for token in line
    )


def _word_pattern(word: str) -> str:
    """A word's form: each digit as 9, runs of lower-case and of upper-case letters each
    shown once (names vary in length, dates do not), any other character as itself
    ("27.12.51" -> "99.99.99", "Alice" -> "Aa")."""
    classes = [
        "9" if c.isdigit() else "a" if c.islower() else "A" if c.isupper() else c for c in word
    ]
    return "".join(
        c for i, c in enumerate(classes) if i == 0 or c != classes[i - 1] or c not in "aA"
    )


def _word_forms(datas: list[bytes]) -> dict[tuple[tuple[str, ...], int], str]:
    """Per word position (the line's token kinds, the index), the one form every example's
    word there has; positions whose words differ in form are left out."""
    seen: dict[tuple[tuple[str, ...], int], set[str]] = {}
    for data in datas:
        for line in parse_input(data.decode("utf-8", errors="replace")).lines:
            kinds = tuple(token.kind for token in line)
            for index, token in enumerate(line):
                if token.kind == "word":
                    seen.setdefault((kinds, index), set()).add(_word_pattern(token.text))
    return {key: next(iter(forms)) for key, forms in seen.items() if len(forms) == 1}


def _malformed_words(data: bytes, forms: dict[tuple[tuple[str, ...], int], str]) -> int:
    """How many words differ in form from the one the examples show at their position: a date
    with a digit where its dot was, a list with an empty item. Such inputs break the
    statement's promises more often than not."""
    count = 0
    for line in parse_input(data.decode("utf-8", errors="replace")).lines:
        kinds = tuple(token.kind for token in line)
        for index, token in enumerate(line):
            form = forms.get((kinds, index))
            count += form is not None and _word_pattern(token.text) != form
    return count


def _data_lines(data: bytes) -> list[list[int]]:
    """The lines of integers none of which is a size (solver.testgen's reading)."""
    return [
        [token.value for token in line]
        for line in parse_input(data.decode("utf-8", errors="replace")).lines
        if line and all(token.kind == "int" and not token.structural for token in line)
    ]


def _permutations(datas: list[bytes]) -> bool:
    """Whether every line of data integers in the examples is a permutation (a line of k
    numbers holds 1..k once each), with at least MIN_PROMISE_ITEMS numbers in such lines:
    so strong a pattern is a promise of the statement, not chance."""
    lines = [values for data in datas for values in _data_lines(data)]
    return sum(len(values) for values in lines) >= MIN_PROMISE_ITEMS and all(
        sorted(values) == list(range(1, len(values) + 1)) for values in lines
    )


def _breaks_permutations(data: bytes) -> bool:
    return any(sorted(v) != list(range(1, len(v) + 1)) for v in _data_lines(data))


@dataclass
class _Probe:
    """An input and what each candidate prints on it (only the candidates that ran on it)."""

    path: Path
    data: bytes
    by_candidate: dict[int, int]  # candidate -> answer class or mark
    outputs: dict[int, bytes]  # answer class -> a raw output
    done: bool = False  # asked (or answered) already
    # An edge-case probe (solver.testgen.PROBE_SOURCES) or an unusual zero: asked last.
    edge: bool = False
    askable: bool = False  # small and shaped like the examples (_Session._askable)
    well_formed: dict[int, bool] = field(default_factory=dict)  # class -> custom checker's say


class Oracle:
    """The question loop; the pipeline calls it with an OracleContext."""

    def __init__(
        self,
        source: AnswerSource | None = None,
        *,
        given: Sequence[GivenAnswer] = (),
        store: AnswerStore | None = None,
        max_questions: int = DEFAULT_MAX_QUESTIONS,
        question_bytes: int = MAX_QUESTION_BYTES,
    ) -> None:
        self.source = source
        self.given = list(given)
        self.store = store
        self.max_questions = max_questions
        self.question_bytes = question_bytes

    def __call__(self, context: OracleContext) -> OracleReport:
        prepare = getattr(self.source, "prepare", None)
        if prepare is not None:
            prepare(context)
        with OutputChecker(context.judge.backend, context.judge, context.problem) as checker:
            return _Session(self, context, checker).run()


class _Session:
    """One round of questions. Evidence is kept per candidate, not per cluster: members of one
    cluster agree on the inputs clustering used, but new small inputs may tell them apart."""

    def __init__(self, oracle: Oracle, context: OracleContext, checker: OutputChecker) -> None:
        self.oracle = oracle
        self.context = context
        self.checker = checker
        self.clusters = list(context.clustering.clusters)
        self.cluster_of = {m: c for c in self.clusters for m in c.members}
        self.alive: set[int] = set(self.cluster_of)
        self.records: list[QuestionRecord] = []
        self.asked = 0
        self.extra_rounds = 0
        scores = context.scores
        # A candidate's weight in a question's split: its score, its family sharing one vote.
        weights = family_weights(self.cluster_of, context.families)
        self.mass = {m: max(scores.get(m, 0.0), 1e-6) * weights[m] for m in self.cluster_of}
        examples = [case.input.read_bytes() for case in context.problem.samples]
        self.example_shapes = set().union(*(_shapes(data) for data in examples))
        self.word_forms = _word_forms(examples)
        self.permutations = _permutations(examples)
        # Every example's grid is a rectangle: a grid with rows of other lengths breaks that.
        self.rectangles = any(_word_rows(data) for data in examples) and not any(
            _ragged(data) for data in examples
        )
        self.zero_in_examples = any(_has_zero(data) for data in examples)
        self.probes = self._kept_probes()
        # How the live candidates split on inputs whose answer was no evidence (the checker
        # rejected it, or it contradicted every program): another input that splits them the
        # same way most likely breaks the same promise, so it is not asked about.
        self.fruitless: list[list[frozenset[int]]] = []
        self.folder = context.workdir
        self.folder.mkdir(parents=True, exist_ok=True)

    # What is known --------------------------------------------------------------------------

    def _kept_probes(self) -> list[_Probe]:
        clustering = self.context.clustering
        probes = []
        for position, number in enumerate(clustering.kept_inputs):
            path = self.context.inputs[number]
            data = path.read_bytes()
            per_candidate = clustering.classes[position]
            probes.append(
                _Probe(
                    path=path,
                    data=data,
                    by_candidate={m: per_candidate[m] for m in self.cluster_of},
                    outputs=dict(clustering.representatives[position]),
                    edge=self._unusual(data),
                    askable=self._askable(data),
                )
            )
        return probes

    def _leading(self) -> list[int]:
        """Live candidates, those of the heaviest clusters first, at most a cap of them."""
        cluster_mass = {
            c.id: sum(self.mass[m] for m in c.members if m in self.alive) for c in self.clusters
        }
        order = sorted(
            self.alive, key=lambda m: (-cluster_mass[self.cluster_of[m].id], -self.mass[m], m)
        )
        return order[:MAX_RUN_CANDIDATES]

    def _run_candidates(
        self, datas: list[bytes], tag: str, edges: Collection[bytes] = ()
    ) -> list[_Probe]:
        """The leading live candidates on new inputs; inputs that most of them crash on are
        taken as invalid and dropped. `edges`: the inputs that are edge-case probes."""
        folder = self.folder / tag
        folder.mkdir(parents=True, exist_ok=True)
        paths = []
        for number, data in enumerate(datas):
            path = folder / f"{tag}-{number:04d}.in"
            path.write_bytes(data)
            paths.append(path)
        programs = {m: self.context.programs[m] for m in self._leading()}
        flags = self.context.problem.checker_flags
        observations, raw = run_on_inputs(
            self.context.judge.backend,
            programs,
            paths,
            self.context.limits,
            flags,
            workers=self.context.workers,
            progress=self.context.progress,
        )
        found = cluster(observations, raw, sorted(programs), paths, flags, self.checker)
        probes = []
        for position, number in enumerate(found.kept_inputs):
            probes.append(
                _Probe(
                    path=paths[number],
                    data=datas[number],
                    by_candidate=dict(found.classes[position]),
                    outputs=dict(found.representatives[position]),
                    edge=datas[number] in edges or self._unusual(datas[number]),
                    askable=self._askable(datas[number]),
                )
            )
        return probes

    def _groups(self, probe: _Probe, *, marks: bool = False) -> dict[int, list[int]]:
        """Live candidates by what they print on the probe; crashes and timeouts only with
        `marks`: on a generated input they are no evidence (the input may break the
        statement's promises, on which correct programs may loop or crash), so they neither
        make a question nor are removed by its answer (the scorer already weighs them)."""
        groups: dict[int, list[int]] = {}
        for candidate, key in probe.by_candidate.items():
            if candidate in self.alive and (marks or key >= 0):
                groups.setdefault(key, []).append(candidate)
        return groups

    def _partition(self, groups: Collection[Collection[int]]) -> set[frozenset[int]]:
        """The live candidates of each group, as a set of nonempty parts."""
        parts = (frozenset(m for m in members if m in self.alive) for members in groups)
        return {part for part in parts if part}

    def _fruitless_split(self, groups: dict[int, list[int]]) -> bool:
        """Whether the live candidates split on this probe as on an input whose answer was no
        evidence."""
        here = self._partition(groups.values())
        return any(self._partition(parts) == here for parts in self.fruitless)

    def _split(self, groups: dict[int, list[int]]) -> float:
        masses = [sum(self.mass[m] for m in members) for members in groups.values()]
        total = sum(masses)
        if total <= 0:
            return 0.0
        return 1.0 - sum((m / total) ** 2 for m in masses)

    def behaviours(self) -> list[Cluster]:
        """The live candidates grouped by what they print on every input known: the clusters
        (unchanged, with their ids) unless new inputs told members apart or some were removed;
        a part gets a new id."""
        parts: dict[tuple[int, tuple[int, ...]], list[int]] = {}
        for candidate in sorted(self.alive):
            extra = tuple(
                probe.by_candidate.get(candidate, CRASH - 1)
                for probe in self.probes[len(self.context.clustering.kept_inputs) :]
            )
            parts.setdefault((self.cluster_of[candidate].id, extra), []).append(candidate)
        result: list[Cluster] = []
        fresh = len(self.clusters)
        for original in self.clusters:
            pieces = [members for (cid, _), members in parts.items() if cid == original.id]
            pieces.sort(key=lambda members: (-len(members), members[0]))
            for members in pieces:
                if members == original.members:
                    result.append(original)
                else:
                    result.append(Cluster(fresh, members, original.signature))
                    fresh += 1
        return sorted(result, key=lambda c: (-c.size, c.members[0]))

    # Questions ------------------------------------------------------------------------------

    def _askable(self, data: bytes) -> bool:
        """Whether an input may be asked about (decided once per input). The fuzzer's edits
        can break the statement's promises, correct programs then differ, and an answer there
        (from a program above all) would remove correct ones. So only small inputs shaped like
        the examples are asked about:
        - line by line the same kinds of tokens, no negative number unless an example has one;
        - no word of another form than the examples' (a date "27.12.51" grown to "27.12.5155");
        - where the examples' lines of numbers are permutations, lines that are too;
        - where every example's grid is a rectangle, a rectangle (Codeforces 6B: an answer on
          an office whose rows were cut to "B", "E", "BBE" removed the correct programs);
        - where no input validator screened the inputs, no zero that no example has
          (`_unusual`)."""
        return (
            len(data) <= self.oracle.question_bytes
            and _shapes(data) <= self.example_shapes
            and not _malformed_words(data, self.word_forms)
            and not (self.permutations and _breaks_permutations(data))
            and not (self.rectangles and _ragged(data))
            and (self.context.screened or not self._unusual(data))
        )

    def _unusual(self, data: bytes) -> bool:
        """A zero where no example has one: a classic edge case, and as often a value the
        statement forbids. Unscreened, such an input is not asked about (measured on the
        first 40 Codeforces pools, which have no validators: answers on "0" where 1 <= w,
        "5 / 0 2 0 0 2" where 1 <= t, "3 / 5 6 / 0 2" where 1 <= a, given by a hidden accepted
        program, removed correct programs in 4 problems, and no zero question was needed for
        a correct first pick). Screened, it is a valid input, asked about last, as the
        edge-case probes are."""
        return not self.zero_in_examples and _has_zero(data)

    def _well_formed(self, probe: _Probe, key: int) -> bool:
        """Whether a custom checker accepts this output compared with itself. Where it rejects
        every output printed, no answer can be judged (the input breaks a promise the checker
        relies on), so the input is not asked about."""
        if not self.checker.custom:
            return True
        if key not in probe.well_formed:
            probe.well_formed[key] = self._checker_accepts(probe, probe.outputs[key])
        return probe.well_formed[key]

    def _checker_accepts(self, probe: _Probe, output: bytes) -> bool:
        """The checker's verdict on an output compared with itself as the answer."""
        verdict, _ = self.checker.check(probe.path, output, output)
        return verdict is Verdict.AC

    def _next_probe(self) -> tuple[_Probe, float] | None:
        """The best question among the askable inputs: the most even split of the live mass,
        then the shortest input. Edge-case probes, which break the statement's promises more
        often, come after every other input that separates the programs left."""
        best: tuple[bool, float, int, int, _Probe] | None = None
        for order, probe in enumerate(self.probes):
            if probe.done or not probe.askable:
                continue
            groups = self._groups(probe)
            if len(groups) < 2 or not any(self._well_formed(probe, key) for key in groups):
                continue
            if self._fruitless_split(groups):
                continue
            key = (probe.edge, -self._split(groups), len(probe.data), order, probe)
            if best is None or key[:4] < best[:4]:
                best = key
        return (best[4], -best[1]) if best is not None else None

    def _more_probes(self) -> bool:
        """Small new inputs, run by the leading live candidates; True if any came."""
        self.extra_rounds += 1
        context = self.context
        folder = self.folder / f"generated-{self.extra_rounds}"
        generated = generate_inputs(
            context.judge.backend,
            context.judge.builder,
            context.problem,
            folder,
            count=EXTRA_INPUTS,
            probes=EXTRA_PROBES,
            seed=context.seed + 7919 * self.extra_rounds,
        )
        known = {p.data for p in self.probes}
        edges = {path.read_bytes() for path in generated.probes}
        datas = []
        for path in generated.inputs:
            data = path.read_bytes()
            if len(data) <= self.oracle.question_bytes and data not in known:
                known.add(data)
                datas.append(data)
        if not datas:
            return False
        self.probes += self._run_candidates(datas, f"extra-{self.extra_rounds}", edges)
        return True

    def _views(self, members: list[int]) -> tuple[ClusterView, ...]:
        """The clusters these candidates belong to: id, how many of its members, best score."""
        by_cluster: dict[int, list[int]] = {}
        for m in members:
            by_cluster.setdefault(self.cluster_of[m].id, []).append(m)
        views = [
            ClusterView(cid, len(ms), max(self.context.scores.get(m, 0.0) for m in ms))
            for cid, ms in by_cluster.items()
        ]
        return tuple(sorted(views, key=lambda v: (-v.size, -v.score, v.id)))

    def _question(self, probe: _Probe, split: float) -> Question:
        choices = []
        for key, members in self._groups(probe, marks=True).items():
            mass = sum(self.mass[m] for m in members)
            output = probe.outputs.get(key) if key >= 0 else None
            choices.append(Choice(key, output, self._views(members), mass))
        choices.sort(key=lambda c: (c.output is None, -c.mass, c.key))
        return Question(
            number=self.asked + 1,
            input=probe.data,
            input_name=probe.path.name,
            input_path=probe.path,
            digest=input_digest(probe.data),
            choices=tuple(choices),
            split=split,
        )

    # Evidence -------------------------------------------------------------------------------

    def _agrees(self, probe: _Probe, key: int, answer: Answer) -> bool:
        output = probe.outputs[key]
        if answer.kind == "output":
            return self._same(probe, answer.output, output)
        # "none of these": wrong if it matches any output said to be wrong.
        return not any(self._same(probe, wrong, output) for wrong in answer.wrong)

    def _same(self, probe: _Probe, answer: bytes, output: bytes) -> bool:
        """The checker's say; where it is exact, also decimals printed alike but for their last
        places (`ANSWER_GAP_UNITS`)."""
        verdict, _ = self.checker.check(probe.path, answer, output)
        if verdict is Verdict.AC:
            return True
        if self.checker.custom or self.context.problem.checker_flags.compares_floats:
            return False  # the checker's tolerance, or its own rule, already said no
        gap = last_place_gap(answer, output)
        return gap is not None and gap <= ANSWER_GAP_UNITS

    def _apply(self, probe: _Probe, answer: Answer, record: QuestionRecord) -> None:
        probe.done = True
        if answer.kind not in ("output", "none"):
            return
        groups = self._groups(probe)
        split = [frozenset(members) for members in groups.values()]
        # A custom checker that rejects the answer as an output (a pair compared with itself)
        # cannot judge this input: it breaks the statement's promises, or the answer is
        # malformed. Nothing it says about the programs is evidence.
        if (
            answer.kind == "output"
            and self.checker.custom
            and not self._checker_accepts(probe, answer.output)
        ):
            record.rejected_by_checker = True
            self.fruitless.append(split)
            return
        removed: list[int] = []
        for key, members in groups.items():
            if not self._agrees(probe, key, answer):
                removed += members
        if removed and len(removed) == sum(len(members) for members in groups.values()):
            record.contradicts_all = True  # no program that prints something agrees
            self.fruitless.append(split)
            return
        self.alive -= set(removed)
        record.removed_clusters = sorted({self.cluster_of[m].id for m in removed})
        record.removed_candidates = len(removed)

    def _record(
        self,
        probe: _Probe,
        answer: Answer,
        source: str,
        number: int | None,
        question: Question | None,
    ) -> QuestionRecord:
        choices = []
        if question is not None:
            choices = [
                {
                    "output": _preview(c.output) if c.output is not None else None,
                    "mark": c.label or None,
                    "clusters": [v.id for v in c.clusters],
                    "sizes": [v.size for v in c.clusters],
                    "scores": [round(v.score, 4) for v in c.clusters],
                }
                for c in question.choices
            ]
        return QuestionRecord(
            number=number,
            input_name=probe.path.name,
            input_preview=_preview(probe.data),
            source=source,
            answer=answer.kind,
            output=answer.output.decode("utf-8", errors="replace"),
            note=answer.note,
            split=question.split if question is not None else 0.0,
            choices=choices,
        )

    def _apply_given(self) -> None:
        by_data = {p.data: p for p in self.probes}
        missing = list(dict.fromkeys(g.input for g in self.oracle.given if g.input not in by_data))
        if missing:
            for probe in self._run_candidates(missing, "given"):
                by_data[probe.data] = probe
                self.probes.append(probe)
        for given in self.oracle.given:
            probe = by_data.get(given.input)
            if probe is None:
                continue  # most candidates crashed on it: not a valid input
            answer = Answer("output", given.output)
            record = self._record(probe, answer, "answers file", None, None)
            self._apply(probe, answer, record)
            self.records.append(record)

    def run(self) -> OracleReport:
        ended = ""
        if self.oracle.given and len(self.alive) > 1:
            self._apply_given()
        source, store = self.oracle.source, self.oracle.store
        while not ended:
            # An answer that contradicts every program left, or that the checker rejects, is
            # not applied, and the questions go on: that input may break the statement's
            # promises, and other inputs can still tell the programs apart.
            if len(self.alive) <= 1:
                ended = "one program left"
                break
            if source is None:
                ended = "no one to ask"
                break
            found = self._next_probe()
            if found is None and self.extra_rounds < 1 and self._more_probes():
                found = self._next_probe()
            if found is None:
                ended = "one behaviour left on small inputs"
                break
            probe, split = found
            question = self._question(probe, split)
            saved = store.lookup(question.digest) if store is not None else None
            if saved is not None:  # answered in an earlier run: not asked again, not counted
                record = self._record(probe, saved, "saved", None, question)
                self._apply(probe, saved, record)
                self.records.append(record)
                continue
            if self.asked >= self.oracle.max_questions:
                ended = f"{self.oracle.max_questions} questions asked"
                break
            self.asked += 1
            answer = source.answer(question)
            if answer.kind == "stop":
                self.asked -= 1  # not answered: the person left
                ended = "stopped"
                break
            if store is not None and source.remembered:
                store.save(question, answer)
            record = self._record(probe, answer, source.name, question.number, question)
            self._apply(probe, answer, record)
            self.records.append(record)
        removed = set(self.cluster_of) - self.alive
        return OracleReport(self.records, self.behaviours(), removed, ended, self.asked)
