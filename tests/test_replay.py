"""Batch contest replay: contest files, metrics, the store, the command, and resuming after
`kill -9`. Everything runs for real: the sandbox, the bundled problems, a SQLite file."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sandbox.backends.local import LocalBackend
from sandbox.batch import RunJob, run_batch
from sandbox.build import Builder
from sandbox.languages import language_by_id
from sandbox.limits import Limits
from solver.cluster import Behaviour, Clustering, group
from solver.contest import ContestError, load_contest
from solver.metrics import n_at_k, pass_at_k, restrict, sample_sizes
from solver.store import Store
from tests.conftest import REPO, make_package, write

PROBLEMS = REPO / "problems"


def _contest(tmp_path: Path, slugs: list[str], **extra: object) -> Path:
    lines = [f"name: {extra.get('name', 'Test contest')}", "duration_minutes: 100"]
    lines.append("problems:")
    lines += [f"  - {{label: {chr(65 + n)}, path: {PROBLEMS / s}}}" for n, s in enumerate(slugs)]
    return write(tmp_path / "contest.yaml", "\n".join(lines) + "\n")


# Contest files and paths ----------------------------------------------------------------------


def test_the_bundled_contest_file_orders_every_bundled_problem() -> None:
    contest = load_contest([PROBLEMS])
    assert contest.name == "Solver Project Contest 1"
    assert [p.label for p in contest.problems][:3] == ["A", "B", "C"]
    assert contest.problems[0].path == (PROBLEMS / "paving").resolve()
    assert contest.duration_minutes == 300 and contest.penalty_minutes == 20


def test_packages_and_folders_of_packages_become_a_contest(tmp_path: Path) -> None:
    make_package(tmp_path / "set" / "beta")
    make_package(tmp_path / "set" / "alpha")
    (tmp_path / "set" / "notes").mkdir()
    contest = load_contest([tmp_path / "set"])
    assert [(p.label, p.path.name) for p in contest.problems] == [("A", "alpha"), ("B", "beta")]
    contest = load_contest([tmp_path / "set" / "beta", tmp_path / "set" / "alpha"])
    assert [p.path.name for p in contest.problems] == ["beta", "alpha"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("problems: [{slug: nowhere}]\n", "is not a problem package"),
        ("problems: [\n", "not valid YAML"),
        ("name: x\n", "expected a mapping with a list of problems"),
        ("scoring: ioi\nproblems: [{slug: a}]\n", "scoring 'ioi' is not one of icpc"),
        ("duration_minutes: -5\nproblems: [{slug: a}]\n", "duration_minutes must be a positive"),
        ("problems: [{slug: a, label: X}, {slug: a, label: X}]\n", "problem labels repeat"),
    ],
)
def test_a_bad_contest_file_is_one_clear_error(tmp_path: Path, text: str, message: str) -> None:
    make_package(tmp_path / "a")
    path = write(tmp_path / "contest.yaml", text)
    with pytest.raises(ContestError, match=message):
        load_contest([path])


# Metrics ---------------------------------------------------------------------------------------


def test_pass_at_k_is_the_unbiased_estimator() -> None:
    assert pass_at_k(5, 2, 1) == pytest.approx(0.4)
    assert pass_at_k(5, 2, 2) == pytest.approx(1 - 3 / 10)  # 1 - C(3,2)/C(5,2)
    assert pass_at_k(5, 0, 3) == 0.0
    assert pass_at_k(5, 3, 3) == 1.0  # fewer than 3 wrong: every draw has a correct one
    assert sample_sizes(6) == [1, 2, 4, 6] and sample_sizes(1) == [1]


def _clustering(signatures: dict[int, tuple[int, ...]]) -> Clustering:
    behaviour = {c: Behaviour(signature=s) for c, s in signatures.items()}
    classes = [{c: s[n] for c, s in signatures.items()} for n in range(2)]
    return Clustering(group(behaviour), behaviour, [0, 1], [], classes=classes)


def test_n_at_k_reruns_selection_on_each_draw() -> None:
    # Candidates 0 and 1 agree (and are correct), 2 and 3 are each alone; 4 failed the examples.
    clustering = _clustering({0: (0, 0), 1: (0, 0), 2: (1, 0), 3: (2, 1)})

    def largest_first(restricted: Clustering) -> list[int]:
        return [cluster.members[0] for cluster in restricted.clusters]

    restricted = restrict(clustering, {0, 2})
    assert [c.members for c in restricted.clusters] == [[0], [2]]
    everything = n_at_k(
        [1, 1, 1, 1, 1],
        {0, 1, 2, 3},
        {0, 1},
        clustering,
        largest_first,
        5,
        draws=10,
        rng=random.Random(1),
    )
    assert everything == {1: 1.0, 10: 1.0}  # the whole pool: the largest cluster is correct
    # One sample: solved exactly when the draw is 0 or 1 (2 of 5), in expectation 0.4.
    one = n_at_k(
        [1, 1, 1, 1, 1],
        {0, 1, 2, 3},
        {0, 1},
        clustering,
        largest_first,
        1,
        draws=4000,
        rng=random.Random(2),
    )
    assert one[1] == pytest.approx(0.4, abs=0.03) and one[10] == one[1]
    # Duplicates count as samples: candidate 0 drawn three times as often.
    weighted = n_at_k(
        [3, 1, 1, 1, 1],
        {0, 1, 2, 3},
        {0, 1},
        clustering,
        largest_first,
        1,
        draws=4000,
        rng=random.Random(3),
    )
    assert weighted[1] == pytest.approx(4 / 7, abs=0.03)


# The store ------------------------------------------------------------------------------------


def test_the_store_keeps_runs_so_a_batch_never_runs_a_job_twice(
    tmp_path: Path, backend: LocalBackend, builder: Builder
) -> None:
    source = write(tmp_path / "echo.py", "print(sum(map(int, input().split())))\n")
    program = builder.build(source, language_by_id("python3")).program
    assert program is not None
    inputs = [write(tmp_path / f"{n}.in", f"{n} {n}\n") for n in range(3)]
    jobs = [
        RunJob(program, path, Limits(time_s=2), program_key=0, tag=n)
        for n, path in enumerate(inputs)
    ]
    with Store(tmp_path / "store.sqlite") as store:
        first = {r.job.tag: r.output for r in run_batch(backend, jobs, cache=store)}
        second = {r.job.tag: r.output for r in run_batch(backend, jobs, cache=store)}
        assert first == second == {0: b"0\n", 1: b"2\n", 2: b"4\n"}
        assert store.work_counts()["run"]["units"] == 3
        assert store.work_counts()["run"]["repeated"] == 0
        cached = store.lookup(jobs[1])
        assert cached is not None and cached[0].exit_code == 0 and cached[1] == b"2\n"
    # Reopened (as after a crash), it still has them.
    with Store(tmp_path / "store.sqlite") as store:
        assert store.lookup(jobs[2]) is not None


def test_a_run_stopped_by_the_wall_clock_is_not_kept(
    tmp_path: Path, backend: LocalBackend, builder: Builder
) -> None:
    source = write(tmp_path / "sleep.py", "import time\ntime.sleep(30)\n")
    program = builder.build(source, language_by_id("python3")).program
    assert program is not None
    job = RunJob(program, write(tmp_path / "1.in", "\n"), Limits(time_s=0.2), program_key=0)
    with Store(tmp_path / "store.sqlite") as store:
        [result] = run_batch(backend, [job], cache=store)
        assert result.run is not None and result.run.wall_timeout
        assert store.lookup(job) is None and "run" not in store.work_counts()


def test_a_file_that_is_not_a_store_is_one_clear_error(tmp_path: Path) -> None:
    from solver.store import StoreError

    bad = write(tmp_path / "bad.sqlite", "this is not a database" * 100)
    with pytest.raises(StoreError, match="not a usable store"):
        Store(bad)


# The command ----------------------------------------------------------------------------------


def _replay(args: list[str], cwd: Path, **kwargs: object) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "solver", "replay", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
        **kwargs,  # type: ignore[arg-type]
    )


def test_replay_of_bundled_problems_reports_and_resumes_from_the_store(tmp_path: Path) -> None:
    contest = _contest(tmp_path, ["paving", "festival"])
    args = [str(contest), "--pool", "submissions", "--inputs", "8", "--store", "s.sqlite"]
    done = _replay([*args, "--report", "report", "--json"], tmp_path)
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert [row["problem"] for row in summary["problems"]] == ["paving", "festival"]
    for row in summary["problems"]:
        assert set(row) >= {"problem", "solved", "attempts", "verdicts"}
        assert row["attempts"] == len(row["verdicts"]) >= 1
        assert row["solved"] == (row["verdicts"][-1] == "AC")
        assert row["samples"] == 6 and row["correct_samples"] == 2  # both accepted programs
        assert row["hidden_tests"] > 0
        assert row["pass_at_k"]["1"] == pytest.approx(2 / 6, abs=1e-4)
    total = summary["aggregate"]
    assert total["solved"] == 2 and set(total["n_at_k"]) == {"1", "2", "4", "6"}
    assert "[1/2] A paving:" in done.stderr and "[2/2] B festival:" in done.stderr
    report = tmp_path / "report"
    assert (report / "report.md").read_text().startswith("# Replay: Test contest")
    assert "<table>" in (report / "report.html").read_text()
    for plot in ("solve_rate.png", "funnel.png", "cluster_sizes.png"):
        assert (report / plot).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert json.loads((report / "summary.json").read_text()) == summary

    again = _replay([*args, "--json"], tmp_path)
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout) == summary
    assert "(from the store)" in again.stderr and "solving" not in again.stderr
    with sqlite3.connect(tmp_path / "s.sqlite") as db:
        repeated = db.execute(
            "SELECT COUNT(*) FROM (SELECT key FROM work_log GROUP BY kind, key HAVING COUNT(*) > 1)"
        ).fetchone()[0]
    assert repeated == 0


def test_a_problem_that_cannot_run_is_a_row_and_the_others_go_on(tmp_path: Path) -> None:
    folder = tmp_path / "set"
    make_package(folder / "a-broken", problem_yaml="name: [unclosed\n")
    good = make_package(folder / "b-sum")
    write(good / "submissions" / "accepted" / "sum.py", "print(sum(map(int, input().split())))\n")
    write(good / "submissions" / "wrong_answer" / "one.py", "print(1)\n")
    done = _replay([str(folder), "--pool", "submissions", "--inputs", "4", "--json"], tmp_path)
    assert done.returncode == 1, done.stderr
    rows = json.loads(done.stdout)["problems"]
    assert "not valid YAML" in rows[0]["error"] and rows[1]["solved"] is True
    assert "A a-broken: not run:" in done.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nowhere"], "nowhere: no such file or folder"),
        ([str(PROBLEMS / "paving"), "--pool", "no-such-pools"], "no-such-pools: no pool for"),
        ([str(PROBLEMS / "paving"), "--pool", "submissions", "--order", "best"], "--order must"),
    ],
)
def test_replay_user_errors_are_one_line(tmp_path: Path, args: list[str], message: str) -> None:
    done = _replay(args, tmp_path)
    assert done.returncode in (1, 2)
    assert message in done.stderr and "Traceback" not in done.stderr


def test_killed_with_sigkill_the_same_command_ends_with_the_same_summary(tmp_path: Path) -> None:
    contest = _contest(tmp_path, ["paving", "printshop"])
    common = [str(contest), "--pool", "submissions", "--inputs", "10", "--json"]
    whole = _replay([*common, "--store", "whole.sqlite"], tmp_path)
    assert whole.returncode == 0, whole.stderr

    rng = random.Random(7)
    kills = 0
    command = [sys.executable, "-m", "solver", "replay", *common, "--store", "killed.sqlite"]
    # Ctrl-C first: one line, exit 130, nothing lost.
    # A shell that starts the suite in the background hands it SIGINT ignored, and Python then
    # keeps it ignored in the child: as at a terminal, the child gets the default disposition.
    process = subprocess.Popen(
        command,
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    assert process.stderr is not None
    seen = [process.stderr.readline() for _ in range(3)]  # store, replay, the first problem
    assert "solving" in seen[-1], seen
    process.send_signal(signal.SIGINT)
    _, rest = process.communicate(timeout=300)
    assert process.returncode == 130, rest
    assert "interrupted: finished work is in killed.sqlite" in rest and "Traceback" not in rest
    for _ in range(3):
        process = subprocess.Popen(
            command, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        time.sleep(rng.uniform(1.5, 6.0))
        if process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
            kills += 1
        process.wait()
    assert kills >= 1
    resumed = _replay([*common, "--store", "killed.sqlite"], tmp_path)
    assert resumed.returncode == 0, resumed.stderr
    assert json.loads(resumed.stdout) == json.loads(whole.stdout)
    with sqlite3.connect(tmp_path / "killed.sqlite") as db:
        repeated = db.execute(
            "SELECT kind, key FROM work_log GROUP BY kind, key HAVING COUNT(*) > 1"
        ).fetchall()
    assert repeated == []


SUM_RIGHT = (
    '#include <cstdio>\nint main(){long long a,b;scanf("%lld %lld",&a,&b);printf("%lld\\n",a+b);}\n'
)
SUM_WRONG = '#include <cstdio>\nint main(){int a,b;scanf("%d %d",&a,&b);printf("%d\\n",a+b);}\n'


def test_replay_samples_a_model_over_http_and_a_rerun_asks_nothing(tmp_path: Path) -> None:
    from tests.fakeserver import FakeOpenAI

    tests = {
        "sample/1": ("1 2\n", "3\n"),
        "secret/1": ("2000000000 2000000000\n", "4000000000\n"),  # overflows an int
    }
    problem = make_package(tmp_path / "set" / "sum", tests=tests)
    write(problem / "problem_statement" / "problem.md", "# Sum\n\nPrint $a + b$.\n")
    config = write(tmp_path / "config.toml", 'cache = "samples.sqlite"\n')

    def answer(request: dict, number: int) -> str:
        return f"```cpp\n{(SUM_RIGHT, SUM_WRONG, SUM_WRONG)[number % 3]}```\n"

    args = [str(problem), "--samples", "6", "--config", str(config), "--inputs", "4", "--json"]
    with FakeOpenAI(answer=answer) as server:
        args += ["--base-url", server.base_url, "--model", "fake"]
        done = _replay(args, tmp_path)
        asked = server.answered
        assert done.returncode == 0, done.stderr
        row = json.loads(done.stdout)["problems"][0]
        assert row["samples"] == 6 and row["correct_samples"] == 2
        assert row["solved"] is True and row["pass_at_k"]["1"] == pytest.approx(1 / 3, abs=1e-4)
        assert asked == 6 + 8  # the samples, then four input generators and four validators
        # The samples come from the cache and the outcome from the store: nothing is asked.
        again = _replay(args, tmp_path)
        assert again.returncode == 0, again.stderr
        assert json.loads(again.stdout)["problems"][0] == row
        assert server.answered == asked


def test_an_unreachable_endpoint_stops_the_replay_with_one_line(tmp_path: Path) -> None:
    problem = make_package(tmp_path / "sum")
    write(problem / "problem_statement" / "problem.md", "# Sum\n\nPrint $a + b$.\n")
    config = write(
        tmp_path / "config.toml",
        'cache = "samples.sqlite"\n[retry]\nmax_attempts = 1\nbackoff_base_s = 0.01\n',
    )
    done = _replay(
        [
            str(problem),
            "--base-url",
            "http://127.0.0.1:9",
            "--model",
            "m",
            "--config",
            str(config),
            "--samples",
            "2",
        ],
        tmp_path,
    )
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert lines[-1].startswith("error: ") and "replay.sqlite" in lines[-1]
    assert "Traceback" not in done.stderr
