"""The judge is safe from the first day: no network, no test data, no escape, no leftovers.

Every program here runs through the real sandbox. A later corpus (the sandbox issue) goes
further; these are the guarantees the judge makes today.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from sandbox.backends.local import LocalBackend
from sandbox.build import Builder
from sandbox.execute import execute
from sandbox.judge import Judge
from sandbox.languages import PYTHON, detect_language
from sandbox.limits import Limits
from sandbox.verdicts import Verdict
from tests.conftest import make_package
from tests.test_judge import judged

pytestmark = pytest.mark.skipif(
    not LocalBackend(warn=False).isolated, reason="bubblewrap cannot create namespaces here"
)


def run_python(backend: LocalBackend, tmp_path: Path, code: str) -> str:
    """Runs a Python program in a box; returns what it printed."""
    program = tmp_path / "program"
    program.mkdir(exist_ok=True)
    (program / "main.py").write_text(code)
    with backend.box(program) as box:
        result = box.run([PYTHON, f"{box.program_root}/main.py"], stdin=None, limits=Limits(5))
        return result.stdout_path.read_text()


@pytest.fixture
def secret_problem(tmp_path: Path) -> Path:
    # The answer is a secret; a program that finds the .ans files can print it.
    return make_package(
        tmp_path / "secret",
        tests={"secret/1": ("\n", "the-hidden-answer\n")},
    )


def test_cannot_find_or_read_the_answers(judge: Judge, secret_problem: Path) -> None:
    code = f"""
import os
for top in ("/", "/tmp", "/scratch", "/program", {str(secret_problem)!r}):
    for folder, _, files in os.walk(top):
        for name in files:
            if name.endswith(".ans"):
                try:
                    print(open(os.path.join(folder, name)).read())
                except OSError:
                    pass
print("nothing")
"""
    result = judged(judge, secret_problem, "search.py", code, time_limit=5)
    assert result.verdict is Verdict.WA
    assert "nothing" in result.tests[0].message or "got" in result.tests[0].message


def test_no_network(backend: LocalBackend, tmp_path: Path) -> None:
    code = """
import socket
for address in (("127.0.0.1", 22), ("1.1.1.1", 53)):
    try:
        socket.create_connection(address, timeout=2)
        print("connected", address)
    except OSError:
        pass
print(sorted(name for _, name in socket.if_nameindex()))
"""
    printed = run_python(backend, tmp_path, code)
    assert "connected" not in printed
    assert printed.strip() == "['lo']"


def test_runs_as_an_unprivileged_user_in_a_read_only_system(
    backend: LocalBackend, tmp_path: Path
) -> None:
    code = """
import os
print("uid", os.getuid())
for path in ("/usr/evil", "/etc/evil", "/program/evil", "/evil"):
    try:
        open(path, "w").write("x")
        print("wrote", path)
    except OSError:
        pass
open("/scratch/fine", "w").write("scratch is writable")
open("/tmp/fine", "w").write("tmp is writable")
print("sees", sorted(os.listdir("/")))
"""
    printed = run_python(backend, tmp_path, code)
    assert "wrote" not in printed
    if os.geteuid() == 0:
        assert "uid 0" not in printed and "uid " in printed
    assert "'root'" not in printed and "'work'" not in printed and "'home'" not in printed
    assert not Path("/usr/evil").exists() and not Path("/etc/evil").exists()


def test_writes_to_the_problem_folder_do_not_land(judge: Judge, secret_problem: Path) -> None:
    target = secret_problem / "data" / "secret" / "1.ans"
    code = f"""
try:
    open({str(target)!r}, "w").write("overwritten")
except OSError:
    pass
print("the-hidden-answer")
"""
    result = judged(judge, secret_problem, "overwrite.py", code, time_limit=5)
    assert result.verdict is Verdict.AC
    assert target.read_text() == "the-hidden-answer\n"


def test_a_daemon_does_not_outlive_its_run(judge: Judge, secret_problem: Path) -> None:
    marker = "solver-test-daemon-7f3a"
    code = f"""
import os, time
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        os.execv("/bin/sh", ["/bin/sh", "-c", "exec -a {marker} sleep 600"])
    os._exit(0)
print("the-hidden-answer")
"""
    result = judged(judge, secret_problem, "daemon.py", code, time_limit=5)
    assert result.verdict is Verdict.AC
    found = subprocess.run(["pgrep", "-f", marker], capture_output=True, text=True)
    assert found.stdout.strip() == "", f"left behind: {found.stdout}"


def test_a_fork_bomb_is_contained(judge: Judge, secret_problem: Path) -> None:
    code = """
import os
children = 0
try:
    while True:
        if os.fork() == 0:
            import time
            time.sleep(30)
            os._exit(0)
        children += 1
except OSError:
    pass
print("the-hidden-answer")
"""
    result = judged(judge, secret_problem, "bomb.py", code, time_limit=2)
    assert result.verdict in (Verdict.AC, Verdict.RTE, Verdict.TLE)
    found = subprocess.run(["pgrep", "-f", "/program/bomb.py"], capture_output=True, text=True)
    assert found.stdout.strip() == ""


def test_without_bubblewrap_the_judge_still_runs_and_says_what_is_missing(tmp_path: Path) -> None:
    with LocalBackend(use_bwrap=False, warn=False) as degraded:
        missing = [p.name for p in degraded.protections() if not p.active]
        assert any("network namespace" in name for name in missing)
        # A run that leaves a child behind must not take the judge down with it.
        printed = run_python(
            degraded, tmp_path, "import os\nif os.fork() == 0:\n    os._exit(0)\nprint('ran')\n"
        )
        assert printed.strip() == "ran"
        assert run_python(degraded, tmp_path, "print('again')\n").strip() == "again"


LITTER_PY = """
import os
os.makedirs("deep/" + "/".join(["d"] * 80))  # deeper than a server walks at once
os.makedirs("/tmp/t/u")
open("/tmp/t/u/f", "w").write("x")
open("../beside", "w").write("x")
open("/dev/shm/note", "w").write("for the next run")
os.chmod("/tmp/t/u", 0)
os.chmod("/tmp/t", 0)
os.chmod("deep", 0)
os.chmod(".", 0o500)
os.setxattr("/tmp", "user.note", b"for the next run")
os.setxattr("/scratch", "user.note", b"for the next run")
os.chmod("/tmp", 0o500)
print("littered")
"""

LITTER_C = """
#include <stdio.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>
int main(void) {
    for (int i = 0; i < 80; i++) { mkdir("d", 0700); if (chdir("d") != 0) return 1; }
    mkdir("/tmp/c", 0700);
    FILE *f = fopen("/tmp/c/f", "w"); fputs("x", f); fclose(f);
    f = fopen("/dev/shm/note", "w"); fputs("x", f); fclose(f);
    chmod("/tmp/c", 0);
    chmod("/scratch/run", 0500);
    setxattr("/tmp", "user.note", "x", 1, 0);
    setxattr("/scratch", "user.note", "x", 1, 0);
    chmod("/tmp", 0500);
    puts("littered");
    return 0;
}
"""

LOOK_PY = """
import os
print(sorted(os.listdir(".")), sorted(os.listdir("/tmp")), sorted(os.listdir("/scratch")))
print(os.listdir("/dev/shm"))
print(os.listxattr("/tmp"), os.listxattr("/scratch"))
open("probe", "w").write("x")
open("/tmp/probe", "w").write("x")
print("writable")
"""


@pytest.mark.parametrize("litter", ["main.py", "main.c"])
def test_each_run_finds_a_clean_scratch_folder_and_tmp(
    cache_dir: Path, tmp_path: Path, litter: str
) -> None:
    """A fork server serves many runs: whatever one leaves (a tree too deep to walk at once,
    folders it took the permissions of, files beside its folder, a read-only /tmp, extended
    attributes on /tmp and /scratch, a file in /dev/shm) is gone, and the modes restored, before the next run of
    that server starts. A backend of its own,
    used from one thread, has one server of each kind: every run below goes to the same one."""
    source = tmp_path / litter
    source.write_text(LITTER_PY if litter.endswith(".py") else LITTER_C)
    look = tmp_path / "look.py"
    look.write_text(LOOK_PY)
    out = tmp_path / "out"
    with LocalBackend(warn=False) as backend:
        builder = Builder(backend, cache_dir)
        programs = [builder.build(path, detect_language(path)).program for path in (source, look)]
        assert programs[0] is not None and programs[1] is not None
        for _ in range(2):
            littered = execute(backend, programs[0], stdin=None, stdout=out, limits=Limits(5))
            assert littered.exit_code == 0 and out.read_text().strip() == "littered"
            looked = execute(backend, programs[1], stdin=None, stdout=out, limits=Limits(5))
            assert looked.exit_code == 0, looked.stderr
            seen = out.read_text().split("\n")[:4]
            assert seen == ["[] [] ['run']", "[]", "[] []", "writable"]


IPC_C = """
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <stdio.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
int main(void) {
    int shm = shmget(1234, 4096, IPC_CREAT | 0600);
    int msg = msgget(1234, IPC_CREAT | 0600);
    int sem = semget(1234, 1, IPC_CREAT | 0600);
    mqd_t mq = mq_open("/note", O_CREAT | O_RDWR, 0600, NULL);
    printf("%d %d %d %d %d\\n", shm, msg, sem, (int)mq, errno);
    return 0;
}
"""


def test_no_ipc_objects_that_outlive_a_run(judge: Judge, builder, tmp_path: Path) -> None:
    """SysV shared memory, queues and semaphores, and POSIX message queues outlive the process
    that made them, in an IPC namespace that a fork server's runs share: they are refused."""
    source = tmp_path / "ipc.c"
    source.write_text(IPC_C)
    program = builder.build(source, detect_language(source)).program
    assert program is not None
    out = tmp_path / "out"
    result = execute(judge.backend, program, stdin=None, stdout=out, limits=Limits(5))
    assert result.exit_code == 0, result.stderr
    assert out.read_text().split() == ["-1", "-1", "-1", "-1", "1"]  # EPERM
