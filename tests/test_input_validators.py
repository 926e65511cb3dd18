"""Input validators written in checktestdata (`.ctd`): translated by pyctd, run in the sandbox."""

from __future__ import annotations

from pathlib import Path

import pytest

from sandbox.build import Builder
from sandbox.errors import PackageError
from sandbox.judge import Judge
from sandbox.validators import build_validator, checktestdata_grammar, input_validator
from sandbox.verdicts import Verdict
from tests.conftest import write

ODD = "INT(1,10^18,n) NEWLINE\nASSERT(n%2==1)\nEOF\n"


def test_a_grammar_validates_inputs_in_the_sandbox(
    tmp_path: Path, judge: Judge, builder: Builder
) -> None:
    grammar = write(tmp_path / "input_validators" / "odd.ctd", ODD)
    program = build_validator(builder, grammar, "odd")
    assert program.language.id == "python3"
    cases = {"5\n": Verdict.AC, "4\n": Verdict.WA, "5 \n": Verdict.WA, "0\n": Verdict.WA}
    with input_validator(judge.backend, program) as validator:
        for index, (text, expected) in enumerate(cases.items()):
            given = tmp_path / f"case-{index}.in"
            given.write_text(text)
            verdict = validator.check(given)
            assert verdict.verdict is expected, (text, verdict.message)
    # Translated once: a second build reuses the program.
    assert build_validator(builder, grammar, "odd").directory == program.directory


def test_a_broken_grammar_is_a_one_line_package_error(tmp_path: Path, builder: Builder) -> None:
    grammar = write(tmp_path / "input_validators" / "broken.ctd", "INT(1,10,n NEWLINE\n")
    with pytest.raises(PackageError) as caught:
        build_validator(builder, grammar, "broken")
    assert "checktestdata grammar" in str(caught.value) and "\n" not in str(caught.value)


def test_only_a_lone_grammar_is_taken_for_checktestdata(tmp_path: Path) -> None:
    folder = tmp_path / "mixed"
    write(folder / "format.ctd", ODD)
    assert checktestdata_grammar(folder) == folder / "format.ctd"
    write(folder / "validate.cpp", "int main() { return 42; }\n")
    assert checktestdata_grammar(folder) is None
    assert checktestdata_grammar(write(tmp_path / "v.py", "print()\n")) is None
