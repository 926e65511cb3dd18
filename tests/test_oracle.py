"""Questions where the clusters disagree: a person at a real pseudo-terminal driving
`solver solve --ask`, a trusted program (`--oracle-program`) and answers given ahead
(`--oracle-answers`), on the bundled problem paving with its own submissions as the pool.

The pool: two accepted programs (one behaviour), three wrong ones (an overflow, one tile too
many, a float print) and a correct but slow loop. Paving's answer is ceil(W/a) * ceil(H/a),
which the "person" below computes from the input it is shown.
"""

from __future__ import annotations

import io
import json
import os
import re
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from solver.cli import app
from solver.dialogue import TerminalPerson
from solver.oracle import Choice, ClusterView, Question, _ragged
from tests.conftest import REPO, make_package, write

PAVING = REPO / "problems" / "paving"
POOL = PAVING / "submissions"
SOLVE = ["solve", str(PAVING), "--pool", str(POOL), "--inputs", "8"]
WRONG = ("always_plus_one", "double_print", "int_overflow")
runner = CliRunner()


def right_answer(given: str) -> int:
    w, h, a = map(int, given.split())
    return -(-w // a) * -(-h // a)


@pytest.fixture
def cache(tmp_path: Path, cache_dir: Path) -> Path:
    """A cache of this test's own for saved answers; compiled programs are shared."""
    own = tmp_path / "cache"
    own.mkdir()
    for shared in ("build", "launcher"):
        (cache_dir / shared).mkdir(exist_ok=True)
        (own / shared).symlink_to(cache_dir / shared)
    return own


class Terminal:
    """`python -m solver ...` on the slave side of a pseudo-terminal; we hold the master."""

    def __init__(self, args: list[str], cache: Path) -> None:
        master, slave = os.openpty()
        env = dict(os.environ, SOLVER_CACHE_DIR=str(cache), COLUMNS="120")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "solver", *args],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            cwd=REPO,
            env=env,
            close_fds=True,
        )
        os.close(slave)
        self.master = master
        self.seen = ""  # everything the terminal showed, \r\n as \n
        self._read_to = 0

    def _read(self, timeout: float) -> bool:
        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return True
        try:
            data = os.read(self.master, 65536)
        except OSError:  # EIO: the slave side is closed, the program ended
            return False
        if not data:
            return False
        self.seen += data.decode(errors="replace").replace("\r\n", "\n")
        return True

    def wait_for_prompt(self, timeout: float = 180) -> str | None:
        """The text shown since the last prompt, up to the next `> ` prompt; None at the end."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            at = self.seen.find("\n> ", self._read_to)
            if at >= 0:
                shown = self.seen[self._read_to : at + 3]
                self._read_to = at + 3
                return shown
            if not self._read(0.5) and self.seen.find("\n> ", self._read_to) < 0:
                return None
        raise AssertionError(f"no prompt within {timeout} s; seen:\n{self.seen[-3000:]}")

    def type(self, line: str) -> None:
        os.write(self.master, (line + "\n").encode())

    def finish(self, timeout: float = 180) -> tuple[int, str]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self._read(0.5):
            if self.process.poll() is not None and not self._read(0.1):
                break
        code = self.process.wait(timeout=max(1.0, deadline - time.monotonic()))
        os.close(self.master)
        return code, self.seen


def question_of(shown: str) -> tuple[str, dict[int, str]]:
    """The input and the numbered outputs of the last question in `shown`."""
    block = shown[shown.rindex("Question ") :]
    head, _, rest = block.partition("Their outputs:")
    given = "\n".join(line[6:] for line in head.splitlines() if line.startswith("    | "))
    outputs: dict[int, str] = {}
    number = 0
    for line in rest.splitlines():
        found = re.match(r"  \[(\d+)\] cluster", line)
        if found:
            number = int(found.group(1))
        elif line.startswith("    | ") and number:
            outputs[number] = (outputs.get(number, "") + " " + line[6:]).strip()
    return given, outputs


def ranking(table: str) -> list[str]:
    return re.findall(r"^\s+\d+\s+\d+\s+[\d.]+\s+\S+\s+(\S+)$", table, flags=re.MULTILINE)


def test_a_person_answers_at_the_terminal_and_a_rerun_asks_nothing_twice(cache: Path) -> None:
    terminal = Terminal([*SOLVE, "--ask", "--max-questions", "4"], cache)
    asked = []
    while (shown := terminal.wait_for_prompt()) is not None:
        given, outputs = question_of(shown)
        asked.append(given)
        right = str(right_answer(given))
        picked = [n for n, text in outputs.items() if text == right]
        if picked:
            terminal.type(str(picked[0]))
        else:  # not among the outputs: typed, ended by an empty line
            terminal.type("t")
            terminal.type(right)
            terminal.type("")
    code, seen = terminal.finish()
    assert code == 0, seen[-3000:]
    assert asked, seen[-3000:]
    assert "Q1 (person)" in seen and "removed" in seen
    first = ranking(seen)
    assert first and first[0].startswith("accepted/"), seen[-2000:]
    assert not any(w in name for name in first for w in WRONG)
    saved = (cache / "answers").glob("paving-*.jsonl")
    records = [json.loads(line) for path in saved for line in path.read_text().splitlines()]
    assert len(records) == len(asked) and all(r["kind"] == "output" for r in records)

    again = Terminal([*SOLVE, "--ask", "--max-questions", "4"], cache)
    while (shown := again.wait_for_prompt()) is not None:
        given, _ = question_of(shown)
        assert given not in asked, f"asked twice: {given}"
        again.type("s")
    code, seen = again.finish()
    assert code == 0, seen[-3000:]
    assert "(saved)" in seen
    assert ranking(seen)[0].startswith("accepted/")  # which of the two: by timings, not fixed


def test_a_person_types_skips_and_quits(cache: Path) -> None:
    terminal = Terminal([*SOLVE, "--ask"], cache)
    shown = terminal.wait_for_prompt()
    assert shown is not None and "Which is right?" in shown
    given, outputs = question_of(shown)
    assert len(outputs) >= 2  # a question shows the clusters' different outputs
    terminal.type("what")  # not an answer: asked again
    assert "please answer" in (terminal.wait_for_prompt() or "")
    terminal.type("t")
    terminal.type(str(right_answer(given)))
    terminal.type("")
    if terminal.wait_for_prompt() is not None:
        terminal.type("s")
        if terminal.wait_for_prompt() is not None:
            terminal.type("q")
    code, seen = terminal.finish()
    assert code == 0, seen[-3000:]
    assert "Q1 (person)" in seen and "(typed)" in seen
    assert ranking(seen)[0].startswith("accepted/")
    assert re.search(r"ended: (stopped|one program left|one behaviour left)", seen)


def test_closed_stdin_ends_the_dialogue_with_the_ranking_so_far(cache: Path) -> None:
    env = dict(os.environ, SOLVER_CACHE_DIR=str(cache))
    done = subprocess.run(
        [sys.executable, "-m", "solver", *SOLVE, "--ask"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Question 1" in done.stderr and "Traceback" not in done.stderr
    assert "questions: 0 asked" in done.stdout and "ended: stopped" in done.stdout
    assert len(ranking(done.stdout)) >= 4  # nothing removed: every cluster still ranked


def _solve_json(args: list[str]) -> dict:
    result = runner.invoke(app, [*SOLVE, "--json", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _picked(report: dict) -> list[str]:
    return [s["source"] for s in report["submissions"]]


def test_an_oracle_program_answers_and_its_failures_are_skips(tmp_path: Path) -> None:
    report = _solve_json(["--oracle-program", str(POOL / "accepted" / "paving.py")])
    questions = report["oracle"]["questions"]
    seen = json.dumps(report["oracle"])[:4000]
    assert questions and all(q["source"] == "program" for q in questions), seen
    assert sum(len(q["removed_clusters"]) for q in questions) >= 3, seen
    accepted = {p.read_text() for p in (POOL / "accepted").iterdir()}
    assert _picked(report)[0] in accepted, seen
    wrong = {p.read_text() for p in (POOL / "wrong_answer").iterdir()}
    assert not wrong & set(_picked(report)), seen

    crashing = tmp_path / "crash.py"
    crashing.write_text("import sys\nsys.exit(3)\n")
    report = _solve_json(["--oracle-program", str(crashing), "--max-questions", "2"])
    questions = report["oracle"]["questions"]
    seen = json.dumps(report["oracle"])[:4000]
    assert [q["answer"] for q in questions] == ["skip", "skip"], seen
    assert report["oracle"]["candidates_removed"] == 0, seen
    assert len(report["submissions"]) == len(_solve_json([])["submissions"])


def test_an_edge_case_only_tiny_inputs_reach_is_asked_about_where_a_validator_screens(
    tmp_path: Path,
) -> None:
    """Two programs that agree everywhere but on 0 0, which the fuzzer's inputs never are:
    the extra round's tiny instances find it, and the answer removes the wrong one. The
    package's validator accepts 0 0; without one, a zero that no example has may break the
    statement's promises, and is not asked about."""
    package = make_package(tmp_path / "sum")
    pool = tmp_path / "pool"
    read = "a, b = map(int, input().split())\n"
    write(pool / "right.py", read + "print(a + b)\n")
    write(pool / "zero.py", read + "print(7 if a == 0 and b == 0 else a + b)\n")
    person = write(tmp_path / "person.py", read + "print(b + a)\n")
    args = ["solve", str(package), "--pool", str(pool), "--inputs", "8", "--json"]
    result = runner.invoke(app, [*args, "--oracle-program", str(person)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["oracle"]["questions"] == []

    write(package / "input_validators" / "validate.py", SUM_VALIDATOR)
    result = runner.invoke(app, [*args, "--oracle-program", str(person)])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    questions = report["oracle"]["questions"]
    assert [q["input_preview"] for q in questions] == ["0 0\n"], questions
    assert questions[0]["removed_candidates"] == 1
    assert [s["source"] for s in report["submissions"]] == [(pool / "right.py").read_text()]


SUM_VALIDATOR = (
    "import re, sys\n"
    "ok = re.fullmatch(r'-?\\d+ -?\\d+\\n', sys.stdin.read())\n"
    "sys.exit(42 if ok else 43)\n"
)


def _sum_pool_questions(
    tmp_path: Path, programs: dict[str, str], person: str, *, validator: bool = False
) -> dict:
    """`solve --json` on a sum package (example "1 2") with these pool programs (bodies after
    reading a and b) and a person program; the report's oracle part. With `validator`, the
    package's input validator accepts any two integers."""
    package = make_package(tmp_path / "sum")
    if validator:
        write(package / "input_validators" / "validate.py", SUM_VALIDATOR)
    pool = tmp_path / "pool"
    read = "a, b = map(int, input().split())\n"
    for name, body in programs.items():
        write(pool / name, read + body)
    oracle = write(tmp_path / "person.py", read + person)
    args = ["solve", str(package), "--pool", str(pool), "--inputs", "8", "--json"]
    result = runner.invoke(app, [*args, "--oracle-program", str(oracle)])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["oracle"]


def test_a_split_whose_answer_was_no_evidence_is_not_asked_again(tmp_path: Path) -> None:
    """Where a > b the person's answer contradicts both programs (the input breaks a promise,
    say): every other input with a > b splits the programs the same way, and would get the
    same kind of answer, so the questions end after the first."""
    oracle = _sum_pool_questions(
        tmp_path,
        {"right.py": "print(a + b)\n", "wrong.py": "print(a + b + (a > b))\n"},
        "print(a + b + 100 * (a > b))\n",
    )
    seen = json.dumps(oracle)[:3000]
    assert [q["contradicts_all"] for q in oracle["questions"]] == [True], seen
    assert oracle["ended"] == "one behaviour left on small inputs", seen


def test_a_zero_no_example_has_is_asked_about_last_where_screened_and_never_unscreened(
    tmp_path: Path,
) -> None:
    """The example has no zero. Where the validator screens the inputs, inputs with one (an
    edge case) are asked about after every other input that splits the programs, and still
    asked about; without a validator such a zero may be a value the statement forbids, and no
    input with one is asked about."""
    programs = {
        "right.py": "print(a + b)\n",
        "zero.py": "print(a + b + (a == 0 or b == 0))\n",
        "order.py": "print(a + b + (a > b))\n",
    }
    oracle = _sum_pool_questions(tmp_path / "screened", programs, "print(a + b)\n", validator=True)
    questions = oracle["questions"]
    zeros = ["0" in q["input_preview"].split() for q in questions]
    seen = json.dumps(oracle)[:3000]
    assert zeros == sorted(zeros) and zeros[0] is False and zeros[-1] is True, seen
    assert oracle["candidates_removed"] == 2, seen

    oracle = _sum_pool_questions(tmp_path / "bare", programs, "print(a + b)\n")
    seen = json.dumps(oracle)[:3000]
    assert oracle["questions"], seen
    assert not any("0" in q["input_preview"].split() for q in oracle["questions"]), seen
    assert oracle["candidates_removed"] == 1, seen


def test_a_grid_is_ragged_where_its_rows_differ_in_length() -> None:
    """The rows of a grid are the blocks of two or more one-word lines; a lone word, and lines
    of several words, are no grid."""
    assert not _ragged(b"3 4 R\nG.B.\n.RR.\nTTT.\n")
    assert _ragged(b"5 5 E\nCQGAV\nB\nE\nE\nBBE\n")
    assert not _ragged(b"2\nalice\n3 4\nbob\n")  # one-word lines apart: no block
    assert not _ragged(b"xx yyy\nz w\n")


def _without_and_with_person(package: Path, pool: Path, person: Path) -> tuple[dict, dict]:
    """`solve --json` on the pool without questions, then with `person` answering them."""
    args = ["solve", str(package), "--pool", str(pool), "--inputs", "12", "--json"]
    reports = []
    for extra in ([], ["--oracle-program", str(person)]):
        result = runner.invoke(app, [*args, *extra])
        assert result.exit_code == 0, result.output
        reports.append(json.loads(result.stdout))
    return reports[0], reports[1]


def test_a_rounding_tie_is_one_behaviour_and_agrees_with_the_answer(tmp_path: Path) -> None:
    """n / 32 to four places: every odd n is a tie, which Python's format rounds to even and
    the decimal module up. Under the exact checker both programs are one cluster, and the
    person's answer (rounded up) keeps the one that rounds to even; the wrong program goes."""
    package = make_package(tmp_path / "ratio", tests={"sample/1": ("16\n", "0.5000\n")})
    pool = tmp_path / "pool"
    write(pool / "even.py", 'print(f"{int(input()) / 32:.4f}")\n')
    half_up = (
        "from decimal import ROUND_HALF_UP, Decimal\n"
        'print((Decimal(int(input())) / 32).quantize(Decimal("0.0001"), ROUND_HALF_UP))\n'
    )
    write(pool / "up.py", half_up)
    write(pool / "wrong.py", 'print(f"{int(input()) // 2 / 16:.4f}")\n')
    person = write(tmp_path / "person.py", half_up)
    alone, report = _without_and_with_person(package, pool, person)
    assert alone["clusters"] == 2 and alone["submissions"][0]["cluster_size"] == 2, alone
    seen = json.dumps(report["oracle"])[:3000]
    assert report["oracle"]["candidates_removed"] == 1, seen
    kept = {s["source"] for s in report["submissions"]}
    assert kept == {(pool / "even.py").read_text(), half_up}, seen


def test_an_answer_agrees_with_decimals_a_few_units_off_in_the_last_place(tmp_path: Path) -> None:
    """Bisection to 1e-4 and a closed form print the square root up to four units apart in the
    fifth place (alike on the example): the exact checker tells them apart, but the person's
    answer (the closed form's) cannot, so both are kept; a program wrong on odd numbers goes."""
    package = make_package(tmp_path / "root", tests={"sample/1": ("24\n", "4.89898\n")})
    pool = tmp_path / "pool"
    closed = 'print(f"{int(input()) ** 0.5:.5f}")\n'
    write(pool / "closed.py", closed)
    bisection = (
        "n = int(input())\nlow, high = 0.0, n + 1.0\n"
        "while high - low > 1e-4:\n"
        "    middle = (low + high) / 2\n"
        "    low, high = (middle, high) if middle * middle <= n else (low, middle)\n"
        'print(f"{(low + high) / 2:.5f}")\n'
    )
    write(pool / "bisection.py", bisection)
    write(pool / "wrong.py", 'n = int(input())\nprint(f"{(n - n % 2) ** 0.5:.5f}")\n')
    person = write(tmp_path / "person.py", closed)
    alone, report = _without_and_with_person(package, pool, person)
    assert alone["clusters"] == 3, alone  # the three print apart
    seen = json.dumps(report["oracle"])[:3000]
    assert report["oracle"]["candidates_removed"] == 1, seen
    kept = {s["source"] for s in report["submissions"]}
    assert kept == {closed, bisection}, seen


def test_answers_given_ahead_are_applied_without_questions(tmp_path: Path) -> None:
    answers = tmp_path / "answers.jsonl"
    pairs = [("6 6 3\n", "4\n"), ("1000000000 999999999 1\n", "999999999000000000\n")]
    answers.write_text("".join(json.dumps({"input": i, "output": o}) + "\n" for i, o in pairs))
    report = _solve_json(["--oracle-answers", str(answers)])
    oracle = report["oracle"]
    assert oracle["asked"] == 0
    assert [q["source"] for q in oracle["questions"]] == ["answers file"] * 2
    removed = [len(q["removed_clusters"]) for q in oracle["questions"]]
    assert removed[0] >= 1 and sum(removed) >= 3  # one tile too many; overflow, float print
    accepted = {p.read_text() for p in (POOL / "accepted").iterdir()}
    assert _picked(report)[0] in accepted

    contradiction = tmp_path / "contradiction.jsonl"
    contradiction.write_text(json.dumps({"input": "6 6 3\n", "output": "5\n"}) + "\n")
    report = _solve_json(["--oracle-answers", str(contradiction)])
    (question,) = report["oracle"]["questions"]
    assert question["contradicts_all"] and report["oracle"]["candidates_removed"] == 0


FACTOR_VALIDATOR = """
import sys
n = int(open(sys.argv[1]).read())
try:
    d = int(sys.stdin.read())
except ValueError:
    sys.exit(43)
sys.exit(42 if 1 < d < n and n % d == 0 else 43)
"""


def _is_prime(n: int) -> bool:
    return n > 1 and all(n % d for d in range(2, n))


def test_a_custom_checker_that_rejects_every_output_or_the_answer_leaves_the_programs_alone(
    tmp_path: Path,
) -> None:
    """Factor: print a proper divisor of a composite n (any one: a custom checker). A prime n
    breaks that promise and the checker rejects every output there: such an input is never
    asked about, and an answer the checker rejects (given ahead) is not applied; the questions
    go on, and a program that prints 1 for odd multiples of 3 is found out."""
    package = make_package(
        tmp_path / "factor",
        problem_yaml="name: Factor\nvalidation: custom\n",
        tests={"sample/1": ("6\n", "2\n"), "sample/2": ("35\n", "5\n"), "secret/1": ("9\n", "3\n")},
    )
    write(package / "output_validators" / "factor" / "validate.py", FACTOR_VALIDATOR)
    pool = tmp_path / "pool"
    read = "n = int(input())\n"
    smallest = read + "d = next((d for d in range(2, n) if n % d == 0), 0)\n"
    write(pool / "smallest.py", smallest + "print(d)\n")
    write(
        pool / "largest.py",
        read + "print(next((d for d in range(n - 1, 1, -1) if n % d == 0), -1))\n",
    )
    write(pool / "wrong.py", smallest + "print(1 if n % 2 and n % 3 == 0 else d)\n")
    person = write(tmp_path / "person.py", smallest + "print(d)\n")
    answers = tmp_path / "answers.jsonl"
    answers.write_text(json.dumps({"input": "7\n", "output": "0\n"}) + "\n")
    args = ["solve", str(package), "--pool", str(pool), "--inputs", "12", "--json"]
    result = runner.invoke(
        app, [*args, "--oracle-answers", str(answers), "--oracle-program", str(person)]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    given, *asked = report["oracle"]["questions"]
    assert given["source"] == "answers file" and given["rejected_by_checker"], given
    assert given["removed_candidates"] == 0
    assert asked and not any(_is_prime(int(q["input_preview"])) for q in asked), asked
    assert sum(q["removed_candidates"] for q in asked) == 1
    assert (pool / "wrong.py").read_text() not in [s["source"] for s in report["submissions"]]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--ask", "--oracle-program", "x.py"], "choose one"),
        (["--oracle-program", "/nonexistent/brute.py"], "no such oracle program"),
        (["--oracle-answers", "/nonexistent/answers.jsonl"], "no such answers file"),
    ],
)
def test_oracle_user_errors_are_one_line(args: list[str], message: str) -> None:
    result = runner.invoke(app, [*SOLVE, *args])
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("error: ") and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_malformed_answers_file_names_its_line(tmp_path: Path) -> None:
    answers = tmp_path / "answers.jsonl"
    answers.write_text('{"input": "1 1 1\\n", "output": "1\\n"}\nnot json\n')
    result = runner.invoke(app, [*SOLVE, "--oracle-answers", str(answers)])
    assert result.exit_code == 2 and f"{answers}:2:" in result.stderr


def _question() -> Question:
    views = (ClusterView(0, 3, 0.9),), (ClusterView(1, 1, 0.4), ClusterView(2, 1, 0.3))
    return Question(
        number=1,
        input=b"6 6 3\n",
        input_name="gen-0001.in",
        input_path=Path("/nonexistent/gen-0001.in"),
        digest="0" * 64,
        choices=(
            Choice(0, b"4\n", views[0], 2.7),
            Choice(1, b"9\n", views[1], 0.7),
            Choice(-1, None, (ClusterView(3, 2, 0.2),), 0.4),
        ),
        split=0.5,
    )


@pytest.mark.parametrize(
    ("typed", "kind", "output", "wrong"),
    [
        ("2\n", "output", b"9\n", ()),
        ("t\n4\n\n", "output", b"4\n", ()),
        ("n\n", "none", b"", (b"4\n", b"9\n")),
        ("3\nwhat\ns\n", "skip", b"", ()),
        ("q\n", "stop", b"", ()),
        ("", "stop", b"", ()),
        ("t\n", "stop", b"", ()),
    ],
)
def test_the_dialogue_reads_each_kind_of_answer(
    typed: str, kind: str, output: bytes, wrong: tuple[bytes, ...]
) -> None:
    shown = io.StringIO()
    answer = TerminalPerson(io.StringIO(typed), shown, max_questions=3).answer(_question())
    assert (answer.kind, answer.output, answer.wrong) == (kind, output, wrong)
    text = shown.getvalue()
    assert "Question 1 of at most 3" in text and "    | 6 6 3" in text
    assert "[1] cluster #0 (3 programs, score 0.900)" in text
    assert "[2] clusters #1 (1 program, score 0.400), #2 (1 program, score 0.300)" in text
    assert "(timed out) cluster #3" in text
    if typed.startswith("3"):
        assert text.count("please answer 1-2, t, n, s or q") == 2
