from pathlib import Path

import pytest

from sandbox.errors import PackageError, UnsupportedProblem
from sandbox.problem import load_problem
from tests.conftest import make_package, write


def test_loads_tests_in_lexicographic_order_recursively(tmp_path: Path) -> None:
    root = make_package(
        tmp_path / "sum",
        tests={
            "sample/2": ("1 1\n", "2\n"),
            "sample/1": ("1 2\n", "3\n"),
            "secret/group2/01": ("2 2\n", "4\n"),
            "secret/group1/10": ("3 3\n", "6\n"),
            "secret/group1/09": ("4 4\n", "8\n"),
        },
    )
    problem = load_problem(root)
    assert [t.name for t in problem.samples] == ["sample/1", "sample/2"]
    assert [t.name for t in problem.secret] == [
        "secret/group1/09",
        "secret/group1/10",
        "secret/group2/01",
    ]
    assert [t.name for t in problem.tests("all")][:2] == ["sample/1", "sample/2"]
    assert problem.time_limit.seconds == 1.0 and problem.time_limit.source == ".timelimit"


def test_reads_metadata(tmp_path: Path) -> None:
    root = make_package(
        tmp_path / "meta",
        problem_yaml=(
            "name: {en: Meta, fr: Méta}\nsource: Here\nlicense: cc by-sa\n"
            "rights_owner: Someone\nvalidator_flags: float_tolerance 1e-4 case_sensitive\n"
            "limits:\n  memory: 512\n  output: 8\n  time_multiplier: 3\n"
        ),
        timelimit=None,
    )
    write(root / "problem_statement" / "problem.en.md", "# Meta\n")
    problem = load_problem(root)
    assert problem.name == "Meta"
    assert (problem.source, problem.license, problem.rights_owner) == (
        "Here",
        "cc by-sa",
        "Someone",
    )
    assert problem.checker_flags.case_sensitive
    assert problem.checker_flags.float_absolute_tolerance == 1e-4
    assert (problem.memory_mib, problem.output_mib, problem.time_multiplier) == (512, 8, 3.0)
    assert problem.time_limit.seconds is None
    assert problem.statement is not None and problem.statement.name == "problem.en.md"


@pytest.mark.parametrize(
    ("files", "seconds", "source"),
    [
        ({"problem.yaml": "limits:\n  time_limit: 2.5\n"}, 2.5, "problem.yaml"),
        ({"domjudge-problem.ini": "timelimit = '4'\n"}, 4.0, "domjudge-problem.ini"),
        ({".timelimit": "1.5\n", "domjudge-problem.ini": "timelimit = 9\n"}, 1.5, ".timelimit"),
    ],
)
def test_time_limit_sources(tmp_path: Path, files: dict, seconds: float, source: str) -> None:
    root = make_package(tmp_path / "tl", timelimit=None)
    for name, text in files.items():
        (root / name).write_text(text)
    problem = load_problem(root)
    assert (problem.time_limit.seconds, problem.time_limit.source) == (seconds, source)


def test_custom_validation_finds_the_validator(tmp_path: Path) -> None:
    root = make_package(tmp_path / "custom", problem_yaml="validation: custom\n")
    write(root / "output_validators" / "check" / "validate.py", "exit(42)\n")
    assert load_problem(root).output_validator == root / "output_validators" / "check"
    single = make_package(tmp_path / "single", problem_yaml="validation: custom\n")
    write(single / "output_validators" / "checker.cpp", "int main(){return 42;}\n")
    assert load_problem(single).output_validator == single / "output_validators"


def test_submissions_by_folder(tmp_path: Path) -> None:
    root = make_package(tmp_path / "subs")
    write(root / "submissions" / "accepted" / "a.py", "print(3)\n")
    write(root / "submissions" / "wrong_answer" / "b.cpp", "int main(){}\n")
    found = {(s.expected, s.path.name) for s in load_problem(root).submissions}
    assert found == {("accepted", "a.py"), ("wrong_answer", "b.cpp")}


def _error(root: Path) -> PackageError:
    with pytest.raises(PackageError) as caught:
        load_problem(root)
    return caught.value


def test_malformed_packages_name_the_problem_and_the_file(tmp_path: Path) -> None:
    bad_yaml = make_package(tmp_path / "badyaml", problem_yaml="name: [unclosed\n")
    error = _error(bad_yaml)
    assert error.problem == "badyaml" and error.file == "problem.yaml"
    assert "\n" not in str(error)

    no_data = tmp_path / "nodata"
    no_data.mkdir()
    assert _error(no_data).file == "data/"

    missing_answer = make_package(tmp_path / "noans")
    (missing_answer / "data" / "secret" / "01-small.ans").unlink()
    assert _error(missing_answer).file == "data/secret/01-small.ans"

    bad_flags = make_package(tmp_path / "flags", problem_yaml="validator_flags: float_tolerance\n")
    assert "validator_flags" in str(_error(bad_flags))

    bad_limit = make_package(tmp_path / "limit", timelimit="soon")
    assert _error(bad_limit).file == ".timelimit"

    no_validator = make_package(tmp_path / "novalidator", problem_yaml="validation: custom\n")
    assert _error(no_validator).file == "output_validators/"

    not_a_mapping = make_package(tmp_path / "list", problem_yaml="- a\n- b\n")
    assert "mapping" in str(_error(not_a_mapping))

    empty = make_package(tmp_path / "empty", tests={})
    (empty / "data" / "secret").mkdir(parents=True)
    assert "no test cases" in str(_error(empty))

    assert "no such problem directory" in str(_error(tmp_path / "absent"))


def test_interactive_problems_load_in_both_formats(tmp_path: Path) -> None:
    root = make_package(tmp_path / "guess", problem_yaml="validation: custom interactive\n")
    write(root / "output_validators" / "interactor" / "interactor.py", "exit(42)\n")
    problem = load_problem(root)
    assert problem.interactive and problem.output_validator is not None
    problem.require_judgeable()
    modern = make_package(tmp_path / "modern", problem_yaml="type: interactive\n")
    write(modern / "output_validator" / "interactor.py", "exit(42)\n")
    assert load_problem(modern).interactive
    no_interactor = make_package(tmp_path / "none", problem_yaml="type: interactive\n")
    with pytest.raises(UnsupportedProblem, match="interactive, but no interactor"):
        load_problem(no_interactor).require_judgeable()
