"""The questions' inputs and measurement: probes keep the examples' relations; the simulated
person stays hidden in near-miss pools."""

from __future__ import annotations

from pathlib import Path

from sandbox.backends.local import LocalBackend
from sandbox.build import Builder
from sandbox.problem import Submission, load_problem
from solver.evaluate_oracle import _programs, hide_the_person, pool_without
from solver.pool import Candidate
from solver.testgen import Invariants, generate_inputs, parse_input
from tests.conftest import make_package


def _mutant(origin: str, number: int) -> Candidate:
    return Candidate("python3", f"print({number})\n", {"origin": origin, "operator": "literal"})


def test_the_person_is_the_hidden_program_with_fewest_mutants_and_its_mutants_leave() -> None:
    pooled = Candidate("python3", "print(0)\n", {"file": "pooled.py"})
    wrong = Candidate("python3", "print(9)\n", {"file": "wrong.py"})
    candidates = [pooled, wrong, _mutant("a.py", 1), _mutant("a.py", 2), _mutant("b.py", 3)]
    people = [
        Submission(Path(f"/p/submissions/accepted/{n}"), "accepted") for n in ("a.py", "b.py")
    ]
    kept, ordered = hide_the_person(candidates, people)
    assert [s.path.name for s in ordered] == ["b.py", "a.py"]  # b.py has one mutant, a.py two
    assert kept == candidates[:4]  # b.py's mutant is gone; a.py's stay
    assert hide_the_person(candidates, []) == (candidates, [])


def test_the_hidden_person_and_brute_force_leave_the_pool_whatever_their_line_endings(
    tmp_path: Path,
) -> None:
    """The pool holds programs with their line endings and trailing spaces made uniform; a
    hidden program written with CRLF, or with no final newline, must still leave it."""
    package = make_package(tmp_path / "sum")
    folder = package / "submissions"
    (folder / "accepted").mkdir(parents=True)
    (folder / "time_limit_exceeded").mkdir()
    (folder / "accepted" / "person.py").write_bytes(
        b"a, b = map(int, input().split())\r\nprint(a + b)"
    )
    (folder / "accepted" / "pooled.py").write_text("print(sum(map(int, input().split())))\n")
    (folder / "time_limit_exceeded" / "brute.py").write_text("print(3)   \n")
    problem = load_problem(package)
    hidden = _programs(problem, "accepted")[:1] + _programs(problem, "time_limit_exceeded")
    assert [s.path.name for s in hidden] == ["person.py", "brute.py"]
    pool = pool_without(problem, hidden, limit=30, seed=0)
    assert [c.metadata["file"] for c in pool] == ["pooled.py"]


def test_edge_case_probes_keep_the_examples_relations_where_no_validator_screens(
    backend: LocalBackend, builder: Builder, tmp_path: Path
) -> None:
    # Every interval in the examples starts before it ends: the oracle's tiny probes, which
    # enumerate small values, must not ask about "1 0" or "2 2".
    package = make_package(
        tmp_path / "intervals",
        tests={
            "sample/1": ("2\n3 4\n5 9\n", "5\n"),
            "sample/2": ("3\n0 4\n5 6\n7 9\n", "7\n"),
            "secret/1": ("1\n1 2\n", "1\n"),
        },
    )
    problem = load_problem(package)
    made = generate_inputs(backend, builder, problem, tmp_path / "inputs", count=4, probes=40)
    invariants = Invariants.of([parse_input(case.input.read_text()) for case in problem.samples])
    assert made.probes and made.implausible > 0  # small values broke the order, and were left out
    for path in made.inputs:
        assert invariants.hold(parse_input(path.read_text())), path.read_text()
