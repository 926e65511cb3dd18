"""The `solver` command line: a thin layer over the judge and the solver's stages."""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext, redirect_stdout
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from sandbox.backends import open_backend
from sandbox.backends.local import LocalBackend
from sandbox.build import Builder
from sandbox.cache import default_cache_dir
from sandbox.check import CheckOutcome, check_problems
from sandbox.errors import SandboxError
from sandbox.judge import Judge, JudgeResult
from sandbox.languages import detect_language, language_by_id
from sandbox.problem import Problem, load_problem
from sandbox.timelimit import ResolvedTimeLimit, resolve_time_limit
from sandbox.verdicts import Verdict
from solver.config import Settings, resolve_settings
from solver.datasets import export_codeflaws
from solver.errors import ModelError, SolverError
from solver.executor import Executor
from solver.sampler import Progress, SamplingConfig, sample_problem, summary_line

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="An AlphaCode-2-style solver for competitive programming, and the judge it runs on.",
)

EXIT_ACCEPTED = 0
EXIT_REJECTED = 1
EXIT_USAGE = 2


class TestSelection(StrEnum):
    sample = "sample"
    secret = "secret"
    all = "all"


def _fail(message: str) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(EXIT_USAGE)


class BackendName(StrEnum):
    local = "local"
    docker = "docker"


BackendOption = Annotated[
    BackendName,
    typer.Option(
        "--backend", help="local (bubblewrap on this machine) or docker (a Docker engine)."
    ),
]


class ExecutorName(StrEnum):
    local = "local"
    ray = "ray"


ExecutorOption = Annotated[
    ExecutorName,
    typer.Option(
        "--executor",
        help="Where candidate runs execute: local (this machine) or ray (Ray tasks on a "
        "cluster, each node running the same sandbox).",
    ),
]
RayAddressOption = Annotated[
    str | None,
    typer.Option(
        "--ray-address",
        help="With --executor ray: HOST:PORT of a running cluster, or auto (the one `ray start` "
        "runs on this machine); without it, a Ray instance of this machine is started.",
    ),
]


@contextmanager
def _executor(
    name: str, address: str | None, backend_name: str = "local", judge_: Judge | None = None
) -> Iterator[Executor]:
    """The executor for candidate runs; raises ExecutorError (one line) if it cannot start.
    Ray nodes must have every protection that `judge_`'s backend (this machine's) has."""
    from solver.executor import open_executor

    required = frozenset(
        p.name for p in (judge_.backend.protections() if judge_ is not None else []) if p.active
    )
    # Ray's driver prints its cluster's error reports (a worker died, a task is retried) on
    # stdout: they go to stderr, so that stdout stays the command's own (--json).
    with redirect_stdout(sys.stderr) if name == "ray" else nullcontext():
        executor = open_executor(name, ray_address=address, backend=backend_name, required=required)
        try:
            yield executor
        finally:
            executor.close()


def _check_executor(name: str, address: str | None) -> None:
    if address is not None and name != "ray":
        raise _fail("--ray-address needs --executor ray")


def _executor_note(executor: Executor) -> None:
    stats = getattr(executor, "stats", None)
    if stats is not None and stats.tasks:
        figures = stats.to_json()
        typer.echo(
            f"ray: {figures['runs']} runs in {figures['tasks']} tasks on "
            f"{figures['worker_processes']} worker processes; per task "
            f"{figures['run_ms_per_task']} ms running, {figures['round_trip_ms_per_task']} ms "
            "from submit to result",
            err=True,
        )


@contextmanager
def _judge(backend_name: str = "local") -> Iterator[Judge]:
    with open_backend(backend_name) as backend:
        yield Judge(backend, Builder(backend, default_cache_dir()))


def _mib(kib: int) -> str:
    return f"{kib / 1024:.0f} MiB"


def _print_judgement(problem: Problem, result: JudgeResult, limit: ResolvedTimeLimit) -> None:
    typer.echo(f"problem   {problem.slug} ({problem.name})")
    typer.echo(f"limits    {limit.seconds:g} s ({limit.explanation}), {problem.memory_mib} MiB")
    compiled = "cached" if result.compile.cached else f"{result.compile.time_s:.2f} s"
    status = "compiled" if result.compile.ok else "compile error"
    typer.echo(f"source    {result.source} ({result.language}, {status}, {compiled})")
    if not result.compile.ok:
        typer.echo(result.compile.message)
    width = max((len(t.name) for t in result.tests), default=0)
    for test in result.tests:
        line = f"  {test.name:<{width}}  {test.verdict!s:<3}  {test.time_s:6.3f} s  "
        line += f"{_mib(test.memory_kib):>8}"
        if test.message and test.verdict is not Verdict.AC:
            line += f"  {test.message.splitlines()[0][:160]}"
        typer.echo(line)
    failed = next((t for t in result.tests if t.verdict is not Verdict.AC), None)
    where = f" on {failed.name}" if failed else ""
    typer.echo(f"verdict   {result.verdict} ({result.verdict.description}){where}")


@app.command()
def judge(
    problem_dir: Annotated[Path, typer.Argument(help="A problem package folder.")],
    source: Annotated[Path, typer.Argument(help="The program to judge (a file or a folder).")],
    language: Annotated[
        str | None, typer.Option("--language", "-l", help="c, cpp, python3 or java.")
    ] = None,
    tests: Annotated[
        TestSelection, typer.Option(help="Which tests: sample, secret or all.")
    ] = TestSelection.all,
    all_tests: Annotated[
        bool, typer.Option("--all-tests", help="Run every test, not stop at the first failure.")
    ] = False,
    time_limit: Annotated[
        float | None, typer.Option("--time-limit", help="Override the time limit (seconds).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    backend: BackendOption = BackendName.local,
) -> None:
    """Judge one program on a problem's tests. Exit 0 if accepted, 1 if not, 2 on errors."""
    try:
        problem = load_problem(problem_dir)
        problem.require_judgeable()
        if not source.exists():
            raise _fail(f"{source}: no such file")
        chosen = language_by_id(language) if language else detect_language(source)
        with _judge(backend) as judge_:
            if time_limit is not None:
                limit = ResolvedTimeLimit(time_limit, "given with --time-limit")
            else:
                limit = resolve_time_limit(problem, judge_, default_cache_dir())
            result = judge_.judge(
                problem,
                source,
                chosen,
                tests=problem.tests(tests.value),
                time_limit_s=limit.seconds,
                stop_at_first_failure=not all_tests,
                transcripts=as_json,
            )
    except SandboxError as error:
        raise _fail(str(error)) from None
    if as_json:
        typer.echo(json.dumps(result.to_json(), indent=2))
    else:
        _print_judgement(problem, result, limit)
    raise typer.Exit(EXIT_ACCEPTED if result.verdict is Verdict.AC else EXIT_REJECTED)


@app.command()
def check(
    problem_dirs: Annotated[list[Path], typer.Argument(help="Problem package folders.")],
    jobs: Annotated[
        int, typer.Option("--jobs", "-j", help="Submissions judged at once.")
    ] = os.cpu_count() or 1,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    backend: BackendOption = BackendName.local,
) -> None:
    """Judge every submission in each package's submissions/ against its expected verdict."""
    problems: list[Problem] = []
    load_errors = []
    for folder in problem_dirs:
        try:
            problems.append(load_problem(folder))
        except SandboxError as error:
            load_errors.append(str(error))
            typer.echo(f"error: {error}", err=True)
    total = sum(len(p.submissions) for p in problems)
    done = 0
    progress = sys.stderr if as_json else sys.stdout

    def on_outcome(outcome: CheckOutcome) -> None:
        nonlocal done
        done += 1
        mark = {True: "ok  ", False: "FAIL", None: "skip"}[outcome.ok]
        got = str(outcome.verdict) if outcome.verdict is not None else "-"
        line = f"[{done:>{len(str(total))}}/{total}] {mark} {outcome.problem}/{outcome.path}"
        line += f"  expected {outcome.expected}, got {got}"
        if outcome.note and outcome.ok is not True:
            line += f"  ({outcome.note.splitlines()[0][:160]})"
        print(line, file=progress, flush=True)

    def on_time_limit(problem: Problem, limit: ResolvedTimeLimit) -> None:
        if problem.time_limit.seconds is None:
            print(
                f"{problem.slug}: time limit {limit.seconds:g} s, {limit.explanation}",
                file=progress,
                flush=True,
            )

    try:
        with _judge(backend) as judge_:
            outcomes = check_problems(
                problems,
                judge_,
                cache_dir=default_cache_dir(),
                jobs=jobs,
                on_outcome=on_outcome,
                on_time_limit=on_time_limit,
            )
    except SandboxError as error:
        raise _fail(str(error)) from None
    judged = [o for o in outcomes if o.ok is not None]
    matched = sum(1 for o in judged if o.ok)
    not_judged = [o for o in outcomes if o.ok is None]
    if as_json:
        report = {
            "submissions": [o.to_json() for o in judged],
            "matched": matched,
            "total": len(judged),
            "not_judged": [o.to_json() for o in not_judged],
            "package_errors": load_errors,
        }
        typer.echo(json.dumps(report, indent=2))
    else:
        typer.echo(
            f"matched {matched}/{len(judged)} judged submissions; "
            f"{len(not_judged)} not judged; {len(load_errors)} package errors"
        )
        for outcome in judged:
            if not outcome.ok:
                typer.echo(
                    f"  mismatch: {outcome.problem}/{outcome.path}: expected "
                    f"{outcome.expected}, got {outcome.verdict}"
                )
    if load_errors:
        raise typer.Exit(EXIT_USAGE)
    raise typer.Exit(EXIT_ACCEPTED if matched == len(judged) else EXIT_REJECTED)


@app.command("import-codeflaws")
def import_codeflaws(
    source: Annotated[Path, typer.Argument(help="codeflaws-dev.jsonl.gz")],
    out_dir: Annotated[Path, typer.Argument(help="Where to write one package per problem.")],
    all_problems: Annotated[
        bool, typer.Option("--all", help="Also problems that need a special judge.")
    ] = False,
    limit: Annotated[int | None, typer.Option(help="At most this many problems.")] = None,
) -> None:
    """Write Codeflaws problems as problem packages, for `check` and replay."""
    if not source.is_file():
        raise _fail(f"{source}: no such file")
    try:
        summary = export_codeflaws(source, out_dir, clean_only=not all_problems, limit=limit)
    except (ValueError, KeyError) as error:
        raise _fail(f"{source}: {error}") from None
    typer.echo(
        f"wrote {summary.problems} packages to {out_dir}: {summary.accepted} accepted and "
        f"{summary.rejected} rejected submissions ({summary.left_out_incorrect} incorrect "
        "submissions that pass every kept test were left out)"
    )


@app.command()
def doctor(
    ray_address: Annotated[
        str | None,
        typer.Option(
            "--ray-address",
            help="Also report this Ray cluster (HOST:PORT or auto): its nodes, CPUs, and each "
            "node's sandbox, checked by a task on that node.",
        ),
    ] = None,
    backend: BackendOption = BackendName.local,
) -> None:
    """Report which protections the sandbox has on this machine, and which it lacks.

    With --ray-address, exit 1 when a node's sandbox is not healthy."""
    from sandbox.backends.docker import doctor_lines

    with LocalBackend(warn=False) as local:
        for protection in local.protections():
            mark = "yes" if protection.active else "NO "
            typer.echo(f"{mark}  {protection.name}: {protection.detail}")
    typer.echo("docker backend (--backend docker):")
    for line in doctor_lines():
        typer.echo(line)
    if ray_address is None:
        return
    from solver.executor import RayExecutor

    try:
        with _executor("ray", ray_address, backend) as executor:
            assert isinstance(executor, RayExecutor)
            nodes = executor.doctor()
    except SolverError as error:
        raise _fail(str(error)) from None
    cpus = sum(node["cpus"] for node in nodes)
    typer.echo(f"ray cluster at {ray_address} ({backend} backend): {len(nodes)} nodes, {cpus} CPUs")
    for node in nodes:
        state = "healthy" if node["healthy"] else "NOT HEALTHY"
        missing = [name for name, active, _ in node.get("protections", []) if not active]
        line = (
            f"  node {node['node']} {node['address']} ({node.get('host', '?')}): "
            f"{node['cpus']} CPUs, sandbox {state} ({node['note']})"
        )
        if missing:
            line += f"; missing: {', '.join(missing)}"
        typer.echo(line)
    if not all(node["healthy"] for node in nodes):
        raise typer.Exit(1)


# Model options shared by `sample` and `solve`.
SampleLanguageOption = Annotated[
    str, typer.Option("--language", "-l", help="cpp or python3 (also c, java).")
]
BaseUrlOption = Annotated[
    str | None, typer.Option(help="OpenAI-compatible endpoint, e.g. http://127.0.0.1:8000/v1.")
]
ModelOption = Annotated[str | None, typer.Option("--model", "-m", help="The model's name.")]
ApiKeyOption = Annotated[str | None, typer.Option(help="Better: SOLVER_API_KEY.")]
ConfigOption = Annotated[
    Path | None, typer.Option(help="TOML file (default ~/.config/solver/config.toml).")
]
HintOption = Annotated[
    list[str] | None, typer.Option("--hint", help="A hint for the model (repeatable).")
]


@app.command()
def sample(
    problem_dir: Annotated[Path, typer.Argument(help="A problem package folder.")],
    samples: Annotated[int, typer.Option("--samples", "-n", min=1, help="Samples to draw.")],
    language: SampleLanguageOption = "cpp",
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Write the programs to this JSONL pool.")
    ] = None,
    base_url: BaseUrlOption = None,
    model: ModelOption = None,
    api_key: ApiKeyOption = None,
    config: ConfigOption = None,
    concurrency: Annotated[int | None, typer.Option(min=1, help="Requests at once.")] = None,
    max_tokens: Annotated[int | None, typer.Option(min=1, help="Per sample.")] = None,
    temperature_min: Annotated[float | None, typer.Option()] = None,
    temperature_max: Annotated[float | None, typer.Option()] = None,
    budget_tokens: Annotated[
        int | None, typer.Option(help="Stop before spending more tokens than this.")
    ] = None,
    budget_cost: Annotated[
        float | None, typer.Option(help="Stop before spending more than this (needs prices).")
    ] = None,
    seed: Annotated[int, typer.Option(help="Seeds temperatures and prompt metadata.")] = 0,
    hint: HintOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Draw candidate programs from a model into a pool; cached, so a rerun sends no request."""
    progress = Progress(sys.stderr)
    try:
        problem = load_problem(problem_dir)
        options = {
            "base_url": base_url,
            "model": model,
            "api_key": api_key,
            "concurrency": concurrency,
            "max_tokens": max_tokens,
            "temperature_min": temperature_min,
            "temperature_max": temperature_max,
        }
        settings, sampling = _model_sampling(
            options,
            config,
            samples,
            language,
            seed,
            budget_tokens=budget_tokens,
            budget_cost=budget_cost,
        )
        run = sample_problem(
            problem, settings, sampling, hints=tuple(hint or ()), out=out, on_sample=progress
        )
    except KeyboardInterrupt:
        progress.finish()
        typer.echo(f"interrupted: {progress.kept} samples kept", err=True)
        raise typer.Exit(130) from None
    except ModelError as error:  # every sample drawn is in the cache (and in --out)
        progress.finish()
        where = f" in {out}" if out is not None else ""
        raise _fail(f"{error}; {progress.kept} samples kept{where}") from None
    except (SandboxError, SolverError) as error:
        progress.finish()
        raise _fail(str(error)) from None
    progress.finish()
    if as_json:
        report = {"problem": problem.slug, **run.stats.to_json(), "out": out and str(out)}
        typer.echo(json.dumps(report, indent=2))
    else:
        typer.echo(summary_line(run.stats, out))


def _model_sampling(
    options: dict[str, object],
    config: Path | None,
    samples: int,
    language: str,
    seed: int,
    *,
    budget_tokens: int | None = None,
    budget_cost: float | None = None,
) -> tuple[Settings, SamplingConfig]:
    """The endpoint's settings (command-line `options` over the config file's) and the
    sampling plan of `sample`, `solve` and `replay`."""
    settings = resolve_settings(options, config_file=config)
    sampling = SamplingConfig(
        samples=samples,
        languages=(language_by_id(language).id,),
        max_tokens=settings.max_tokens,
        temperature_min=settings.temperature_min,
        temperature_max=settings.temperature_max,
        seed=seed,
        budget_tokens=budget_tokens,
        budget_cost=budget_cost,
    )
    return settings, sampling


ModelInputsOption = Annotated[
    int,
    typer.Option(
        min=0,
        help="With a model: input generators (and as many validators) to ask it for; 0: none.",
    ),
]


@app.command()
def solve(
    problem_dir: Annotated[Path, typer.Argument(help="A problem package folder.")],
    pool: Annotated[
        Path | None,
        typer.Option(help="Candidates from a recorded pool (JSONL or a folder), not a model."),
    ] = None,
    samples: Annotated[int, typer.Option("--samples", "-n", min=1, help="Samples to draw.")] = 100,
    language: SampleLanguageOption = "cpp",
    base_url: BaseUrlOption = None,
    model: ModelOption = None,
    api_key: ApiKeyOption = None,
    config: ConfigOption = None,
    hint: HintOption = None,
    prop: Annotated[
        list[str] | None,
        typer.Option(
            "--property",
            help="A Python expression over inp and out that correct outputs satisfy, checked "
            "in the sandbox (repeatable).",
        ),
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Write the ranked sources to this folder.")
    ] = None,
    seed: Annotated[int, typer.Option(help="Seeds sampling and input generation.")] = 0,
    inputs: Annotated[int, typer.Option(min=0, help="Generated inputs for clustering.")] = 30,
    order: Annotated[
        str, typer.Option(help="score (AlphaCode 2) or size (AlphaCode 1: largest cluster first).")
    ] = "score",
    time_limit: Annotated[
        float | None, typer.Option("--time-limit", help="Override the time limit (seconds).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    ask: Annotated[
        bool,
        typer.Option(
            "--ask",
            help="Ask at the terminal which output is right where the clusters disagree "
            "(answers are saved: a rerun asks nothing twice).",
        ),
    ] = False,
    max_questions: Annotated[int, typer.Option(min=0, help="Questions at most.")] = 5,
    oracle_program: Annotated[
        Path | None,
        typer.Option(help="A trusted slow program that answers the questions (in the sandbox)."),
    ] = None,
    oracle_answers: Annotated[
        Path | None, typer.Option(help='Answers given ahead: JSONL {"input", "output"}.')
    ] = None,
    model_inputs: ModelInputsOption = 4,
    backend: BackendOption = BackendName.local,
    executor: ExecutorOption = ExecutorName.local,
    ray_address: RayAddressOption = None,
) -> None:
    """Sample (or load) candidates, filter, cluster, score: print up to ten ranked submissions.

    Exit 0 with at least one submission, 1 when no candidate passed the examples, 2 on errors.
    """
    # Imported here: the selection stages (and scikit-learn's numpy) load only for `solve`.
    from solver.dialogue import oracle_from_options
    from solver.hints import parse_properties
    from solver.model_inputs import ModelInputsConfig, ModelInputsPlan
    from solver.pipeline import PipelineConfig, run_pipeline
    from solver.pool import load_pool
    from solver.report import StreamReporter, solve_json, table, write_submissions

    if order not in ("score", "size"):
        raise _fail(f"--order must be score or size, not {order!r}")
    _check_executor(executor, ray_address)
    try:
        parse_properties(tuple(prop or ()))  # a typo is reported before anything runs
    except SolverError as error:
        raise _fail(str(error)) from None
    if time_limit is not None and time_limit <= 0:
        raise _fail("--time-limit must be positive")
    progress = Progress(sys.stderr)
    sampling_report = None
    plan = None
    try:
        problem = load_problem(problem_dir)
        problem.require_judgeable()
        oracle = oracle_from_options(
            problem,
            ask=ask,
            max_questions=max_questions,
            program=oracle_program,
            answers=oracle_answers,
        )
        if pool is not None:
            candidates = load_pool(pool)
            if hint:
                typer.echo("note: --hint is unused: no model is asked with --pool", err=True)
            typer.echo(f"pool: {len(candidates)} distinct programs from {pool}", err=True)
        else:
            options = {"base_url": base_url, "model": model, "api_key": api_key}
            settings, sampling = _model_sampling(options, config, samples, language, seed)
            run = sample_problem(
                problem, settings, sampling, hints=tuple(hint or ()), on_sample=progress
            )
            progress.finish()
            typer.echo(summary_line(run.stats), err=True)
            candidates = list(run.candidates)
            sampling_report = run.stats.to_json()
            if model_inputs:
                plan = ModelInputsPlan(settings, ModelInputsConfig(model_inputs, model_inputs))
        pipeline_config = PipelineConfig(
            inputs=inputs,
            seed=seed,
            order=order,  # type: ignore[arg-type]
            properties=tuple(prop or ()),
            time_limit_s=time_limit,
            oracle=oracle,
            model_inputs=plan,
        )
        with _judge(backend) as judge_, _executor(executor, ray_address, backend, judge_) as runs:
            result = run_pipeline(
                problem,
                candidates,
                judge_,
                config=pipeline_config,
                reporter=StreamReporter(),
                executor=runs,
            )
            _executor_note(runs)
    except KeyboardInterrupt:
        progress.finish()
        typer.echo("interrupted", err=True)
        raise typer.Exit(130) from None
    except ModelError as error:
        progress.finish()
        raise _fail(f"{error}; {progress.kept} samples kept in the cache") from None
    except (SandboxError, SolverError) as error:
        progress.finish()
        raise _fail(str(error)) from None
    files = write_submissions(result, out) if out is not None else None
    if as_json:
        typer.echo(json.dumps(solve_json(result, sampling_report), indent=2))
    else:
        typer.echo(table(result, files))
        for line in result.oracle.describe() if result.oracle is not None else []:
            typer.echo(line)
    raise typer.Exit(EXIT_ACCEPTED if result.submissions else EXIT_REJECTED)


@app.command()
def replay(
    paths: Annotated[
        list[Path],
        typer.Argument(
            help="A contest file, a folder of packages (or with a contest.yaml), or packages."
        ),
    ],
    pool: Annotated[
        str | None,
        typer.Option(
            help="'submissions' (each package's own, labels hidden), or a folder of pools "
            "(<slug>.jsonl or <slug>/); without it, a model is sampled."
        ),
    ] = None,
    samples: Annotated[int, typer.Option("--samples", "-n", min=1, help="Samples to draw.")] = 100,
    language: SampleLanguageOption = "cpp",
    base_url: BaseUrlOption = None,
    model: ModelOption = None,
    api_key: ApiKeyOption = None,
    config: ConfigOption = None,
    store: Annotated[
        Path, typer.Option(help="The SQLite store: rerun the same command to continue.")
    ] = Path("replay.sqlite"),
    report: Annotated[
        Path | None, typer.Option(help="Write report.md, report.html, plots and summary.json here.")
    ] = None,
    jobs: Annotated[int, typer.Option(min=1, help="Problems solved at once.")] = 1,
    seed: Annotated[int, typer.Option(help="Seeds sampling, input generation, n@k draws.")] = 0,
    inputs: Annotated[int, typer.Option(min=0, help="Generated inputs for clustering.")] = 30,
    order: Annotated[
        str, typer.Option(help="score (AlphaCode 2) or size (AlphaCode 1: largest cluster first).")
    ] = "score",
    draws: Annotated[int, typer.Option(min=1, help="Subsamples per sample size for n@k.")] = 40,
    model_inputs: ModelInputsOption = 4,
    backend: BackendOption = BackendName.local,
    executor: ExecutorOption = ExecutorName.local,
    ray_address: RayAddressOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the JSON summary.")] = False,
) -> None:
    """Solve a whole contest, submit the picks against the hidden tests, report what was solved.

    Everything is kept in the store: killed at any moment, the same command continues.
    Exit 0 when every problem ran, 1 when some could not (see their rows), 2 on errors,
    130 when interrupted.
    """
    if order not in ("score", "size"):
        raise _fail(f"--order must be score or size, not {order!r}")
    _check_executor(executor, ray_address)
    progress = Progress(sys.stderr)
    try:
        # Imported here (the selection stages load numpy and scikit-learn), inside the `try`
        # so that Ctrl-C while they load still ends with the one line below.
        from solver.contest import load_contest
        from solver.model_inputs import ModelInputsConfig, ModelInputsPlan
        from solver.pipeline import PipelineConfig
        from solver.replay import Replay, ReplayConfig, recorded_pools, submissions_pool
        from solver.replay_report import ProgressLines, write_report
        from solver.store import Store

        contest = load_contest(paths)
        plan = None
        if pool == "submissions":
            candidates_for = submissions_pool
        elif pool is not None:
            candidates_for = recorded_pools(Path(pool), single=len(contest.problems) == 1)
        else:
            options = {"base_url": base_url, "model": model, "api_key": api_key}
            settings, sampling = _model_sampling(options, config, samples, language, seed)
            if model_inputs:
                plan = ModelInputsPlan(settings, ModelInputsConfig(model_inputs, model_inputs))

            def candidates_for(problem: Problem) -> list:
                run = sample_problem(problem, settings, sampling, on_sample=progress)
                progress.finish()
                typer.echo(f"{problem.slug}: {summary_line(run.stats)}", err=True)
                return list(run.candidates)

        replay_config = ReplayConfig(
            pipeline=PipelineConfig(
                inputs=inputs,
                seed=seed,
                order=order,  # type: ignore[arg-type]
                model_inputs=plan,
            ),
            draws=draws,
            jobs=jobs,
        )
        with (
            Store(store) as opened,
            _judge(backend) as judge_,
            _executor(executor, ray_address, backend, judge_) as runs,
        ):
            typer.echo(f"store: {store}", err=True)
            result = Replay(
                judge_,
                opened,
                candidates_for,
                replay_config,
                progress=ProgressLines(sys.stderr),
                executor=runs,
            ).run(contest)
            written = write_report(result, report) if report is not None else []
            typer.echo(f"replay: {result.seconds:.1f} s ({executor} executor)", err=True)
            _executor_note(runs)
    except KeyboardInterrupt:
        progress.finish()
        typer.echo(
            f"interrupted: finished work is in {store}; rerun the same command to continue",
            err=True,
        )
        raise typer.Exit(130) from None
    except ModelError as error:
        progress.finish()
        raise _fail(f"{error}; finished work is in {store} and the sample cache") from None
    except (SandboxError, SolverError) as error:
        progress.finish()
        raise _fail(str(error)) from None
    summary = result.summary()
    if as_json:
        typer.echo(json.dumps(summary, indent=2))
    else:
        total = summary["aggregate"]
        typer.echo(
            f"solved {total['solved']} of {total['problems']} "
            f"(first attempt {total['solved_within_1']}, within 10 {total['solved_within_10']}), "
            f"{total['attempts']} attempts, penalty {total['penalty_minutes']} min"
        )
        if written:
            typer.echo(f"report: {written[1]}")
    if summary["aggregate"]["errors"]:
        raise typer.Exit(EXIT_REJECTED)  # the replay ended, but some problems could not run


@app.command("train-scorer")
def train_scorer(
    records: Annotated[
        list[Path],
        typer.Argument(help="Feature records (JSONL) written by `python -m solver.evaluate`."),
    ],
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Where to write the model (JSON).")
    ] = None,
    regularization: Annotated[
        float, typer.Option(min=1e-6, help="Inverse regularization strength (C).")
    ] = 1.0,
) -> None:
    """Train the scorer (logistic regression) on labelled candidates; writes coefficients."""
    from solver.scorer import DEFAULT_MODEL
    from solver.training import TrainingError, train_from_records

    target = out or DEFAULT_MODEL
    try:
        summary = train_from_records(records, target, regularization=regularization)
    except TrainingError as error:
        raise _fail(str(error)) from None
    typer.echo(summary)


pool_app = typer.Typer(no_args_is_help=True, help="Candidate pools for evaluation.")
app.add_typer(pool_app, name="pool")


@pool_app.command("mutate")
def pool_mutate(
    problem_dir: Annotated[Path, typer.Argument(help="A problem package folder.")],
    sources: Annotated[
        list[Path] | None,
        typer.Argument(help="Accepted programs to mutate (default: submissions/accepted)."),
    ] = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="The JSONL pool to write.")] = Path(
        "mutants.jsonl"
    ),
    n: Annotated[int, typer.Option("--n", "-n", min=1, help="Mutants wanted.")] = 30,
    seed: Annotated[int, typer.Option(help="Seeds the choice of mutations.")] = 0,
    label: Annotated[
        bool,
        typer.Option("--label", help="Judge each mutant on the hidden tests (evaluation only)."),
    ] = False,
    labels: Annotated[
        Path | None, typer.Option(help="Where --label writes (default: OUT.labels.jsonl).")
    ] = None,
) -> None:
    """Near-miss programs: single-token mutants of accepted programs that pass the examples."""
    from solver.mutate import run_mutate

    labels_path = (labels or out.with_suffix(".labels.jsonl")) if label else None

    def progress(done: int, total: int) -> None:
        typer.echo(f"  {done}/{total} mutants pass the examples", err=True)

    try:
        with _judge() as judge_:
            report = run_mutate(
                judge_,
                problem_dir,
                sources or [],
                out,
                wanted=n,
                seed=seed,
                labels_path=labels_path,
                progress=progress,
            )
    except (SandboxError, SolverError) as error:
        raise _fail(str(error)) from None
    for line in report.lines():
        typer.echo(line)
    typer.echo(f"wrote {len(report.near_misses.mutants)} mutants to {out}")


bench_app = typer.Typer(no_args_is_help=True, help="Benchmarks of the solver's stages.")
app.add_typer(bench_app, name="bench")


@bench_app.command("selection")
def bench_selection(
    paths: Annotated[
        list[Path],
        typer.Argument(help="Packages, folders of packages, or `import-codeflaws` folders."),
    ],
    hard: Annotated[
        bool,
        typer.Option(
            "--hard", help="One accepted program, every wrong one, and wrong mutants of others."
        ),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    report: Annotated[
        Path | None, typer.Option(help="Write the table, JSON and a PNG plot to this folder.")
    ] = None,
    limit: Annotated[
        int | None, typer.Option(min=1, help="A seeded sample of this many problems per folder.")
    ] = None,
    mutants: Annotated[int, typer.Option(min=0, help="Wrong mutants wanted with --hard.")] = 20,
    max_tried: Annotated[int, typer.Option(min=0, help="Mutants compiled at most.")] = 160,
    inputs: Annotated[int, typer.Option(min=0, help="Generated inputs per problem.")] = 20,
    seed: Annotated[int, typer.Option(help="Seeds pools, mutants and inputs.")] = 0,
    records: Annotated[
        Path | None,
        typer.Option(help="Write survivors' features and labels (JSONL, for train-scorer)."),
    ] = None,
    store: Annotated[
        Path | None,
        typer.Option(help="Keep runs in this SQLite file: a rerun does no run twice."),
    ] = None,
) -> None:
    """Top-1 and top-10 of the solver against random-among-survivors and largest-cluster."""
    from solver.benchmark import (
        BenchConfig,
        BenchResult,
        problem_sets,
        run_benchmark,
        table,
        write_records,
        write_report,
    )
    from solver.store import Store

    try:
        targets = problem_sets(paths, limit=limit, seed=seed)
    except FileNotFoundError as error:
        raise _fail(str(error)) from None
    config = BenchConfig(hard=hard, mutants=mutants, max_tried=max_tried, inputs=inputs, seed=seed)

    def save(result: BenchResult) -> list[Path]:
        if records is not None:
            write_records(result, records)
        return write_report(result, report) if report is not None else []

    try:
        with contextlib.ExitStack() as stack:
            judge_ = stack.enter_context(_judge())
            opened = stack.enter_context(Store(store)) if store is not None else None
            result = run_benchmark(judge_, targets, config, on_progress=save, store=opened)
    except KeyboardInterrupt:
        kept = f"; finished runs are in {store}" if store is not None else ""
        typer.echo(f"interrupted{kept}", err=True)
        raise typer.Exit(130) from None
    except (SandboxError, SolverError) as error:
        raise _fail(str(error)) from None
    for path in save(result):
        typer.echo(f"wrote {path}", err=True)
    typer.echo(json.dumps(result.to_json(), indent=2) if as_json else table(result))


def main() -> None:
    app()
