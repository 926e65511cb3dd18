"""Interactive problems: the candidate and the package's interactor run side by side.

The interactor is the package's output validator, called as Kattis calls it:
`interactor input answer feedback_dir [flags]`, with its stdout going to the candidate's stdin
and the candidate's stdout coming back to its stdin; it exits 42 to accept and 43 to reject.
Both run in the sandbox, each in a box of its own (its own uid, namespaces and rlimits); only
the candidate gets a contestant's limits, the interactor gets the validator's generous ones.

The two programs talk through pipes. Where the caller asks for a record, a relay thread in the
judge sits on one or both directions: it keeps a capped transcript (`judge --json`) and a digest
of everything the candidate wrote (the solver clusters on it), and counts the candidate's output
against the output limit; otherwise the pipes join the programs directly, which is faster on a
chatty protocol (each relayed message wakes the judge).

Every way for the pair to hang ends: the candidate has its wall-clock watchdog, the interactor
the candidate's watchdog plus a grace period, and once the candidate has gone the interactor
gets only the grace period to finish. The verdict rules (who died first, which verdict wins)
are the judge's: see `sandbox.judge.interaction_verdict`.
"""

from __future__ import annotations

import dataclasses
import errno
import hashlib
import os
import select
import shutil
import subprocess
import threading
import time
from collections.abc import Callable, Hashable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from sandbox.backends.local import (
    Box,
    LocalBackend,
    RunResult,
    kill_run,
    link_or_copy,
    transient_setup_failure,
)
from sandbox.build import Program
from sandbox.limits import VALIDATOR_LIMITS, Limits
from sandbox.validators import ACCEPT_EXIT, read_feedback

TRANSCRIPT_KEPT_BYTES = 8 * 1024  # per test, both directions together, for `judge --json`
INTERACTOR_GRACE_S = 5.0  # how long the interactor may go on once the candidate has gone
RELAY_CHUNK_BYTES = 64 * 1024
RELAY_JOIN_S = 2.0  # after both programs are reaped, the relay has only EOFs left to read
SETUP_ATTEMPTS = 5
BASH = shutil.which("bash", path="/usr/bin:/bin")
Recording = Literal["none", "candidate", "both"]
CANDIDATE = "candidate"
INTERACTOR = "interactor"


@dataclass(frozen=True)
class Transcript:
    """What went over the pipes: the first bytes in order, and totals for the rest."""

    chunks: tuple[tuple[str, bytes], ...]  # (CANDIDATE or INTERACTOR, bytes), as relayed
    truncated: bool  # more was said than `chunks` holds
    candidate_bytes: int
    interactor_bytes: int | None  # None: that direction was not relayed (record="candidate")
    candidate_digest: str  # sha256 of everything the candidate wrote, in full

    def to_json(self) -> dict:
        return {
            "messages": [
                {"from": who, "text": data.decode(errors="replace")} for who, data in self.chunks
            ],
            "truncated": self.truncated,
            "candidate_bytes": self.candidate_bytes,
            "interactor_bytes": self.interactor_bytes,
        }


@dataclass(frozen=True)
class Interaction:
    """What happened to one candidate-interactor pair on one test."""

    candidate: RunResult
    interactor: RunResult
    interactor_first: bool  # the interactor exited before the candidate did
    feedback: str  # judgemessage.txt and teammessage.txt
    flooded: bool  # the candidate wrote more than its output limit
    transcript: Transcript


NO_TRANSCRIPT = Transcript((), False, 0, 0, "")


class _Direction:
    """One pipe of the conversation as the relay sees it: read from `source`, write `sink`."""

    def __init__(self, who: str, source: int, sink: int) -> None:
        self.who = who
        self.source: int | None = source
        self.sink: int | None = sink
        self.pending = b""
        self.total = 0

    def close_source(self) -> None:
        if self.source is not None:
            os.close(self.source)
            self.source = None

    def close_sink(self) -> None:
        if self.sink is not None:
            os.close(self.sink)
            self.sink = None


class _Relay(threading.Thread):
    """Copies its directions until they are closed; never buffers more than one read, so a
    side that stops reading blocks its writer (as a direct pipe would), never the judge."""

    def __init__(self, directions: list[_Direction], output_limit_bytes: int) -> None:
        super().__init__(daemon=True)
        self.directions = directions
        for direction in self.directions:
            assert direction.sink is not None
            os.set_blocking(direction.sink, False)
        self.output_limit_bytes = output_limit_bytes
        self.flooded = False
        self.chunks: list[tuple[str, bytes]] = []
        self.kept = 0
        self.truncated = False
        self.candidate_digest = hashlib.sha256()
        self.stop = threading.Event()

    def run(self) -> None:
        try:
            while not self.stop.is_set() and self._step():
                pass
        finally:
            for direction in self.directions:
                direction.close_source()
                direction.close_sink()

    def _step(self) -> bool:
        poller = select.poll()
        watched: dict[int, tuple[_Direction, bool]] = {}  # fd -> (direction, is the sink)
        for direction in self.directions:
            if direction.pending and direction.sink is not None:
                poller.register(direction.sink, select.POLLOUT)
                watched[direction.sink] = (direction, True)
            elif direction.source is not None:
                poller.register(direction.source, select.POLLIN)
                watched[direction.source] = (direction, False)
        if not watched:
            return False
        for fd, _events in poller.poll(100):
            direction, is_sink = watched[fd]
            if is_sink:
                self._write(direction)
            else:
                self._read(direction)
        return True

    def _read(self, direction: _Direction) -> None:
        assert direction.source is not None
        try:
            data = os.read(direction.source, RELAY_CHUNK_BYTES)
        except OSError:
            data = b""
        if not data:  # the writer closed its end (or died): pass the EOF on
            direction.close_source()
            direction.close_sink()
            return
        direction.total += len(data)
        self._record(direction.who, data)
        if direction.who == CANDIDATE and direction.total > self.output_limit_bytes:
            # A candidate past its output limit is cut off: its next write fails.
            self.flooded = True
            direction.close_source()
            direction.close_sink()
            return
        if direction.sink is None:  # the reader has gone: what it would not read is dropped
            return
        direction.pending = data
        self._write(direction)

    def _write(self, direction: _Direction) -> None:
        assert direction.sink is not None
        try:
            written = os.write(direction.sink, direction.pending)
        except BlockingIOError:
            return
        except OSError as error:
            if error.errno not in (errno.EPIPE, errno.ECONNRESET):
                raise
            # The reader has gone: the writer learns it as it would from a direct pipe.
            direction.pending = b""
            direction.close_sink()
            direction.close_source()
            return
        direction.pending = direction.pending[written:]
        if not direction.pending and direction.source is None:
            direction.close_sink()

    def _record(self, who: str, data: bytes) -> None:
        if who == CANDIDATE:
            self.candidate_digest.update(data)
        room = TRANSCRIPT_KEPT_BYTES - self.kept
        if room <= 0:
            self.truncated = True
            return
        kept = data[:room]
        self.truncated = self.truncated or len(kept) < len(data)
        self.kept += len(kept)
        if self.chunks and self.chunks[-1][0] == who:
            self.chunks[-1] = (who, self.chunks[-1][1] + kept)
        else:
            self.chunks.append((who, kept))

    def transcript(self) -> Transcript:
        totals = {direction.who: direction.total for direction in self.directions}
        return Transcript(
            chunks=tuple(self.chunks),
            truncated=self.truncated,
            candidate_bytes=totals[CANDIDATE],
            interactor_bytes=totals.get(INTERACTOR),
            candidate_digest=self.candidate_digest.hexdigest(),
        )


def interactor_limits(candidate: Limits) -> Limits:
    """The validator's limits, with a wall clock that outlasts the candidate's."""
    wall = max(VALIDATOR_LIMITS.wall_limit_s, candidate.wall_limit_s + INTERACTOR_GRACE_S)
    return dataclasses.replace(VALIDATOR_LIMITS, wall_s=wall)


class InteractivePair:
    """A candidate and an interactor staged in two boxes, run together on many tests."""

    def __init__(
        self,
        backend: LocalBackend,
        candidate_box: Box,
        candidate: Program,
        interactor_box: Box,
        interactor: Program,
        flags: Sequence[str],
        private: Path,
    ) -> None:
        self._backend = backend
        self._candidate_box = candidate_box
        self._candidate = candidate
        self._interactor_box = interactor_box
        self._interactor = interactor
        self._flags = list(flags)
        self._private = private
        self._runs = 0

    def run(
        self, input_file: Path, answer_file: Path, limits: Limits, *, record: Recording = "both"
    ) -> Interaction:
        """One test. What the judge relays and keeps: "both" directions (a transcript, a digest
        of the candidate's output, its output limit), the "candidate"'s side only, or "none"
        (the programs talk directly). Each relayed direction costs a wake-up of the judge per
        message, which is most of the time of a chatty exchange. A sandbox that the kernel
        refused for a moment is tried again."""
        for attempt in range(SETUP_ATTEMPTS):
            interaction = self._run_once(input_file, answer_file, limits, record)
            isolated = self._backend.isolated
            if not (
                transient_setup_failure(isolated, interaction.candidate)
                or transient_setup_failure(isolated, interaction.interactor)
            ):
                return interaction
            time.sleep(0.05 * 2**attempt)
        return interaction

    def _run_once(
        self, input_file: Path, answer_file: Path, limits: Limits, record: Recording
    ) -> Interaction:
        self._runs += 1
        candidate_box, interactor_box = self._candidate_box, self._interactor_box
        candidate_box.reset_scratch()
        interactor_box.reset_scratch()
        link_or_copy(input_file, interactor_box.scratch_dir / "input")
        link_or_copy(answer_file, interactor_box.scratch_dir / "answer")
        feedback = interactor_box.writable_dir("feedback")
        root = interactor_box.scratch_root
        interactor_argv = self._interactor.argv(
            interactor_box.program_root, VALIDATOR_LIMITS.memory_mib
        )
        interactor_argv += [f"{root}/input", f"{root}/answer", f"{root}/feedback/", *self._flags]
        candidate_argv = self._candidate.argv(candidate_box.program_root, limits.memory_mib)
        their_limits = interactor_limits(limits)

        files = {
            name: self._private / f"{name}-{self._runs}"
            for name in ("candidate.err", "interactor.err", "candidate.out", "interactor.out")
        }
        for path in files.values():
            path.write_bytes(b"")  # the pipes carry the output: these stay empty
        with ExitStack() as stack:
            # Each direction is one pipe from writer to reader, or two with the relay between.
            directions: list[_Direction] = []
            if record == "none":
                to_interactor_r, from_candidate_w = os.pipe()
            else:
                from_candidate_r, from_candidate_w = os.pipe()
                to_interactor_r, to_interactor_w = os.pipe()
                directions.append(_Direction(CANDIDATE, from_candidate_r, to_interactor_w))
            if record == "both":
                from_interactor_r, from_interactor_w = os.pipe()
                to_candidate_r, to_candidate_w = os.pipe()
                directions.append(_Direction(INTERACTOR, from_interactor_r, to_candidate_w))
            else:
                to_candidate_r, from_interactor_w = os.pipe()
            relay_ends = [fd for d in directions for fd in (d.source, d.sink) if fd is not None]
            relay = _Relay(directions, limits.output_mib * 1024 * 1024) if directions else None
            open_child_ends = [to_candidate_r, from_candidate_w, to_interactor_r, from_interactor_w]

            def close_child_ends() -> None:
                while open_child_ends:
                    os.close(open_child_ends.pop())

            stack.callback(close_child_ends)
            candidate_err = stack.enter_context(open(files["candidate.err"], "wb"))
            interactor_err = stack.enter_context(open(files["interactor.err"], "wb"))
            started = time.monotonic()
            processes: dict[str, subprocess.Popen] = {}
            try:
                processes[INTERACTOR] = _spawn_on_pipes(
                    self._backend,
                    interactor_box,
                    interactor_argv,
                    to_interactor_r,
                    from_interactor_w,
                    interactor_err.fileno(),
                    their_limits,
                    self._interactor,
                )
                processes[CANDIDATE] = _spawn_on_pipes(
                    self._backend,
                    candidate_box,
                    candidate_argv,
                    to_candidate_r,
                    from_candidate_w,
                    candidate_err.fileno(),
                    limits,
                    self._candidate,
                )
            except BaseException:
                for process in processes.values():
                    kill_run(process)
                    process.wait()
                for fd in relay_ends:
                    os.close(fd)
                raise
            close_child_ends()  # only the programs hold them now: their exits close the pipes
            if relay is not None:
                relay.start()
            try:
                order, timed_out = _wait_for_pair(processes, started, limits, their_limits)
            except BaseException:
                for process in processes.values():
                    kill_run(process)
                    process.wait()
                raise
            results = {
                who: box.collect(
                    processes[who],
                    started=started,
                    wall_timeout=who in timed_out,
                    stdout_path=files[f"{who}.out"],
                    stderr_path=files[f"{who}.err"],
                    limits=their_limits if who == INTERACTOR else limits,
                )
                for who, box in ((CANDIDATE, candidate_box), (INTERACTOR, interactor_box))
            }
            if relay is not None:
                relay.join(RELAY_JOIN_S)
                relay.stop.set()
                relay.join()
        transcript = relay.transcript() if relay is not None else NO_TRANSCRIPT
        flooded = relay is not None and relay.flooded
        candidate = dataclasses.replace(
            results[CANDIDATE], stdout_bytes=transcript.candidate_bytes, output_limit_hit=flooded
        )
        return Interaction(
            candidate=candidate,
            interactor=results[INTERACTOR],
            interactor_first=order[0] == INTERACTOR,
            feedback=read_feedback(feedback),
            flooded=flooded,
            transcript=transcript,
        )


def _spawn_on_pipes(
    backend: LocalBackend,
    box: Box,
    argv: list[str],
    read_end: int,
    write_end: int,
    stderr: int,
    limits: Limits,
    program: Program,
) -> subprocess.Popen:
    """Starts `argv` in `box` reading `read_end` and writing `write_end`.

    bubblewrap keeps a monitor process outside the sandbox that holds its own standard
    descriptors for the whole run: a program given the pipes as bwrap's stdin and stdout could
    close them and its peer would never see the end of file. So the pipes go in under their own
    numbers and bash, inside the sandbox, makes them the program's stdin and stdout and then
    becomes the program (which stays pid 1 and alone holds them)."""
    if not backend.isolated or BASH is None:
        return box.spawn(
            argv,
            stdin=read_end,
            stdout=write_end,
            stderr=stderr,
            limits=limits,
            limit_address_space=program.language.limit_address_space,
        )
    redirect = f'exec "$0" "$@" <&{read_end} >&{write_end} {read_end}<&- {write_end}>&-'
    with open(os.devnull, "rb") as nothing_in, open(os.devnull, "wb") as nothing_out:
        return box.spawn(
            [BASH, "-c", redirect, *argv],
            stdin=nothing_in.fileno(),
            stdout=nothing_out.fileno(),
            stderr=stderr,
            limits=limits,
            limit_address_space=program.language.limit_address_space,
            pass_fds=(read_end, write_end),
        )


def _wait_for_pair(
    processes: dict[str, subprocess.Popen],
    started: float,
    candidate_limits: Limits,
    interactor_limits: Limits,
) -> tuple[list[str], set[str]]:
    """Waits until both have exited or been killed at their deadlines. Returns who exited in
    which order (a tie counts the interactor first: the candidate's end is then most likely its
    consequence) and who was killed by its watchdog. Nothing is reaped here."""
    deadlines = {
        CANDIDATE: started + candidate_limits.wall_limit_s,
        INTERACTOR: started + interactor_limits.wall_limit_s,
    }
    pidfds = {who: os.pidfd_open(process.pid) for who, process in processes.items()}
    order: list[str] = []
    timed_out: set[str] = set()
    try:
        while len(order) < 2:
            running = [who for who in (INTERACTOR, CANDIDATE) if who not in order]
            now = time.monotonic()
            timeout = max(0.0, min(deadlines[who] for who in running) - now)
            ready, _, _ = select.select([pidfds[who] for who in running], [], [], timeout)
            now = time.monotonic()
            for who in running:
                if pidfds[who] in ready:
                    order.append(who)
                elif now >= deadlines[who]:
                    kill_run(processes[who])
                    timed_out.add(who)
                    _wait_exited(pidfds[who])
                    order.append(who)
            if order == [INTERACTOR] and _exit_status(processes[INTERACTOR]) != ACCEPT_EXIT:
                # An interactor that rejected (or failed) first decides the verdict whatever the
                # candidate does next: stop the candidate rather than wait for its watchdog.
                kill_run(processes[CANDIDATE])
            if CANDIDATE in order and INTERACTOR not in order:
                deadlines[INTERACTOR] = min(deadlines[INTERACTOR], now + INTERACTOR_GRACE_S)
    finally:
        for pidfd in pidfds.values():
            os.close(pidfd)
    return order, timed_out


def _exit_status(process: subprocess.Popen) -> int | None:
    """The exit status of a process that has exited, without reaping it; None if a signal
    ended it."""
    info = os.waitid(os.P_PID, process.pid, os.WEXITED | os.WNOWAIT)
    if info is None or info.si_code != os.CLD_EXITED:
        return None
    return info.si_status


def _wait_exited(pidfd: int) -> None:
    """After SIGKILL to a process group, its leader is gone within moments."""
    select.select([pidfd], [], [], 5.0)


@contextmanager
def interactive_pair(
    backend: LocalBackend, candidate: Program, interactor: Program, flags: Sequence[str]
) -> Iterator[InteractivePair]:
    """Two boxes (the candidate's and the interactor's) and a private folder, for many tests."""
    with (
        backend.box(candidate.directory) as candidate_box,
        backend.box(interactor.directory) as interactor_box,
        backend.private_dir() as private,
    ):
        yield InteractivePair(
            backend, candidate_box, candidate, interactor_box, interactor, flags, private
        )


@dataclass(frozen=True)
class PairJob:
    """One candidate on one interactor input, for `run_pairs`."""

    program: Program
    input: Path
    answer: Path  # an empty file where the input has no answer (a generated input)
    program_key: Hashable  # jobs with the same key run in order, in one pair of boxes
    tag: object = field(default=None, compare=False)


def run_pairs(
    backend: LocalBackend,
    interactor: Program,
    flags: Sequence[str],
    jobs: list[PairJob],
    limits: Limits,
    *,
    workers: int | None = None,
    record: Recording = "candidate",
    stop_program_when: Callable[[PairJob, Interaction], bool] | None = None,
) -> Iterator[tuple[PairJob, Interaction | None]]:
    """Many candidates on many inputs against one interactor, `workers` programs at a time, each
    program's jobs in order in one pair of boxes; yields (job, interaction) as each program
    finishes. Once `stop_program_when` holds (it runs in a worker thread), that program's
    remaining jobs are yielded with None (skipped)."""
    by_program: dict[Hashable, list[PairJob]] = {}
    for job in jobs:
        by_program.setdefault(job.program_key, []).append(job)

    def run_program(own: list[PairJob]) -> list[tuple[PairJob, Interaction | None]]:
        done: list[tuple[PairJob, Interaction | None]] = []
        stopped = False
        with interactive_pair(backend, own[0].program, interactor, flags) as pair:
            for job in own:
                if stopped:
                    done.append((job, None))
                    continue
                interaction = pair.run(job.input, job.answer, limits, record=record)
                done.append((job, interaction))
                stopped = stop_program_when is not None and stop_program_when(job, interaction)
        return done

    with ThreadPoolExecutor(max_workers=max(1, workers or os.cpu_count() or 1)) as pool:
        futures = [pool.submit(run_program, own) for own in by_program.values()]
        try:
            for future in as_completed(futures):
                yield from future.result()
        finally:
            for future in futures:
                future.cancel()
