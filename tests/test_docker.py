"""The docker backend against a real local engine, with an image built on this machine.

The image is built here (no registry is reachable): `sandbox.backends.docker_image` makes it
from this machine's own packages when it is absent. Skipped, saying why, only where no engine
answers (CI installs Debian's docker.io and starts dockerd first: see .ci/run).
"""

from __future__ import annotations

import json
import os
import socket
import tarfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from sandbox.backends import open_backend
from sandbox.backends.docker import LABEL, OWNER_LABEL, DockerBackend
from sandbox.backends.docker_image import DEFAULT_IMAGE, build_image
from sandbox.build import Builder
from sandbox.check import check_problems
from sandbox.errors import IsolationError
from sandbox.judge import Judge
from sandbox.languages import detect_language, language_by_id
from sandbox.limits import Limits
from sandbox.problem import load_problem
from sandbox.verdicts import Verdict
from tests.conftest import REPO, make_package, write
from tests.test_hostile import CORPUS, EXPECTED, MARK_PLACES, _snapshot
from tests.test_shared_packages import KATTIS_TAR

# A real package judged by both backends, submission by submission: a sample of its
# submissions that covers its verdicts (the whole package costs minutes on a loaded machine).
PARITY_PACKAGE = "gcpc2021__excursion"
PARITY_SUBMISSIONS = (
    "accepted/andreas.cpp",
    "accepted/paul.py",
    "wrong_answer/michael_wrong_possible_check.cpp",
    "time_limit_exceeded/andreas_naive.cpp",
)


@pytest.fixture(scope="module")
def docker_backend() -> Iterator[DockerBackend]:
    try:
        import docker

        client = docker.from_env(timeout=120)
        client.ping()
    except Exception as error:  # noqa: BLE001 - any failure to reach the engine is the reason
        pytest.skip(f"no docker engine answers here ({error}); start dockerd (see .ci/run)")
    try:
        client.images.get(DEFAULT_IMAGE)
    except docker.errors.ImageNotFound:
        build_image(client, DEFAULT_IMAGE)
    with DockerBackend(warn=False) as backend:
        yield backend


@pytest.fixture(scope="module")
def docker_judge(docker_backend: DockerBackend, cache_dir: Path) -> Judge:
    return Judge(docker_backend, Builder(docker_backend, cache_dir))


def _judge(judge: Judge, package: Path, source: Path, time_limit_s: float = 1.0):
    problem = load_problem(package)
    return judge.judge(
        problem, source, detect_language(source), tests=problem.tests(), time_limit_s=time_limit_s
    )


def test_containers_are_locked_down(docker_judge: Judge, tmp_path: Path) -> None:
    package = make_package(tmp_path / "sum")
    source = write(tmp_path / "sum.py", "a, b = map(int, input().split())\nprint(a + b)\n")
    assert _judge(docker_judge, package, source).verdict is Verdict.AC
    backend = docker_judge.backend
    containers = backend.containers()
    assert containers, "the run left no warm container"
    for container in containers:
        container.reload()
        host = container.attrs["HostConfig"]
        assert host["NetworkMode"] == "none"
        assert host["ReadonlyRootfs"] is True
        assert host["CapDrop"] == ["ALL"]
        assert "no-new-privileges" in host["SecurityOpt"]
        assert host["Memory"] > 0 and host["PidsLimit"] > 0 and host["NanoCpus"] > 0
        assert "/tmp" in host["Tmpfs"]
        user = container.attrs["Config"]["User"]
        assert user and not user.startswith("0"), user


@pytest.mark.parametrize(
    ("name", "code", "expected"),
    [
        ("ac.py", "a, b = map(int, input().split())\nprint(a + b)\n", Verdict.AC),
        ("wa.py", "print(4)\n", Verdict.WA),
        ("rte.py", "raise SystemExit(3)\n", Verdict.RTE),
        ("tle.py", "while True:\n    pass\n", Verdict.TLE),
        ("ce.py", "def broken(:\n", Verdict.CE),
        ("mle.py", "x = bytearray(600 * 1024 * 1024)\nprint(3)\n", Verdict.MLE),
        (
            "ac.cpp",
            '#include <cstdio>\nint main(){long long a,b;scanf("%lld %lld",&a,&b);'
            'printf("%lld\\n",a+b);}\n',
            Verdict.AC,
        ),
        ("ce.cpp", "int main() { return }\n", Verdict.CE),
        ("segv.c", "int main(void){ volatile int *p = 0; return *p; }\n", Verdict.RTE),
        (
            "Sum.java",
            "import java.util.*;\npublic class Sum { public static void main(String[] a) {"
            " Scanner s = new Scanner(System.in); System.out.println(s.nextLong() +"
            " s.nextLong()); } }\n",
            Verdict.AC,
        ),
    ],
)
def test_verdicts_match_the_local_backend(
    docker_judge: Judge, judge: Judge, tmp_path: Path, name: str, code: str, expected: Verdict
) -> None:
    package = make_package(
        tmp_path / "sum",
        problem_yaml="name: Sum\nlimits:\n  memory: 256\n",
        tests={"sample/1": ("1 2\n", "3\n")},
    )
    source = write(tmp_path / name, code)
    in_docker = _judge(docker_judge, package, source)
    on_host = _judge(judge, package, source)
    assert in_docker.verdict is expected, in_docker.to_json()
    assert on_host.verdict is expected, on_host.to_json()


def test_a_custom_validator_problem_runs_in_the_boxes(docker_judge: Judge) -> None:
    package = REPO / "problems" / "inversions"
    assert load_problem(package).output_validator is not None
    submissions = package / "submissions"
    for source, expected in (
        (submissions / "accepted" / "inversions.cpp", Verdict.AC),
        (submissions / "accepted" / "inversions.py", Verdict.AC),
        (submissions / "wrong_answer" / "tail_reversed.py", Verdict.WA),
    ):
        result = _judge(docker_judge, package, source, time_limit_s=2.0)
        assert result.verdict is expected, result.to_json()


def test_scratch_and_tmp_are_empty_at_every_run(docker_judge: Judge, tmp_path: Path) -> None:
    package = make_package(
        tmp_path / "quiet", tests={"sample/1": ("", "clean\n"), "sample/2": ("", "clean\n")}
    )
    source = write(
        tmp_path / "leave.py",
        """
        import os
        left = sorted(os.listdir(".")) + sorted(os.listdir("/tmp"))
        open("left-behind", "w").write("x")
        open("/tmp/left-behind", "w").write("x")
        print("clean" if not left else left)
        """,
    )
    result = _judge(docker_judge, package, source)
    assert [t.verdict for t in result.tests] == [Verdict.AC, Verdict.AC], result.to_json()


def test_a_box_run_is_stopped_by_its_watchdog(docker_backend: DockerBackend) -> None:
    with docker_backend.box() as box:
        started = time.monotonic()
        result = box.run(["sleep", "60"], stdin=None, limits=Limits(time_s=0.5, wall_s=1.0))
    assert result.wall_timeout and time.monotonic() - started < 10


def test_a_run_cannot_stop_or_kill_the_box_server(docker_backend: DockerBackend) -> None:
    attack = (
        "import os, signal, time\n"
        "for sig in (signal.SIGSTOP, signal.SIGKILL):\n"
        "    os.kill(1, sig)\n"
        "try:\n"
        "    os.kill(-1, signal.SIGKILL)\n"
        "except ProcessLookupError:\n"
        "    pass  # nothing to kill but pid 1, which ignores it\n"
        "print('still here', flush=True)\n"
        "time.sleep(60)\n"
    )
    with docker_backend.box() as box:
        started = time.monotonic()
        result = box.run(
            ["python3", "-c", attack], stdin=None, limits=Limits(time_s=1.0, wall_s=2.0)
        )
        assert result.wall_timeout and time.monotonic() - started < 10
        assert result.stdout_path.read_bytes() == b"still here\n"
        again = box.run(["python3", "-c", "print(42)"], stdin=None, limits=Limits(time_s=1.0))
        assert again.exit_code == 0 and again.stdout_path.read_bytes() == b"42\n"


def test_leftover_containers_of_a_dead_judge_are_reaped(docker_backend: DockerBackend) -> None:
    client = docker_backend._client
    dead_pid = 2**22 + 1  # above pid_max on Linux: no such process can exist
    stale = client.containers.create(
        DEFAULT_IMAGE,
        ["sleep", "infinity"],
        network_mode="none",
        labels={LABEL: "1", OWNER_LABEL: f"{socket.gethostname()}:{dead_pid}:0"},
    )
    ours = {c.id for c in docker_backend.containers()}
    with DockerBackend(warn=False) as second:
        names = {c.id for c in client.containers.list(all=True, filters={"label": LABEL})}
        assert stale.id not in names
        assert ours <= names  # a live judge's containers are not touched
        second_owner = {OWNER_LABEL: second._owner}
        second.box().__enter__()  # left open: close() removes it all the same
    assert second._list_containers(second_owner) == []
    assert ours <= {c.id for c in docker_backend.containers()}


def test_a_larger_memory_limit_grows_the_container(docker_backend: DockerBackend, tmp_path) -> None:
    source = write(tmp_path / "big.py", "x = bytearray(700 * 1024 * 1024)\nprint(len(x) > 0)\n")
    python3 = language_by_id("python3")
    stdout = tmp_path / "stdout"
    for memory_mib, expected in ((256, 1), (1024, 0)):
        result = docker_backend.run_fast(
            kind="python",
            program=source,
            argv=["/program/big.py"],
            stdin=None,
            stdout=stdout,
            limits=Limits(time_s=5.0, memory_mib=memory_mib),
            language=python3,
        )
        assert (result.exit_code == 0) == (expected == 0), result
    caps = []
    for container in docker_backend.containers():
        container.reload()
        caps.append(container.attrs["HostConfig"]["Memory"])
    assert max(caps) >= (1024 + 256) * 1024 * 1024


def test_the_cli_judges_with_the_docker_backend(docker_backend: DockerBackend) -> None:
    from typer.testing import CliRunner

    from solver.cli import app

    package = REPO / "problems" / "paving"
    source = package / "submissions" / "accepted" / "paving.py"
    args = ["judge", "--backend", "docker", "--json", str(package), str(source)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert json.loads(result.output[result.output.index("{") :])["verdict"] == "AC"
    doctor = CliRunner().invoke(app, ["doctor"])
    assert "yes  docker engine: reachable" in doctor.output
    assert f"yes  docker image {DEFAULT_IMAGE}: present" in doctor.output


def test_open_backend_names_both_and_refuses_others() -> None:
    with pytest.raises(IsolationError, match="unknown backend"):
        open_backend("podman")
    with open_backend("local", warn=False) as local:
        assert local.isolated in (True, False)


def test_images_are_chosen_per_language(docker_backend: DockerBackend, tmp_path: Path) -> None:
    client = docker_backend._client
    client.images.get(DEFAULT_IMAGE).tag("solver-sandbox", "pytest-python")
    custom = DockerBackend({"python3": "solver-sandbox:pytest-python"}, warn=False)
    try:
        python3, cpp = language_by_id("python3"), language_by_id("cpp")
        assert custom.image_for(python3) == "solver-sandbox:pytest-python"
        assert custom.image_for(cpp) == DEFAULT_IMAGE
        source = write(tmp_path / "hello.py", "print('hello')\n")
        result = custom.run_fast(
            kind="python",
            program=source,
            argv=["/program/hello.py"],
            stdin=None,
            stdout=tmp_path / "stdout",
            limits=Limits(time_s=2.0, memory_mib=256),
            language=python3,
        )
        assert result.exit_code == 0 and (tmp_path / "stdout").read_text() == "hello\n"
        used = {c.attrs["Config"]["Image"] for c in custom.containers()}
        assert used == {"solver-sandbox:pytest-python"}
    finally:
        custom.close()
        client.images.remove("solver-sandbox:pytest-python")
    with pytest.raises(IsolationError, match="not present"):
        DockerBackend({"python3": "solver-no-such-image:0"}, warn=False)


# -- the hostile corpus ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile_results(docker_judge: Judge, tmp_path_factory: pytest.TempPathFactory) -> dict:
    target = make_package(
        tmp_path_factory.mktemp("hostile-docker") / "sum",
        problem_yaml="name: Sum\nlimits:\n  memory: 256\n  output: 1\n",
        tests={"sample/1": ("1 2\n", "3\n")},
    )
    before = _snapshot(target)
    sources = sorted(CORPUS.iterdir())
    problem = load_problem(target)

    def judged(source: Path):
        return source.name, docker_judge.judge(
            problem, source, detect_language(source), tests=problem.tests(), time_limit_s=1.0
        )

    with ThreadPoolExecutor(2) as pool:
        results = dict(pool.map(judged, sources))
    return {"results": results, "before": before, "after": _snapshot(target)}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_the_hostile_corpus_is_contained(hostile_results: dict, name: str) -> None:
    result = hostile_results["results"][name]
    assert result.verdict in EXPECTED[name], (name, result.to_json())


def test_the_hostile_corpus_leaves_nothing(
    hostile_results: dict, docker_backend: DockerBackend
) -> None:
    assert hostile_results["after"] == hostile_results["before"]
    for place in MARK_PLACES:
        assert not place.exists(), place
    assert not (Path(os.path.expanduser("~")) / "hostile-mark").exists()
    for container in docker_backend.containers():
        processes = container.top()["Processes"] or []
        # Only each warm container's own pid 1: a fork server, or an idle box's `sleep`.
        assert len(processes) == 1, processes


# -- real packages -----------------------------------------------------------------------------


@pytest.mark.shared
@pytest.mark.slow
def test_a_real_package_gets_the_same_verdicts_in_both_backends(
    docker_judge: Judge, judge: Judge, cache_dir: Path, tmp_path: Path
) -> None:
    if not KATTIS_TAR.is_file():
        pytest.skip(f"{KATTIS_TAR} is absent: ../shared must sit beside the checkout")
    prefix = f"kattis/{PARITY_PACKAGE}/"
    kept = {f"{prefix}submissions/{name}" for name in PARITY_SUBMISSIONS}
    with tarfile.open(KATTIS_TAR) as archive:
        members = [
            m
            for m in archive.getmembers()
            if m.name.startswith(prefix)
            and (not m.name.startswith(f"{prefix}submissions/") or m.isdir() or m.name in kept)
        ]
        archive.extractall(tmp_path, members=members, filter="data")
    problems = [load_problem(tmp_path / "kattis" / PARITY_PACKAGE)]
    verdicts = {}
    for name, which in (("local", judge), ("docker", docker_judge)):
        outcomes = check_problems(problems, which, cache_dir=cache_dir, jobs=2)
        verdicts[name] = {o.path: str(o.verdict) for o in outcomes}
    assert sorted(verdicts["local"].values()) == ["AC", "AC", "TLE", "WA"], verdicts
    assert verdicts["docker"] == verdicts["local"]
