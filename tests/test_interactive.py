"""Interactive problems: a candidate and the package's interactor run as a pair in the sandbox.

A small package (the interactor sends numbers, the candidate must answer each with its double)
is judged with well-behaved and hostile candidates; each gets its verdict within the wall-clock
limit, leaves no process behind, and the judge goes on serving. The bundled problem `treasure`
is judged through the command line with transcripts.
"""

from __future__ import annotations

import json
import os
import time
import uuid
from pathlib import Path

import pytest

from sandbox.backends.local import RunResult
from sandbox.interactive import INTERACTOR_GRACE_S, Interaction, PairJob, Transcript, run_pairs
from sandbox.judge import Judge, JudgeResult, interaction_verdict
from sandbox.languages import detect_language
from sandbox.limits import Limits
from sandbox.problem import load_problem
from sandbox.verdicts import Verdict
from tests.conftest import REPO, write

TIME_LIMIT_S = 0.3
LIMITS = Limits(time_s=TIME_LIMIT_S, memory_mib=256)
# Every verdict must come within the candidate's watchdog plus the interactor's grace period.
DEADLINE_S = LIMITS.wall_limit_s + INTERACTOR_GRACE_S + 2.0
MARKER = f"hostile{uuid.uuid4().hex[:12]}"  # in every program's file name: to find leftovers

DOUBLING_INTERACTOR = """
import os
import sys

input_path, answer_path, feedback = sys.argv[1:4]
numbers = [int(word) for word in open(input_path).read().split()]


def done(code, message):
    with open(os.path.join(feedback, "judgemessage.txt"), "w") as note:
        note.write(message)
    # What is left in stdout's buffer goes nowhere: flushed at exit into a pipe the program
    # closed, it would make this interactor fail (exit 120) instead of giving its verdict.
    os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
    sys.exit(code)


for number in numbers:
    try:
        print(number, flush=True)
    except BrokenPipeError:
        done(43, "the program stopped reading")
    line = sys.stdin.readline(100)  # bounded: a flood must not fill the interactor's memory
    if not line:
        done(43, "no reply")
    if line.strip() != str(2 * number):
        done(43, "expected %d, got %r" % (2 * number, line.strip()[:20]))
os.close(1)  # the candidate reads until the end: tell it there is no more
if sys.stdin.read(100).strip():
    done(43, "output after the last number")
done(42, "all doubled")
"""

CANDIDATES = {
    "ac.py": "import sys\nfor line in sys.stdin:\n    print(2 * int(line), flush=True)\n",
    "ac.cpp": (
        "#include <iostream>\nint main() { long long a;"
        " while (std::cin >> a) std::cout << 2 * a << std::endl; }\n"
    ),
    "wa.py": "import sys\nfor line in sys.stdin:\n    print(2 * int(line) + 1, flush=True)\n",
    "rte.py": "import sys\nsys.stdin.readline()\nprint(1 // 0)\n",
    "mle.py": "import sys\nsys.stdin.readline()\nblock = bytearray(1 << 31)\n",
    "never_reads.py": "while True:\n    pass\n",
    "never_writes.py": "import sys\nfor line in sys.stdin:\n    pass\n",
    "closes_at_once.py": "import os\nos.close(0)\nos.close(1)\n",
    "floods.py": "import sys\nwhile True:\n    sys.stdout.write('9' * 65536)\n",
    "floods_lines.py": "import sys\nwhile True:\n    sys.stdout.write('0\\n' * 4096)\n",
    "sleeps.py": "import time\ntime.sleep(600)\n",
}


def _package(root: Path, interactor: str, *, new_format: bool = False) -> Path:
    if new_format:  # the 2023-07 draft: `type: interactive` and output_validator/
        write(root / "problem.yaml", "name: Doubling\ntype: interactive\n")
        write(root / "output_validator" / f"{MARKER}_interactor.py", interactor)
    else:
        write(root / "problem.yaml", "name: Doubling\nvalidation: custom interactive\n")
        write(root / "output_validators" / "doubling" / f"{MARKER}_interactor.py", interactor)
    (root / ".timelimit").write_text(str(TIME_LIMIT_S))
    write(root / "data" / "sample" / "1.in", "3\n")
    write(root / "data" / "sample" / "1.ans", "")
    write(root / "data" / "secret" / "1.in", "5 7 1000000\n")
    write(root / "data" / "secret" / "1.ans", "")
    return root


@pytest.fixture(scope="module")
def doubling(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _package(tmp_path_factory.mktemp("doubling"), DOUBLING_INTERACTOR)


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("candidates")
    found = {}
    for name, text in CANDIDATES.items():
        stem, suffix = name.rsplit(".", 1)
        found[name] = folder / f"{MARKER}_{stem}.{suffix}"
        found[name].write_text(text)
    return found


def _leftovers() -> list[str]:
    """Processes still running any program of this test (found by the marker in its name)."""
    left = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if MARKER in command and "pytest" not in command:
            left.append(f"{entry.name}: {command[:120]}")
    return left


def _judge(judge: Judge, problem_dir: Path, source: Path, **options: object) -> JudgeResult:
    problem = load_problem(problem_dir)
    return judge.judge(
        problem,
        source,
        detect_language(source),
        tests=problem.tests(),
        time_limit_s=TIME_LIMIT_S,
        **options,  # type: ignore[arg-type]
    )


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("ac.py", Verdict.AC),
        ("ac.cpp", Verdict.AC),
        ("wa.py", Verdict.WA),
        ("rte.py", Verdict.RTE),
        ("mle.py", Verdict.MLE),
        ("never_reads.py", Verdict.TLE),
        ("never_writes.py", Verdict.TLE),
        ("closes_at_once.py", Verdict.WA),
        ("floods.py", Verdict.WA),
        ("floods_lines.py", Verdict.WA),
        ("sleeps.py", Verdict.TLE),
    ],
)
def test_each_candidate_gets_its_verdict_in_time_and_leaves_nothing(
    judge: Judge, doubling: Path, sources: dict[str, Path], name: str, expected: Verdict
) -> None:
    started = time.monotonic()
    result = _judge(judge, doubling, sources[name])
    elapsed = time.monotonic() - started
    assert result.verdict is expected, [t.to_json() for t in result.tests]
    assert elapsed < DEADLINE_S
    assert _leftovers() == []


def test_the_judge_goes_on_serving_after_hostile_candidates(
    judge: Judge, doubling: Path, sources: dict[str, Path]
) -> None:
    for name in ("floods.py", "never_writes.py", "closes_at_once.py"):
        assert _judge(judge, doubling, sources[name]).verdict is not Verdict.AC
    result = _judge(judge, doubling, sources["ac.py"], transcripts=True)
    assert result.verdict is Verdict.AC
    assert [t.name for t in result.tests] == ["sample/1", "secret/1"]
    secret = result.tests[1].to_json()["transcript"]
    assert secret["messages"][:2] == [
        {"from": "interactor", "text": "5\n"},
        {"from": "candidate", "text": "10\n"},
    ]
    assert secret["candidate_bytes"] == len("10\n14\n2000000\n")
    assert _leftovers() == []


def test_transcripts_are_capped_and_only_kept_when_asked(
    judge: Judge, doubling: Path, sources: dict[str, Path]
) -> None:
    flooded = _judge(judge, doubling, sources["floods_lines.py"], transcripts=True)
    transcript = flooded.tests[0].to_json()["transcript"]
    assert transcript["truncated"] is True
    assert sum(len(m["text"]) for m in transcript["messages"]) <= 8 * 1024
    plain = _judge(judge, doubling, sources["ac.py"])
    assert all("transcript" not in t.to_json() for t in plain.tests)


def test_a_crashing_interactor_is_a_judge_error(
    judge: Judge, tmp_path: Path, sources: dict[str, Path]
) -> None:
    broken = _package(tmp_path / "broken", "import sys\nsys.exit(3)\n")
    result = _judge(judge, broken, sources["ac.py"])
    assert result.verdict is Verdict.JE
    assert "exited with 3" in result.tests[0].message


def test_a_hanging_interactor_is_a_judge_error_within_its_grace(
    judge: Judge, tmp_path: Path, sources: dict[str, Path]
) -> None:
    hanging = _package(tmp_path / "hanging", "import time\ntime.sleep(600)\n")
    started = time.monotonic()
    result = _judge(judge, hanging, sources["closes_at_once.py"])
    assert result.verdict is Verdict.JE
    assert time.monotonic() - started < INTERACTOR_GRACE_S + 5.0
    assert _leftovers() == []


def test_the_2023_format_type_interactive_is_judged(
    judge: Judge, tmp_path: Path, sources: dict[str, Path]
) -> None:
    package = _package(tmp_path / "new", DOUBLING_INTERACTOR, new_format=True)
    assert load_problem(package).interactive
    assert _judge(judge, package, sources["ac.py"]).verdict is Verdict.AC
    assert _judge(judge, package, sources["wa.py"]).verdict is Verdict.WA


def _run(
    exit_code: int | None, *, signal: int | None = None, cpu_s: float = 0.1, stderr: bytes = b""
) -> RunResult:
    return RunResult(
        exit_code=exit_code,
        signal=signal,
        cpu_s=cpu_s,
        wall_s=cpu_s,
        memory_kib=1000,
        wall_timeout=False,
        stdout_path=Path(os.devnull),
        stdout_bytes=0,
        output_limit_hit=False,
        stderr=stderr,
    )


PYTHON_BROKEN_PIPE = (
    b"Traceback (most recent call last):\nBrokenPipeError: [Errno 32] Broken pipe\n"
)


@pytest.mark.parametrize(
    ("candidate", "interactor", "interactor_first", "expected"),
    [
        (_run(0), _run(42), False, Verdict.AC),
        (_run(0), _run(43), False, Verdict.WA),
        # The interactor rejected first: the candidate's crash (a broken pipe) is its consequence.
        (_run(None, signal=13), _run(43), True, Verdict.WA),
        # Seen exiting first under load, but its end came from the interactor's (a race).
        (_run(None, signal=13), _run(43), False, Verdict.WA),
        (_run(1, stderr=PYTHON_BROKEN_PIPE), _run(43), False, Verdict.WA),
        # The candidate crashed first: the interactor then rejects the missing reply.
        (_run(1), _run(43), False, Verdict.RTE),
        (_run(0, cpu_s=0.9), _run(42), False, Verdict.TLE),
        (_run(None, signal=9, cpu_s=0.9), _run(43), False, Verdict.TLE),
        # A failed interactor is the judge's fault, whatever the candidate did.
        (_run(1), _run(1), False, Verdict.JE),
        (_run(0), _run(None, signal=11), True, Verdict.JE),
    ],
)
def test_verdict_rules(
    candidate: RunResult, interactor: RunResult, interactor_first: bool, expected: Verdict
) -> None:
    interaction = Interaction(
        candidate, interactor, interactor_first, "", False, Transcript((), False, 0, 0, "")
    )
    assert interaction_verdict(interaction, LIMITS)[0] is expected


def test_bundled_treasure_through_the_command_line(tmp_path: Path) -> None:
    import subprocess
    import sys

    package = REPO / "problems" / "treasure"
    accepted = package / "submissions" / "accepted" / "treasure.py"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "solver",
            "judge",
            str(package),
            str(accepted),
            "--json",
            "--tests",
            "sample",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["verdict"] == "AC"
    first = report["tests"][0]
    assert first["name"] == "sample/1"
    assert first["transcript"]["messages"][0] == {"from": "interactor", "text": "2\n10\n"}


@pytest.mark.slow
def test_solve_with_the_bundled_pool_ranks_an_accepted_program_first(
    judge: Judge, tmp_path: Path
) -> None:
    from solver.pipeline import PipelineConfig, run_pipeline
    from solver.pool import load_pool

    package = REPO / "problems" / "treasure"
    problem = load_problem(package)
    pool = load_pool(package / "submissions")
    config = PipelineConfig(inputs=8, workers=2)
    result = run_pipeline(problem, pool, judge, config=config, workdir=tmp_path)
    accepted = {p.read_text() for p in (package / "submissions" / "accepted").iterdir()}
    sources = [pool[pick.candidate].source for pick in result.submissions]
    # The galloping search asks too many questions on the examples already.
    assert len(result.survivors) == len(pool) - 1
    assert sources and sources[0] in accepted
    assert set(sources) <= accepted  # the interactor rejected the rest on generated inputs


def test_a_flood_the_interactor_swallows_is_cut_at_the_output_limit(
    judge: Judge, tmp_path: Path, sources: dict[str, Path]
) -> None:
    swallowing = "import sys\nsys.stdin.buffer.read()\nsys.exit(42)\n"
    package = _package(tmp_path / "swallow", swallowing)
    (package / "problem.yaml").write_text(
        "name: Swallow\nvalidation: custom interactive\nlimits:\n  output: 1\n"
    )
    started = time.monotonic()
    result = _judge(judge, package, sources["floods_lines.py"], transcripts=True)
    assert result.verdict is Verdict.OLE, [t.to_json() for t in result.tests]
    assert result.tests[0].to_json()["transcript"]["candidate_bytes"] > 1024 * 1024
    assert time.monotonic() - started < DEADLINE_S


def test_run_pairs_relays_only_the_candidate_side_by_default(
    judge: Judge, doubling: Path, sources: dict[str, Path]
) -> None:
    problem = load_problem(doubling)
    interactor = judge.validator_for(problem)
    assert interactor is not None
    built = judge.builder.build(sources["ac.py"], detect_language(sources["ac.py"]))
    assert built.program is not None
    jobs = [PairJob(built.program, t.input, t.answer, program_key=0) for t in problem.tests()]
    results = list(run_pairs(judge.backend, interactor, (), jobs, LIMITS))
    assert [interaction_verdict(i, LIMITS)[0] for _, i in results if i] == [Verdict.AC] * 2
    transcript = next(i.transcript for job, i in results if i and job.input.parent.name == "secret")
    assert {who for who, _ in transcript.chunks} == {"candidate"}
    assert transcript.interactor_bytes is None
    assert transcript.candidate_bytes == len("10\n14\n2000000\n")
