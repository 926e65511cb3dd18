"""Every verdict, from small programs written for the tests, judged in the real sandbox."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sandbox.judge import Judge
from sandbox.languages import detect_language
from sandbox.problem import load_problem
from sandbox.verdicts import Verdict
from tests.conftest import make_package, write

SUM_PY = "a, b = map(int, input().split())\nprint(a + b)\n"
SUM_C = '#include <stdio.h>\nint main(){long long a,b;scanf("%lld %lld",&a,&b);printf("%lld\\n",a+b);}\n'
SUM_CPP = (
    "#include <bits/stdc++.h>\nint main(){long long a,b;std::cin>>a>>b;std::cout<<a+b<<'\\n';}\n"
)
SUM_JAVA = """
import java.util.*;
public class Sum { public static void main(String[] x) {
  Scanner s = new Scanner(System.in); long a = s.nextLong(), b = s.nextLong();
  System.out.println(a + b); } }
"""


def judged(judge: Judge, root: Path, name: str, code: str, time_limit: float = 1.0, **kw):
    problem = load_problem(root)
    source = write(root / "submissions" / "tmp" / name, code)
    return judge.judge(
        problem,
        source,
        detect_language(source),
        tests=problem.tests(),
        time_limit_s=time_limit,
        **kw,
    )


@pytest.fixture
def sum_problem(tmp_path: Path) -> Path:
    return make_package(tmp_path / "sum")


@pytest.mark.parametrize(
    ("name", "code"),
    [("sum.py", SUM_PY), ("sum.c", SUM_C), ("sum.cpp", SUM_CPP), ("Sum.java", SUM_JAVA)],
)
def test_accepted_in_every_language(judge: Judge, sum_problem: Path, name: str, code: str) -> None:
    if name.endswith(".java") and shutil.which("javac") is None:
        pytest.skip("no JDK on this machine")
    result = judged(judge, sum_problem, name, code)
    assert result.verdict is Verdict.AC, result.to_json()
    assert [t.verdict for t in result.tests] == [Verdict.AC] * 3
    assert all(t.memory_kib > 0 for t in result.tests)


def test_wrong_answer_stops_at_the_first_failure(judge: Judge, sum_problem: Path) -> None:
    code = "a, b = map(int, input().split())\nprint(a + b if a < 10**6 else 0)\n"
    result = judged(judge, sum_problem, "wa.py", code)
    assert result.verdict is Verdict.WA
    assert [t.verdict for t in result.tests] == [Verdict.AC, Verdict.AC, Verdict.WA]
    assert "expected '2000000000'" in result.tests[-1].message


def test_all_tests_runs_past_a_failure(judge: Judge, sum_problem: Path) -> None:
    result = judged(judge, sum_problem, "zero.py", "print(0)\n", stop_at_first_failure=False)
    assert result.verdict is Verdict.WA
    assert len(result.tests) == 3


def test_busy_loop_is_time_limit_exceeded(judge: Judge, sum_problem: Path) -> None:
    result = judged(judge, sum_problem, "loop.py", "while True:\n    pass\n", time_limit=0.5)
    assert result.verdict is Verdict.TLE
    assert result.tests[0].time_s > 0.5


def test_sleeping_past_the_wall_limit_is_time_limit_exceeded(judge: Judge, sum_problem: Path):
    result = judged(judge, sum_problem, "sleep.py", "import time\ntime.sleep(60)\n", time_limit=0.5)
    assert result.verdict is Verdict.TLE
    assert "wall time" in result.tests[0].message


def test_slow_but_finishing_is_time_limit_exceeded(judge: Judge, sum_problem: Path) -> None:
    code = "import time\nt = time.process_time()\nwhile time.process_time() - t < 0.7: pass\nprint(3)\n"
    assert judged(judge, sum_problem, "slow.py", code, time_limit=0.5).verdict is Verdict.TLE


def test_memory_hog_is_memory_limit_exceeded(judge: Judge, tmp_path: Path) -> None:
    root = make_package(tmp_path / "mem", problem_yaml="limits:\n  memory: 256\n")
    code = "x = bytearray(512 * 1024 * 1024)\nprint(len(x))\n"
    assert judged(judge, root, "hog.py", code).verdict is Verdict.MLE
    cpp = '#include <vector>\n#include <cstdio>\nint main(){std::vector<char> v(600<<20, 1); printf("%d", v[5]);}\n'
    assert judged(judge, root, "hog.cpp", cpp).verdict is Verdict.MLE


def test_crashes_are_run_time_errors(judge: Judge, sum_problem: Path) -> None:
    assert judged(judge, sum_problem, "exit.py", "import sys\nsys.exit(3)\n").verdict is Verdict.RTE
    raised = judged(judge, sum_problem, "raise.py", "raise ValueError('boom')\n")
    assert raised.verdict is Verdict.RTE and "ValueError: boom" in raised.tests[0].message
    segfault = "int main(){ int *p = 0; *p = 1; return 0; }\n"
    result = judged(judge, sum_problem, "segv.c", segfault)
    assert result.verdict is Verdict.RTE and "signal 11" in result.tests[0].message


def test_endless_output_is_output_limit_exceeded(judge: Judge, tmp_path: Path) -> None:
    root = make_package(tmp_path / "ole", problem_yaml="limits:\n  output: 1\n")
    code = "import sys\nwhile True:\n    sys.stdout.write('x' * 65536)\n"
    assert judged(judge, root, "flood.py", code).verdict is Verdict.OLE


def test_compile_errors(judge: Judge, sum_problem: Path) -> None:
    result = judged(judge, sum_problem, "broken.cpp", "int main() { return 0 }\n")
    assert result.verdict is Verdict.CE and not result.compile.ok
    assert "error" in result.compile.message and result.tests == ()
    python = judged(judge, sum_problem, "broken.py", "print('unclosed\n")
    assert python.verdict is Verdict.CE and "SyntaxError" in python.compile.message


def test_python_gets_exit_and_quit_like_contest_judges(judge: Judge, sum_problem: Path) -> None:
    code = SUM_PY + "exit()\n"
    assert judged(judge, sum_problem, "exit_builtin.py", code).verdict is Verdict.AC


def test_deep_recursion_has_the_stack_of_the_memory_limit(judge: Judge, sum_problem: Path):
    code = """
    #include <cstdio>
    long long depth(long long n) { volatile char pad[64]; pad[0] = 1; return n == 0 ? pad[0] - 1 : 1 + depth(n - 1); }
    int main() { long long a, b; scanf("%lld %lld", &a, &b); printf("%lld\\n", a + b + depth(2000000) - 2000000); }
    """
    assert judged(judge, sum_problem, "deep.cpp", code).verdict is Verdict.AC


VALIDATOR = """
import sys
from pathlib import Path
given, answer, feedback = sys.argv[1], sys.argv[2], Path(sys.argv[3])
a, b = map(int, open(given).read().split())
team = sys.stdin.read().split()
if "--strict" not in sys.argv[4:]:
    (feedback / "judgemessage.txt").write_text("flags were not passed")
    sys.exit(1)
# Any pair x y with x + y == a + b is a valid answer.
if len(team) == 2 and all(t.lstrip("-").isdigit() for t in team) and int(team[0]) + int(team[1]) == a + b:
    sys.exit(42)
(feedback / "judgemessage.txt").write_text(f"{team} does not add up to {a + b}")
sys.exit(43)
"""


@pytest.fixture
def custom_problem(tmp_path: Path) -> Path:
    root = make_package(
        tmp_path / "split", problem_yaml="validation: custom\nvalidator_flags: --strict\n"
    )
    write(root / "output_validators" / "split_validator" / "validate.py", VALIDATOR)
    return root


def test_custom_validator_accepts_any_valid_answer(judge: Judge, custom_problem: Path) -> None:
    code = "a, b = map(int, input().split())\nprint(a + b, 0)\n"
    assert judged(judge, custom_problem, "split.py", code).verdict is Verdict.AC
    other = "a, b = map(int, input().split())\nprint(a - 1, b + 1)\n"
    assert judged(judge, custom_problem, "split2.py", other).verdict is Verdict.AC


def test_custom_validator_rejection_keeps_its_feedback(judge: Judge, custom_problem: Path):
    result = judged(judge, custom_problem, "bad.py", "print(1, 1)\n")
    assert result.verdict is Verdict.WA
    assert "does not add up to 3" in result.tests[0].message


def test_crashing_validator_is_a_judge_error(judge: Judge, tmp_path: Path) -> None:
    root = make_package(tmp_path / "broken_validator", problem_yaml="validation: custom\n")
    write(root / "output_validators" / "v" / "validate.py", VALIDATOR)  # exits 1: no --strict
    result = judged(judge, root, "fine.py", SUM_PY)
    assert result.verdict is Verdict.JE
    assert "exited with 1" in result.tests[0].message
    assert "flags were not passed" in result.tests[0].message


def test_cpp_validator_with_a_header_beside_it(judge: Judge, tmp_path: Path) -> None:
    root = make_package(tmp_path / "cppvalidator", problem_yaml="validation: custom\n")
    write(root / "output_validators" / "v" / "verdict.h", "#define ACCEPT 42\n#define REJECT 43\n")
    write(
        root / "output_validators" / "v" / "validate.cpp",
        """
        #include <fstream>
        #include <iostream>
        #include "verdict.h"
        int main(int argc, char** argv) {
            std::ifstream answer(argv[2]); long long expected, got;
            answer >> expected;
            if (!(std::cin >> got)) return REJECT;
            return got == expected ? ACCEPT : REJECT;
        }
        """,
    )
    assert judged(judge, root, "ok.py", SUM_PY).verdict is Verdict.AC
    assert judged(judge, root, "no.py", "print(-1)\n").verdict is Verdict.WA


def test_python_recursion_limit_counts_from_the_programs_own_module_level(
    judge: Judge, sum_problem: Path
) -> None:
    # In a fresh interpreter, recursion to exactly limit - 2 frames below module level passes.
    code = """
import sys
sys.setrecursionlimit(1001)
assert sys.getrecursionlimit() == 1001
def down(n):
    return 0 if n == 0 else 1 + down(n - 1)
down(995)
a, b = map(int, input().split())
print(a + b)
"""
    assert judged(judge, sum_problem, "recursion.py", code).verdict is Verdict.AC


def test_python_solution_running_in_a_big_stack_thread(judge: Judge, sum_problem: Path) -> None:
    # A common trick for deep recursion in Python: run main in a thread with a large stack;
    # the interpreter waits for the thread before exiting, and so must the sandbox.
    code = """
import sys, threading
sys.setrecursionlimit(10**6)
def depth(n):
    return 0 if n == 0 else 1 + depth(n - 1)
def main():
    a, b = map(int, input().split())
    print(a + b + depth(100000) - 100000)
threading.stack_size(1 << 27)
threading.Thread(target=main).start()
"""
    assert judged(judge, sum_problem, "thread.py", code).verdict is Verdict.AC
