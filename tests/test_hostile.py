"""The hostile corpus: programs that attack the sandbox, each judged on a one-test problem.

Each gets the verdict it deserves, and afterwards no process of the corpus remains, no file
outside a run's scratch folder has changed, and the judge goes on serving. The programs live in
tests/hostile/ and run only through the judge.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from sandbox.backends.local import LocalBackend
from sandbox.judge import Judge
from sandbox.languages import detect_language
from sandbox.problem import load_problem
from sandbox.verdicts import Verdict
from tests.conftest import make_package, write

CORPUS = Path(__file__).parent / "hostile"
V = Verdict
EXPECTED: dict[str, set[Verdict]] = {
    "fork_bomb.py": {V.TLE, V.RTE},
    "fork_bomb.c": {V.TLE, V.RTE},
    "memory_bomb.py": {V.MLE},
    "memory_bomb.cpp": {V.MLE},
    "deep_recursion.c": {V.RTE, V.MLE},
    "deep_recursion.py": {V.MLE, V.RTE, V.TLE},
    "infinite_output.py": {V.OLE},
    "infinite_output.c": {V.OLE},
    "no_newline.c": {V.AC},
    "write_everywhere.py": {V.AC},
    "write_outside.c": {V.AC},
    "read_shadow.py": {V.AC},
    "find_answers.py": {V.AC},
    "socket_local.py": {V.AC},
    "socket_outside.py": {V.AC},
    "socket_raw.c": {V.AC},
    "daemon.py": {V.AC},
    "daemon.c": {V.AC},
    "kill_everyone.py": {V.AC},
    "kill_parent.c": {V.AC},
    "raise_rlimits.c": {V.TLE},
    "sleep_forever.py": {V.TLE},
    "busy_threads.c": {V.TLE},
    "close_stdout.py": {V.RTE, V.WA},
    "huge_arguments.py": {V.AC, V.WA, V.RTE, V.MLE},
    "other_processes.py": {V.AC},
    "ptrace_attach.c": {V.AC},
    "mount_and_unshare.cpp": {V.AC},
    "fill_tmp.py": {V.AC},
}
MARK_PLACES = [Path("/tmp/hostile-mark"), Path("/hostile-mark"), Path("/root/hostile-mark")]


def _snapshot(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _processes() -> dict[int, tuple[int, str]]:
    """pid -> (parent pid, command) of every process."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        parent = int(next(line for line in status.splitlines() if line.startswith("PPid:"))[5:])
        found[int(entry.name)] = (parent, command)
    return found


def _leftovers(backend_root: Path) -> list[str]:
    """Processes that this backend's sandboxes hold, other than its idle fork servers."""
    processes = _processes()
    ours = {
        pid
        for pid, (_, command) in processes.items()
        if command.startswith("/usr/bin/bwrap") and str(backend_root) in command
    }
    servers = {pid for pid, (parent, _) in processes.items() if parent in ours}

    def descends_from_ours(pid: int) -> bool:
        while pid > 1:
            pid = processes.get(pid, (0, ""))[0]
            if pid in ours:
                return True
        return False

    return [
        processes[pid][1]
        for pid in processes
        if pid not in ours | servers and descends_from_ours(pid)
    ]


@pytest.fixture(scope="module")
def target(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile") / "sum"
    return make_package(
        root,
        problem_yaml="name: Sum\nlimits:\n  memory: 256\n  output: 1\n",
        tests={"sample/1": ("1 2\n", "3\n")},
    )


@pytest.fixture(scope="module")
def corpus_results(judge: Judge, target: Path) -> dict[str, object]:
    if not LocalBackend(warn=False).isolated:
        pytest.skip("bubblewrap cannot create namespaces here; the corpus needs them")
    problem = load_problem(target)
    before = _snapshot(target)
    results = {}
    sources = sorted(CORPUS.iterdir())
    # One more attack, aimed at this problem's own folder.
    aimed = write(
        target.parent / "aimed" / "overwrite_answers.py",
        f"""
        import os
        for name in ("data/sample/1.ans", "data/sample/1.in", "problem.yaml", "new-file"):
            try:
                open(os.path.join({str(target)!r}, name), "w").write("hostile")
            except OSError:
                pass
        print(3)
        """,
    )
    for source in [*sources, aimed]:
        results[source.name] = judge.judge(
            problem, source, detect_language(source), tests=problem.tests(), time_limit_s=1.0
        )
    results["__after__"] = {"snapshot": _snapshot(target), "before": before}
    return results


def test_the_corpus_is_large_enough() -> None:
    sources = list(CORPUS.iterdir())
    assert len(sources) >= 25
    assert {p.suffix for p in sources} >= {".c", ".cpp", ".py"}
    assert set(EXPECTED) == {p.name for p in sources}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_program_gets_the_verdict_it_deserves(corpus_results: dict, name: str) -> None:
    result = corpus_results[name]
    assert result.verdict in EXPECTED[name], (name, result.to_json())


def test_an_attack_on_the_problem_folder_changes_nothing(corpus_results: dict) -> None:
    assert corpus_results["overwrite_answers.py"].verdict is Verdict.AC
    after = corpus_results["__after__"]
    assert after["snapshot"] == after["before"]


def test_no_file_lands_outside_the_scratch_folders(corpus_results: dict) -> None:
    for place in MARK_PLACES:
        assert not place.exists(), place
    home = Path(os.path.expanduser("~")) / "hostile-mark"
    assert not home.exists()


def test_no_process_of_the_corpus_remains(corpus_results: dict, judge: Judge) -> None:
    assert _leftovers(judge.backend._root) == []


def test_the_judge_goes_on_serving(corpus_results: dict, judge: Judge, target: Path) -> None:
    problem = load_problem(target)
    for name, code in (
        ("after.py", "a, b = map(int, input().split())\nprint(a + b)\n"),
        (
            "after.c",
            '#include <stdio.h>\nint main(){int a,b;scanf("%d%d",&a,&b);printf("%d\\n",a+b);}\n',
        ),
    ):
        source = write(target.parent / "after" / name, code)
        result = judge.judge(
            problem, source, detect_language(source), tests=problem.tests(), time_limit_s=1.0
        )
        assert result.verdict is Verdict.AC, result.to_json()
