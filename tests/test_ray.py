"""The Ray executor against a real Ray cluster on this machine: a head node and a worker node,
each with one CPU, started by `ray start` for this module and stopped (every process of theirs,
by pid) at its end. The replays are the real command on bundled problems.

Their pools are the packages' submissions without the too-slow ones, plus a correct program that
sleeps before answering: a slow program's CPU time moves with the machine's load (it decides
scorer features), which would make any two replays differ, local or not; a sleeping one gives
tasks long enough to kill mid-run and the same features every time."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.ray

PROBLEMS = REPO / "problems"
SLUGS = ["paving", "printshop"]
LANGUAGES = {".cpp": "cpp", ".py": "python3", ".c": "c", ".java": "java"}
SLEEPY = "import time\n\ntime.sleep(0.15)\n"
START_TIMEOUT_S = 120


@dataclass
class Cluster:
    address: str
    starters: list[subprocess.Popen]  # the `ray start --block` processes
    temp_dir: Path
    env: dict[str, str]  # for the drivers: the cluster's own settings


def _children() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            # The command name may hold spaces and parentheses: the ppid follows the last ')'.
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry.name))
    return children


def _descendants(pids: list[int]) -> list[int]:
    children = _children()
    found: list[int] = []
    todo = list(pids)
    while todo:
        pid = todo.pop()
        for child in children.get(pid, []):
            found.append(child)
            todo.append(child)
    return found


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode().strip()
    except OSError:
        return ""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _alive_nodes(address: str, env: dict[str, str]) -> int:
    script = (
        "import logging, ray\n"
        f"ray.init(address={address!r}, logging_level=logging.ERROR, log_to_driver=False)\n"
        "print(sum(1 for n in ray.nodes() if n['Alive']))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, env=env
    )
    return int(done.stdout.strip() or 0) if done.returncode == 0 else 0


def _stop(cluster_processes: list[subprocess.Popen]) -> None:
    """Every process the starters spawned (raylets, GCS, workers), by pid: never `ray stop`,
    which would also stop other Ray instances on the machine."""
    roots = [p.pid for p in cluster_processes]
    every = roots + _descendants(roots)
    for pid in every:
        with _ignore_gone():
            os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(p.poll() is None for p in cluster_processes):
        time.sleep(0.2)
    every += _descendants(roots)  # anything started while stopping
    for pid in every:
        with _ignore_gone():
            os.kill(pid, signal.SIGKILL)
    for process in cluster_processes:
        process.wait(timeout=30)


class _ignore_gone:
    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: object, *rest: object) -> bool:
        return kind is ProcessLookupError


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    try:
        import ray  # noqa: F401
    except ImportError:
        pytest.skip("ray is not installed (bash install.sh installs it)")
    ray_command = shutil.which("ray") or str(Path(sys.executable).with_name("ray"))
    # Short: Ray's Unix socket paths under it must fit in 107 bytes.
    temp_dir = Path(tempfile.mkdtemp(prefix="ray-t-", dir="/tmp"))
    port = _free_port()
    # A loopback cluster of this test alone: no token (a token file in ~/.ray, left by any
    # earlier `ray.init()`, would otherwise switch token authentication on).
    env = dict(os.environ, RAY_USAGE_STATS_ENABLED="0", RAY_AUTH_MODE="disabled")
    node = [
        "--block",
        "--num-cpus=1",
        "--object-store-memory=200000000",
        "--disable-usage-stats",
        "--node-ip-address=127.0.0.1",
        f"--temp-dir={temp_dir}",
    ]
    starters: list[subprocess.Popen] = []

    def start(args: list[str], log: str) -> subprocess.Popen:
        with open(temp_dir / log, "wb") as out:
            process = subprocess.Popen(
                [ray_command, "start", *args, *node],
                stdout=out,
                stderr=subprocess.STDOUT,
                env=env,
                start_new_session=True,
            )
        starters.append(process)
        return process

    address = f"127.0.0.1:{port}"
    try:
        head = start(["--head", f"--port={port}", "--include-dashboard=false"], "head.log")
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            if head.poll() is not None:
                log = (temp_dir / "head.log").read_text(errors="replace")[-600:]
                pytest.skip(f"the Ray head node did not start here: {log}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.skip("the Ray head node did not open its port within 2 minutes")
                time.sleep(0.5)
        start([f"--address={address}"], "worker.log")
        while _alive_nodes(address, env) < 2:
            if time.monotonic() > deadline:
                pytest.skip("the Ray worker node did not join within 2 minutes")
            time.sleep(1)
        yield Cluster(address, starters, temp_dir, env)
    finally:
        _stop(starters)
        shutil.rmtree(temp_dir, ignore_errors=True)


def _contest(folder: Path) -> Path:
    lines = ["name: Ray test", "duration_minutes: 100", "problems:"]
    lines += [f"  - {{label: {chr(65 + n)}, path: {PROBLEMS / s}}}" for n, s in enumerate(SLUGS)]
    path = folder / "contest.yaml"
    path.write_text("\n".join(lines) + "\n")
    return path


def _pools(folder: Path) -> Path:
    """`<slug>.jsonl` per problem: accepted and wrong submissions, and a sleepy accepted one."""
    pools = folder / "pools"
    pools.mkdir(exist_ok=True)
    for slug in SLUGS:
        entries = []
        for verdict in ("accepted", "wrong_answer"):
            for path in sorted((PROBLEMS / slug / "submissions" / verdict).iterdir()):
                source = path.read_text()
                entries.append({"language": LANGUAGES[path.suffix], "source": source})
                if verdict == "accepted" and path.suffix == ".py":
                    entries.append({"language": "python3", "source": SLEEPY + source})
        (pools / f"{slug}.jsonl").write_text("".join(json.dumps(e) + "\n" for e in entries))
    return pools


def _replay_command(folder: Path, store: str, *extra: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "solver",
        "replay",
        str(_contest(folder)),
        "--pool",
        str(_pools(folder)),
        "--inputs",
        "10",
        "--json",
        "--store",
        store,
        *extra,
    ]


def _repeated(store: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(store) as db:
        return db.execute(
            "SELECT kind, key FROM work_log GROUP BY kind, key HAVING COUNT(*) > 1"
        ).fetchall()


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("ray-replay")


@pytest.fixture(scope="module")
def local_summary(workdir: Path) -> dict:
    done = subprocess.run(
        _replay_command(workdir, "local.sqlite"),
        cwd=workdir,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_doctor_reports_every_node_and_its_sandbox(cluster: Cluster) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "solver", "doctor", "--ray-address", cluster.address],
        capture_output=True,
        text=True,
        timeout=300,
        env=cluster.env,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"ray cluster at {cluster.address} (local backend): 2 nodes, 2 CPUs" in done.stdout
    nodes = [line for line in done.stdout.splitlines() if line.startswith("  node ")]
    assert len(nodes) == 2, done.stdout
    for line in nodes:
        assert "1 CPUs, sandbox healthy (a sandboxed run printed 42)" in line, line


def test_ray_replay_gives_the_local_results(
    cluster: Cluster, workdir: Path, local_summary: dict
) -> None:
    done = subprocess.run(
        _replay_command(
            workdir, "ray.sqlite", "--executor", "ray", "--ray-address", cluster.address
        ),
        cwd=workdir,
        capture_output=True,
        text=True,
        timeout=600,
        env=cluster.env,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == local_summary
    assert "(ray executor)" in done.stderr and "worker processes" in done.stderr
    assert _repeated(workdir / "ray.sqlite") == []
    with sqlite3.connect(workdir / "ray.sqlite") as db:
        runs = db.execute("SELECT COUNT(*) FROM runs").fetchone()[0]
    assert runs > 50  # the candidates' runs went through the executor and were recorded


def test_killing_a_worker_mid_task_changes_no_result(
    cluster: Cluster, workdir: Path, local_summary: dict
) -> None:
    command = _replay_command(
        workdir, "killed.sqlite", "--executor", "ray", "--ray-address", cluster.address
    )
    replay = subprocess.Popen(
        command,
        cwd=workdir,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=cluster.env,
    )
    killed: list[int] = []
    roots = [p.pid for p in cluster.starters]
    deadline = time.monotonic() + 300
    while not killed and replay.poll() is None and time.monotonic() < deadline:
        busy = [p for p in _descendants(roots) if _cmdline(p).startswith("ray::_run_jobs")]
        if busy:  # its title says it is running a batch of runs right now
            os.kill(busy[0], signal.SIGKILL)
            killed.append(busy[0])
        time.sleep(0.02)
    out, err = replay.communicate(timeout=600)
    assert killed, "no Ray task was caught running: nothing was killed"
    assert replay.returncode == 0, err
    assert out.lstrip().startswith("{"), out[:2000] + err[-2000:]
    assert json.loads(out) == local_summary
    assert _repeated(workdir / "killed.sqlite") == []  # the retried batch was recorded once


def test_an_unreachable_cluster_is_one_line() -> None:
    pytest.importorskip("ray", reason="ray is not installed")
    port = _free_port()  # nothing listens there
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "solver",
            "replay",
            str(PROBLEMS / "paving"),
            "--pool",
            "submissions",
            "--executor",
            "ray",
            "--ray-address",
            f"127.0.0.1:{port}",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2, done.stderr
    assert (
        done.stderr.strip()
        .splitlines()[-1]
        .startswith(f"error: no Ray cluster answers at 127.0.0.1:{port}")
    )
    assert "Traceback" not in done.stderr


def test_a_ray_address_without_the_ray_executor_is_refused(tmp_path: Path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "solver",
            "solve",
            str(PROBLEMS / "paving"),
            "--pool",
            str(PROBLEMS / "paving" / "submissions"),
            "--ray-address",
            "auto",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 2
    assert "error: --ray-address needs --executor ray" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_node_whose_sandbox_lacks_a_protection_runs_nothing(cluster: Cluster) -> None:
    # As a node without bubblewrap would be: the driver requires what its own sandbox has.
    script = f"""
import sys
from pathlib import Path
from sandbox.backends.local import LocalBackend
from sandbox.batch import RunJob
from sandbox.build import Builder
from sandbox.cache import default_cache_dir
from sandbox.errors import IsolationError
from sandbox.languages import language_by_id
from sandbox.limits import Limits
from solver.executor import RayExecutor

problem = Path({str(PROBLEMS / "paving")!r})
with LocalBackend(warn=False) as backend:
    built = Builder(backend, default_cache_dir()).build(
        problem / "submissions" / "accepted" / "paving.py", language_by_id("python3")
    )
    job = RunJob(built.program, problem / "data" / "sample" / "1.in", Limits(2.0), "p")
    executor = RayExecutor({cluster.address!r}, "local", frozenset({{"a protection no node has"}}))
    try:
        list(executor.run_batch(backend, [job]))
    except IsolationError as error:
        print("refused:", error)
    finally:
        executor.close()
"""
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=300,
        env=cluster.env,
    )
    assert "refused: Ray node" in done.stdout, done.stdout + done.stderr
    assert "lacks what this machine's has (a protection no node has)" in done.stdout
