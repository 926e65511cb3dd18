"""The question measurement's near-miss pools: the simulated person stays hidden."""

from __future__ import annotations

from pathlib import Path

from sandbox.problem import Submission
from solver.evaluate_oracle import hide_the_person
from solver.pool import Candidate


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
