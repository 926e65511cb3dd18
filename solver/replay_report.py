"""A replay's report: `summary.json`, `report.md`, `report.html` and PNG plots in one folder.

The plots: solve rate against the number of samples (10@k, 1@k and pass@k), the funnel
(sampled -> compiled -> passed the examples -> clusters -> solved), and cluster sizes.
"""

from __future__ import annotations

import html
import json
import os
from pathlib import Path
from typing import IO, Any

from solver.contest import Contest, ContestProblem
from solver.replay import ProblemOutcome, ReplayProgress, ReplayResult

PLOTS = ("solve_rate.png", "funnel.png", "cluster_sizes.png")


class ProgressLines(ReplayProgress):
    """One line per problem as it ends (and as it starts, when it is computed)."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream

    def _say(self, text: str) -> None:
        self.stream.write(text + "\n")
        self.stream.flush()

    def start(self, contest: Contest, done: int) -> None:
        self._say(
            f"replay: {contest.name}, {len(contest.problems)} problems"
            + (f" ({done} outcomes already in the store)" if done else "")
        )

    def problem_started(self, entry: ContestProblem, index: int, total: int) -> None:
        self._say(f"[{index + 1}/{total}] {entry.label} {entry.path.name}: solving ...")

    def problem_done(self, outcome: ProblemOutcome, index: int, total: int, cached: bool) -> None:
        head = f"[{index + 1}/{total}] {outcome.label} {outcome.problem}:"
        if outcome.error is not None:
            self._say(f"{head} not run: {outcome.error}")
            return
        if outcome.solved:
            verdict = f"solved at attempt {outcome.solved_at}"
        elif outcome.attempts:
            verdict = f"not solved in {len(outcome.attempts)} attempts"
        else:
            verdict = "not solved (nothing passed the examples)"
        funnel = (
            f"{outcome.samples} samples, {outcome.compiled} compiled, {outcome.survivors} passed "
            f"the examples, {outcome.clusters} clusters, {outcome.correct_samples} correct"
        )
        when = "from the store" if cached else f"{outcome.seconds.get('total', 0.0):.1f} s"
        self._say(f"{head} {verdict}; {funnel} ({when})")


def _pyplot() -> Any:
    # Off-screen rendering; imported late so that commands without a report never pay for it.
    os.environ.setdefault("MPLCONFIGDIR", str(Path.home() / ".cache" / "solver" / "matplotlib"))
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _solve_rate_plot(summary: dict[str, Any], path: Path) -> None:
    plt = _pyplot()
    curve = summary["aggregate"]["n_at_k"]
    ks = [int(k) for k in curve]
    figure, axes = plt.subplots(figsize=(6, 4))
    if ks:
        axes.plot(ks, [curve[str(k)]["10"] for k in ks], marker="o", label="10@k (solver)")
        axes.plot(ks, [curve[str(k)]["1"] for k in ks], marker="s", label="1@k (solver)")
        passes = summary["aggregate"]["pass_at_k"]
        pk = [int(k) for k in passes]
        if pk:
            axes.plot(pk, [passes[str(k)] for k in pk], marker="^", ls="--", label="pass@k")
        axes.set_xscale("log", base=2)
    axes.set_xlabel("samples per problem (k)")
    axes.set_ylabel("share of problems solved")
    axes.set_ylim(0, 1.05)
    axes.grid(alpha=0.3)
    axes.legend()
    axes.set_title("Solve rate against samples")
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


def _funnel(summary: dict[str, Any]) -> list[tuple[str, int]]:
    total = summary["aggregate"]
    return [
        ("sampled", total["samples"]),
        ("compiled", total["compiled"]),
        ("passed the examples", total["survivors"]),
        ("clusters", total["clusters"]),
        ("solved", total["solved"]),
    ]


def _funnel_plot(summary: dict[str, Any], path: Path) -> None:
    plt = _pyplot()
    stages = _funnel(summary)
    figure, axes = plt.subplots(figsize=(6, 3.5))
    axes.barh([name for name, _ in stages][::-1], [n for _, n in stages][::-1], color="#4c72b0")
    for row, (_, n) in enumerate(stages[::-1]):
        axes.text(n, row, f" {n}", va="center")
    axes.set_xlabel("count over the contest")
    axes.set_title("Funnel")
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


def _cluster_plot(result: ReplayResult, path: Path) -> None:
    plt = _pyplot()
    labels = [o.label for o in result.outcomes if o.error is None]
    sizes = [o.cluster_sizes for o in result.outcomes if o.error is None]
    figure, axes = plt.subplots(figsize=(min(16, max(6, 0.45 * len(labels))), 3.5))
    for column, problem_sizes in enumerate(sizes):
        bottom = 0
        for size in problem_sizes:
            axes.bar(column, size, bottom=bottom, color="#55a868", edgecolor="white")
            bottom += size
    many = len(labels) > 30
    axes.set_xticks(
        range(len(labels)), labels, rotation=90 if many else 0, fontsize=5 if many else 9
    )
    axes.set_ylabel("survivors (one block per cluster)")
    axes.set_title("Cluster sizes per problem")
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


def _markdown(result: ReplayResult, summary: dict[str, Any]) -> str:
    total = summary["aggregate"]
    lines = [
        f"# Replay: {result.contest.name}",
        "",
        f"{total['solved']} of {total['problems']} problems solved "
        f"({total['solved_within_1']} at the first attempt, {total['solved_within_10']} within "
        f"10), {total['attempts']} attempts, penalty {total['penalty_minutes']} minutes "
        f"({result.contest.scoring}, {result.contest.penalty_minutes} minutes per rejected "
        f"attempt; simulated time: equal slots of a {result.contest.duration_minutes}-minute "
        f"contest, attempts a minute apart)."
        + (
            f" {total['without_hidden_tests']} packages have no hidden tests (their verdicts "
            f"are on the examples only); {total['solved_with_hidden_tests']} solved on hidden "
            "tests."
            if total["without_hidden_tests"]
            else ""
        )
        + (
            f" {total['errors']} problems could not be run (see their rows)."
            if total["errors"]
            else ""
        ),
        "",
        "| | problem | samples | compiled | passed examples | clusters | correct | verdicts "
        "| solved | minutes |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for outcome, row in zip(result.outcomes, summary["problems"], strict=True):
        if outcome.error is not None:
            lines.append(f"| {outcome.label} | {outcome.problem} | | | | | | {outcome.error} | | |")
            continue
        verdicts = " ".join(row["verdicts"]) or "-"
        solved = f"yes ({row['solved_at']})" if row["solved"] else "no"
        if not row["hidden_tests"]:
            solved += " (examples only: no hidden tests)"
        lines.append(
            f"| {outcome.label} | {outcome.problem} | {row['samples']} | {row['compiled']} | "
            f"{row['survivors']} | {row['clusters']} | {row['correct_samples']} | {verdicts} | "
            f"{solved} | {row['penalty_minutes'] if row['solved'] else ''} |"
        )
    lines += ["", "## Solve rate", "", "![solve rate](solve_rate.png)", ""]
    curve = total["n_at_k"]
    if curve:
        lines += ["| k | 10@k | 1@k |", "|---|---|---|"]
        lines += [f"| {k} | {v['10']:.3f} | {v['1']:.3f} |" for k, v in curve.items()]
    passes = total["pass_at_k"]
    if passes:
        lines += ["", "pass@k: " + ", ".join(f"pass@{k} = {v:.3f}" for k, v in passes.items())]
    lines += ["", "## Funnel", "", "![funnel](funnel.png)", ""]
    lines += [f"- {name}: {count}" for name, count in _funnel(summary)]
    lines += ["", "## Clusters", "", "![cluster sizes](cluster_sizes.png)", ""]
    lines += ["## Work", ""]
    lines += [
        f"- {kind}: {w['units']:.0f} units, {w['seconds']:.1f} s"
        + (f", {w['repeated']:.0f} REPEATED" if w["repeated"] else ", none done twice")
        for kind, w in result.work.items()
    ]
    lines.append(
        f"- this run: {result.seconds:.1f} s; {result.from_store} problems taken from the store"
    )
    return "\n".join(lines) + "\n"


def _html(markdown: str, title: str) -> str:
    """The Markdown rendered plainly: headings, tables, images, paragraphs, list items."""
    body: list[str] = []
    table: list[list[str]] = []

    def flush_table() -> None:
        if not table:
            return
        head, *rows = table
        body.append("<table><tr>" + "".join(f"<th>{c}</th>" for c in head) + "</tr>")
        body.extend("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
        body.append("</table>")
        table.clear()

    for line in markdown.splitlines():
        if line.startswith("|"):
            cells = [html.escape(c.strip()) for c in line.strip("|").split("|")]
            if not all(set(c) <= {"-"} for c in cells):
                table.append(cells)
            continue
        flush_table()
        if line.startswith("# "):
            body.append(f"<h1>{html.escape(line[2:])}</h1>")
        elif line.startswith("## "):
            body.append(f"<h2>{html.escape(line[3:])}</h2>")
        elif line.startswith("!["):
            alt, src = line[2:].split("](", 1)
            body.append(f'<p><img src="{html.escape(src[:-1])}" alt="{html.escape(alt)}"></p>')
        elif line.startswith("- "):
            body.append(f"<li>{html.escape(line[2:])}</li>")
        elif line.strip():
            body.append(f"<p>{html.escape(line)}</p>")
    flush_table()
    style = (
        "body{font-family:sans-serif;max-width:1100px;margin:2em auto}"
        "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px}"
    )
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
        f"<style>{style}</style></head><body>\n" + "\n".join(body) + "\n</body></html>\n"
    )


def write_report(result: ReplayResult, folder: Path) -> list[Path]:
    """Writes the report's files (each whole, then renamed into place); returns their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    summary = result.summary()
    markdown = _markdown(result, summary)
    files = {
        "summary.json": json.dumps(summary, indent=2) + "\n",
        "report.md": markdown,
        "report.html": _html(markdown, f"Replay: {result.contest.name}"),
    }
    written = []
    for name, text in files.items():
        partial = folder / f".{name}.partial"
        partial.write_text(text, encoding="utf-8")
        partial.replace(folder / name)
        written.append(folder / name)
    _solve_rate_plot(summary, folder / "solve_rate.png")
    _funnel_plot(summary, folder / "funnel.png")
    _cluster_plot(result, folder / "cluster_sizes.png")
    written += [folder / name for name in PLOTS]
    return written
