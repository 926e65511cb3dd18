"""Behavioural clustering: survivors that answer alike on the generated inputs are one cluster.

Every survivor runs on every input through the batch API. Per input, its output is first put in
canonical form as the problem's checker compares it (tokens, lower-cased unless the checker is
case-sensitive); canonical forms are then merged into answer classes through the checker itself
where textual equality is not what it means: within the float tolerance (`compare_output`), or
by the custom output validator with one output playing the answer. Under an exact checker, a
rounding tie in the last of several printed places is one answer (`solver.checking`). A
candidate's signature is its answer class per input, or a mark where it timed out or crashed;
equal signatures form a cluster.

Inputs on which most survivors crash are taken as invalid (the fuzzer can break an input's
promises) and left out of every signature.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sandbox.backends.local import LocalBackend
from sandbox.batch import JobResult, RunCache, RunJob
from sandbox.build import Program
from sandbox.checkers import CheckerFlags, compare_output
from sandbox.interactive import CANDIDATE, Interaction, PairJob, run_pairs
from sandbox.judge import interaction_time_s, interaction_verdict, run_verdict
from sandbox.limits import Limits
from sandbox.verdicts import Verdict
from solver.checking import OutputChecker, rounding_tie
from solver.executor import LOCAL, Executor

TIMEOUT = -1  # a signature's mark for a run over the time limit
CRASH = -2  # a run-time error, memory or output limit
MAX_TIMEOUTS = 3  # after this many, a program's remaining inputs are skipped (and marked)
MAX_CLASSES_COMPARED = 8  # per input, the answer classes a new output is checked against
MAX_VALIDATOR_CALLS = 800  # per clustering; past this, outputs are compared textually
MAJORITY_CRASH = 0.5  # an input on which more than this share of survivors crash is dropped

Progress = Callable[[int, int], None]


@dataclass
class Observation:
    mark: int  # 0: ran to the end; TIMEOUT or CRASH
    digest: bytes = b""  # of the canonical output
    time_s: float = 0.0
    memory_kib: int = 0


@dataclass
class Behaviour:
    """What is known of one survivor from its runs (features for the scorer)."""

    signature: tuple[int, ...] = ()
    crashes: int = 0
    timeouts: int = 0
    max_time_s: float = 0.0
    total_time_s: float = 0.0
    max_memory_kib: int = 0
    largest_input_time_s: float = 0.0  # on the largest generated input


@dataclass
class Cluster:
    id: int
    members: list[int]  # candidate indices
    signature: tuple[int, ...]

    @property
    def size(self) -> int:
        return len(self.members)


@dataclass
class Clustering:
    clusters: list[Cluster]  # largest first
    behaviour: dict[int, Behaviour]
    kept_inputs: list[int]  # indices into the inputs given
    dropped_inputs: list[int]  # most survivors crashed on them
    # Per kept input: class id -> (a representative raw output); for properties and reports.
    representatives: list[dict[int, bytes]] = field(default_factory=list)
    # Per kept input: candidate index -> class id (or a mark).
    classes: list[dict[int, int]] = field(default_factory=list)
    validator_calls: int = 0

    def cluster_of(self, candidate: int) -> Cluster:
        for cluster in self.clusters:
            if candidate in cluster.members:
                return cluster
        raise KeyError(candidate)


def canonical(output: bytes, flags: CheckerFlags) -> bytes:
    """The output as the default checker sees it: tokens (or exact whitespace where it is
    significant), case-folded unless it is case-sensitive."""
    if not flags.space_change_sensitive:
        output = b" ".join(output.split())
    return output if flags.case_sensitive else output.lower()


def _digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


def run_on_inputs(
    backend: LocalBackend,
    programs: dict[int, Program],
    inputs: list[Path],
    limits: Limits,
    flags: CheckerFlags,
    *,
    workers: int | None = None,
    progress: Progress | None = None,
    cache: RunCache | None = None,
    executor: Executor = LOCAL,
) -> tuple[dict[tuple[int, int], Observation], dict[tuple[int, bytes], bytes]]:
    """Runs every program on every input (where `executor` runs them). Returns observations
    by (candidate, input) and one raw output per (input, canonical digest)."""
    jobs = [
        RunJob(program, path, limits, program_key=index, tag=number)
        for index, program in programs.items()
        for number, path in enumerate(inputs)
    ]
    observations: dict[tuple[int, int], Observation] = {}
    raw: dict[tuple[int, bytes], bytes] = {}
    timeouts: Counter[int] = Counter()

    def too_slow(result: JobResult) -> bool:
        # A program that keeps timing out would hold the cores for minutes: stop it.
        assert result.run is not None
        if run_verdict(result.run, limits) is Verdict.TLE:
            timeouts[result.job.program_key] += 1  # type: ignore[index]
        return timeouts[result.job.program_key] >= MAX_TIMEOUTS  # type: ignore[index]

    for done, result in enumerate(
        executor.run_batch(backend, jobs, workers=workers, stop_program_when=too_slow, cache=cache),
        start=1,
    ):
        key = (int(result.job.program_key), int(result.job.tag))  # type: ignore[call-overload]
        if result.run is None:
            observations[key] = Observation(TIMEOUT)  # skipped after repeated timeouts
        else:
            run = result.run
            verdict = run_verdict(run, limits)
            spent = run.wall_s if run.wall_timeout else run.cpu_s
            if verdict is Verdict.TLE:
                observations[key] = Observation(TIMEOUT, b"", spent, run.memory_kib)
            elif verdict is not None:
                observations[key] = Observation(CRASH, b"", spent, run.memory_kib)
            else:
                form = canonical(result.output, flags)
                digest = _digest(form)
                raw.setdefault((key[1], digest), result.output)
                observations[key] = Observation(0, digest, spent, run.memory_kib)
        if progress is not None:
            progress(done, len(jobs))
    settle_slow_programs(observations, programs, len(inputs), limits)
    return observations, raw


def settle_slow_programs(
    observations: dict[tuple[int, int], Observation],
    programs: Mapping[int, Program],
    inputs: int,
    limits: Limits,
) -> None:
    """A program with MAX_TIMEOUTS timeouts is marked as timing out on every input. Which of
    its runs the stop skipped depends on the order runs finish in (two workers race it, and a
    resumed run finds some in the cache); whether it reached MAX_TIMEOUTS does not. So its
    signature and features no longer depend on the machine's timing."""
    for index in programs:
        marks = [observations[(index, number)].mark for number in range(inputs)]
        if marks.count(TIMEOUT) >= MAX_TIMEOUTS:
            for number in range(inputs):
                observations[(index, number)] = Observation(TIMEOUT, b"", limits.time_s, 0)


def cluster(
    observations: dict[tuple[int, int], Observation],
    raw: dict[tuple[int, bytes], bytes],
    candidates: list[int],
    inputs: list[Path],
    flags: CheckerFlags,
    checker: OutputChecker | None,
    *,
    largest_input: int | None = None,
) -> Clustering:
    """Answer classes per input, signatures, clusters (largest first, ties by first member)."""
    kept, dropped = [], []
    for number in range(len(inputs)):
        crashed = sum(observations[(c, number)].mark == CRASH for c in candidates)
        (dropped if candidates and crashed > MAJORITY_CRASH * len(candidates) else kept).append(
            number
        )
    validator_calls = 0
    classes: list[dict[int, int]] = []
    representatives: list[dict[int, bytes]] = []
    for number in kept:
        digests = Counter(
            observations[(c, number)].digest
            for c in candidates
            if observations[(c, number)].mark == 0
        )
        class_of: dict[bytes, int] = {}
        reps: list[tuple[int, bytes]] = []  # (class id, raw output)
        for digest, _ in digests.most_common():  # frequent first: they become the references
            output = raw[(number, digest)]
            found = None
            needs_checker = checker is not None and checker.custom
            if not needs_checker or validator_calls < MAX_VALIDATOR_CALLS:
                for class_id, reference in reps[:MAX_CLASSES_COMPARED]:
                    if needs_checker:
                        assert checker is not None
                        validator_calls += 1
                        verdict, _ = checker.check(inputs[number], reference, output)
                        same = verdict is Verdict.AC
                    elif flags.compares_floats:
                        same = compare_output(reference, output, flags).accepted
                    else:
                        same = rounding_tie(reference, output)
                    if same:
                        found = class_id
                        break
            if found is None:
                found = len(reps)
                reps.append((found, output))
            class_of[digest] = found
        per_candidate = {
            c: class_of[obs.digest] if obs.mark == 0 else obs.mark
            for c in candidates
            for obs in [observations[(c, number)]]
        }
        classes.append(per_candidate)
        representatives.append(dict(reps))

    behaviour: dict[int, Behaviour] = {}
    for c in candidates:
        seen = [observations[(c, number)] for number in kept]
        behaviour[c] = Behaviour(
            signature=tuple(per[c] for per in classes),
            crashes=sum(o.mark == CRASH for o in seen),
            timeouts=sum(o.mark == TIMEOUT for o in seen),
            max_time_s=max((o.time_s for o in seen), default=0.0),
            total_time_s=sum(o.time_s for o in seen),
            max_memory_kib=max((o.memory_kib for o in seen), default=0),
            largest_input_time_s=observations[(c, largest_input)].time_s
            if largest_input is not None
            else 0.0,
        )
    return Clustering(
        clusters=group(behaviour),
        behaviour=behaviour,
        kept_inputs=kept,
        dropped_inputs=dropped,
        representatives=representatives,
        classes=classes,
        validator_calls=validator_calls,
    )


def group(behaviour: dict[int, Behaviour]) -> list[Cluster]:
    by_signature: dict[tuple[int, ...], list[int]] = defaultdict(list)
    for candidate in sorted(behaviour):
        by_signature[behaviour[candidate].signature].append(candidate)
    ordered = sorted(by_signature.items(), key=lambda item: (-len(item[1]), item[1][0]))
    return [Cluster(i, members, signature) for i, (signature, members) in enumerate(ordered)]


def run_interactive_on_inputs(
    backend: LocalBackend,
    interactor: Program,
    flags: Sequence[str],
    programs: dict[int, Program],
    inputs: list[Path],
    limits: Limits,
    *,
    workers: int | None = None,
    progress: Progress | None = None,
) -> tuple[dict[tuple[int, int], Observation], dict[tuple[int, bytes], bytes], set[int]]:
    """`run_on_inputs` for an interactive problem: every program talks to the interactor on
    every input. A run's answer class is the interactor's verdict with a digest of everything
    the candidate wrote (its side of the transcript); a judge error (an input the interactor
    cannot use) counts as a crash, so that an input most runs fail on is dropped.

    Unlike an output, an interactive run is judged: the interactor holds the hidden state. The
    third value is the programs it rejected on some input (wrong answer, or over the limits),
    unless that is every program (then the inputs, not the programs, are suspect)."""
    observations: dict[tuple[int, int], Observation] = {}
    raw: dict[tuple[int, bytes], bytes] = {}
    rejected: set[int] = set()
    timeouts: Counter[int] = Counter()

    def too_slow(job: PairJob, interaction: Interaction) -> bool:
        # One program's jobs run in one thread, in order: its own counter is only touched there.
        if interaction_verdict(interaction, limits)[0] is Verdict.TLE:
            timeouts[job.program_key] += 1  # type: ignore[index]
        return timeouts[job.program_key] >= MAX_TIMEOUTS  # type: ignore[index]

    with backend.private_dir() as private:
        no_answer = private / "none.ans"  # generated inputs have no answer file
        no_answer.write_bytes(b"")
        jobs = [
            PairJob(
                program,
                path,
                path.with_suffix(".ans") if path.with_suffix(".ans").is_file() else no_answer,
                program_key=index,
                tag=number,
            )
            for index, program in programs.items()
            for number, path in enumerate(inputs)
        ]
        pairs = run_pairs(
            backend, interactor, flags, jobs, limits, workers=workers, stop_program_when=too_slow
        )
        for done, (job, interaction) in enumerate(pairs, start=1):
            key = (int(job.program_key), int(job.tag))  # type: ignore[call-overload]
            if interaction is None:
                observations[key] = Observation(TIMEOUT)  # skipped after repeated timeouts
            else:
                verdict, _ = interaction_verdict(interaction, limits)
                if verdict is not Verdict.AC and verdict is not Verdict.JE:
                    rejected.add(key[0])
                spent = interaction_time_s(interaction)
                memory = interaction.candidate.memory_kib
                if verdict is Verdict.TLE:
                    observations[key] = Observation(TIMEOUT, b"", spent, memory)
                elif verdict not in (Verdict.AC, Verdict.WA):
                    observations[key] = Observation(CRASH, b"", spent, memory)
                else:
                    transcript = interaction.transcript
                    digest = _digest(f"{verdict} {transcript.candidate_digest}".encode())
                    said = b"".join(data for who, data in transcript.chunks if who == CANDIDATE)
                    raw.setdefault((key[1], digest), f"{verdict}\n".encode() + said)
                    observations[key] = Observation(0, digest, spent, memory)
            if progress is not None:
                progress(done, len(jobs))
    return observations, raw, rejected if rejected != set(programs) else set()
