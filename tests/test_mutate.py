"""Near-miss mutants: each operator in each language gives a one-token change that compiles (in
the real sandbox); protected text is never touched; `solver pool mutate` on a bundled problem."""

from __future__ import annotations

import io
import json
import tokenize
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sandbox.build import Builder
from sandbox.judge import Judge
from sandbox.languages import language_by_id
from sandbox.problem import load_problem
from solver.cli import app
from solver.mutate import (
    OPERATORS,
    Mutation,
    accepted_programs,
    c_tokens,
    generate_near_misses,
    mutations_of,
)
from solver.pool import normalized_source

PAVING = Path(__file__).resolve().parent.parent / "problems" / "paving"
runner = CliRunner()

CPP = r"""#include <cstdio>
#include <vector>
#define LIMIT (100 + 1 < 2)
using namespace std;
// a comment: a < b && 7 + 1
template <typename T> T twice(T x) { return x + x; }
int main() {
    vector<pair<int, int>> v;  /* x <= y || z - 1 */
    const char* s = "a < b && 3 - 1";
    const char* raw = R"(x < y || 5)";
    char c = '+';
    int n = 0, total = 0;
    if (scanf("%d", &n) != 1) return 0;
    for (int i = 0; i < n; i++) total += i;
    if (total > 5 && n == 3) total = total - 2;
    printf("%d %s %s %c %zu %d\n", twice(total), s, raw, c, v.size(), LIMIT);
    return 0;
}
"""

C = r"""#include <stdio.h>
/* n < 3 || n + 1 */
int main(void) {
    int n = 0, total = 0, i;
    if (scanf("%d", &n) != 1) return 0;
    for (i = 0; i < n; i++) total += i;
    if (total > 5 && n == 3) total = total - 2;
    printf("%d %c\n", total, '-');
    return 0;
}
"""

PYTHON = """import sys


# a comment: a < b and 7 + 1
def main():
    data = sys.stdin.read().split()
    n = int(data[0])
    total = 0
    for i in range(1, n):
        total += i
    if total > 5 and n != 3:
        total = total - 2
    print(f"{total} {n + 1}", "a < b or 2")


main()
"""

SOURCES = {"cpp": CPP, "c": C, "python3": PYTHON}


def token_texts(language: str, source: str) -> list[str]:
    if language == "python3":
        kinds = (tokenize.OP, tokenize.NAME, tokenize.NUMBER, tokenize.STRING)
        tokens = tokenize.generate_tokens(io.StringIO(source).readline)
        return [t.string for t in tokens if t.type in kinds]
    return [t.text for t in c_tokens(source)]


def first_of(language: str, operator: str) -> Mutation:
    found = [m for m in mutations_of(language, SOURCES[language]) if m.operator == operator]
    assert found, f"no {operator} mutation in the {language} example"
    return found[0]


@pytest.mark.parametrize("language", ["cpp", "c", "python3"])
@pytest.mark.parametrize("operator", OPERATORS)
def test_each_operator_changes_one_token_and_compiles(
    language: str, operator: str, builder: Builder, tmp_path: Path
) -> None:
    mutation = first_of(language, operator)
    original = SOURCES[language]
    mutant = mutation.apply(original)
    before, after = token_texts(language, original), token_texts(language, mutant)
    assert len(before) == len(after)
    changed = [i for i, (a, b) in enumerate(zip(before, after, strict=True)) if a != b]
    assert len(changed) == 1, mutation.describe()
    assert (before[changed[0]], after[changed[0]]) == (mutation.before, mutation.after)
    spec = language_by_id(language)
    path = tmp_path / f"mutant{spec.extensions[0]}"
    path.write_text(mutant)
    result = builder.build(path, spec)
    assert result.ok, f"{mutation.describe()}: {result.message}"


def test_expected_mutations_per_operator() -> None:
    def pairs(language: str, operator: str) -> set[tuple[str, str]]:
        found = mutations_of(language, SOURCES[language])
        return {(m.before, m.after) for m in found if m.operator == operator}

    for language in ("cpp", "c"):
        assert pairs(language, "comparison") == {("!=", "=="), (">", ">="), ("==", "!=")}
        assert pairs(language, "logic") == {("&&", "||")}
        assert pairs(language, "loop-bound") == {("<", "<="), ("0", "1")}
        assert ("+=", "-=") in pairs(language, "plus-minus")
        assert ("-", "+") in pairs(language, "plus-minus")
        assert ("5", "6") in pairs(language, "integer") and ("5", "4") in pairs(language, "integer")
    assert pairs("python3", "comparison") == {(">", ">="), ("!=", "==")}
    assert pairs("python3", "logic") == {("and", "or")}
    assert pairs("python3", "loop-bound") == {("1", "2"), ("1", "0")}
    assert pairs("python3", "plus-minus") == {("+=", "-="), ("-", "+")}
    assert ("0", "-1") not in pairs("python3", "integer")  # never below zero


def test_protected_text_is_never_mutated() -> None:
    protected = [
        "#include <cstdio>",
        "#include <vector>",
        "#define LIMIT (100 + 1 < 2)",
        "// a comment: a < b && 7 + 1",
        "/* x <= y || z - 1 */",
        '"a < b && 3 - 1"',
        'R"(x < y || 5)"',
        "'+'",
        "vector<pair<int, int>>",
        "template <typename T>",
        '"%d %s %s %c %zu %d\\n"',
    ]
    spans = []
    for text in protected:
        start = CPP.index(text)
        spans.append((start, start + len(text)))
    for mutation in mutations_of("cpp", CPP):
        inside = [CPP[a:b] for a, b in spans if a <= mutation.offset < b]
        assert not inside, f"{mutation.describe()} touches {inside}"
    for mutation in mutations_of("python3", PYTHON):
        line = PYTHON.splitlines()[mutation.line - 1]
        assert not line.lstrip().startswith("#")
        assert "print(" not in line  # the f-string and the plain string hold operators


def test_unary_minus_and_keywords_are_not_plus_minus() -> None:
    source = "int f(int x) { return -x + (-1); }\n"
    found = [
        (m.before, m.offset) for m in mutations_of("cpp", source) if m.operator == "plus-minus"
    ]
    assert found == [("+", source.index("+"))]


def test_near_misses_compile_pass_the_examples_and_differ_from_every_original(
    judge: Judge,
) -> None:
    problem = load_problem(PAVING)
    originals = accepted_programs(problem)
    assert {o.language for o in originals} == {"cpp", "python3"}
    near = generate_near_misses(judge, problem, originals, wanted=6, seed=1, time_limit_s=1.0)
    assert 1 <= len(near.mutants) <= 6
    assert near.tried == len(near.mutants) + near.did_not_compile + near.failed_examples
    keys = {normalized_source(o.source) for o in originals}
    for mutant in near.mutants:
        assert normalized_source(mutant.candidate.source) not in keys
        original = originals[mutant.origin]
        assert mutant.mutation.apply(original.source) == mutant.candidate.source
        assert mutant.candidate.metadata["origin"] == original.metadata["file"]


def test_pool_mutate_writes_a_pool_and_separate_labels(tmp_path: Path) -> None:
    out = tmp_path / "pool.jsonl"
    result = runner.invoke(
        app, ["pool", "mutate", str(PAVING), "--out", str(out), "--n", "5", "--label"]
    )
    assert result.exit_code == 0, result.output
    pool = [json.loads(line) for line in out.read_text().splitlines()]
    labels = [
        json.loads(line) for line in (tmp_path / "pool.labels.jsonl").read_text().splitlines()
    ]
    assert len(pool) == len(labels) == 5
    assert all("label" not in record for record in pool)  # the pool itself carries no label
    assert {record["label"] for record in labels} <= {"wrong", "survives"}
    wrong = sum(record["label"] == "wrong" for record in labels)
    assert f"labels: {wrong} wrong, {5 - wrong} survive" in result.stdout
    for record in labels:
        assert (record["label"] == "wrong") == (record["verdict"] != "AC")


def test_pool_mutate_usage_errors_are_one_line(tmp_path: Path) -> None:
    result = runner.invoke(app, ["pool", "mutate", str(tmp_path), "--out", str(tmp_path / "p")])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ") and len(result.stderr.splitlines()) == 1
    java = tmp_path / "Main.java"
    java.write_text("class Main {}\n")
    result = runner.invoke(
        app, ["pool", "mutate", str(PAVING), str(java), "--out", str(tmp_path / "p")]
    )
    assert result.exit_code == 2 and "can be mutated" in result.stderr
