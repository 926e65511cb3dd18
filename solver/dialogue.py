"""`solver solve --ask`: the questions put to a person at the terminal.

Each question shows an input on which the clusters left disagree, then each distinct output
with the clusters that print it (their sizes and scores), and crashes or timeouts apart. The
person picks an output by its number, types the right output, says none of them is right,
skips, or quits. The dialogue is written to stderr, so that stdout keeps the table or the
JSON; answers are read from stdin. A closed stdin is a quit: the ranking so far stands.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import IO

from sandbox.problem import Problem
from solver.oracle import (
    Answer,
    AnswerSource,
    AnswerStore,
    Choice,
    Oracle,
    OracleError,
    ProgramOracle,
    Question,
    load_given_answers,
)

SHOWN_LINES = 20  # of an input or an output; the rest is summarised
SHOWN_COLUMNS = 120


def _show(data: bytes, indent: str = "    | ") -> list[str]:
    lines = data.decode("utf-8", errors="replace").splitlines() or [""]
    shown = [
        indent + (line if len(line) <= SHOWN_COLUMNS else line[: SHOWN_COLUMNS - 3] + "...")
        for line in lines[:SHOWN_LINES]
    ]
    if len(lines) > SHOWN_LINES:
        shown.append(f"{indent}... ({len(lines) - SHOWN_LINES} more lines)")
    return shown


def _clusters(choice: Choice) -> str:
    parts = [
        f"#{view.id} ({view.size} program{'s' if view.size != 1 else ''}, score {view.score:.3f})"
        for view in choice.clusters
    ]
    word = "cluster" if len(parts) == 1 else "clusters"
    return f"{word} " + ", ".join(parts)


class TerminalPerson:
    """An AnswerSource that asks whoever sits at the terminal."""

    name = "person"
    remembered = True

    def __init__(
        self,
        reader: IO[str] | None = None,
        writer: IO[str] | None = None,
        *,
        max_questions: int | None = None,
    ) -> None:
        self.reader = reader if reader is not None else sys.stdin
        self.writer = writer if writer is not None else sys.stderr
        self.max_questions = max_questions

    def _say(self, text: str = "") -> None:
        self.writer.write(text + "\n")
        self.writer.flush()

    def _ask(self, prompt: str) -> str | None:
        """One line, or None when the input is closed."""
        self.writer.write(prompt)
        self.writer.flush()
        line = self.reader.readline()
        if not line:
            self._say()
            return None
        if not self.reader.isatty():  # a terminal echoes the answer; a pipe does not
            self._say(line.rstrip("\r\n"))
        return line.rstrip("\r\n")

    def show(self, question: Question) -> None:
        most = f" of at most {self.max_questions}" if self.max_questions else ""
        self._say()
        self._say(
            f"Question {question.number}{most}: the programs left disagree on this input "
            f"({question.input_name}, {len(question.input)} bytes):"
        )
        for line in _show(question.input):
            self._say(line)
        self._say("Their outputs:")
        for number, choice in enumerate(question.outputs, start=1):
            self._say(f"  [{number}] {_clusters(choice)}")
            for line in _show(choice.output or b""):
                self._say(line)
        for choice in question.choices:
            if choice.output is None:
                self._say(f"  ({choice.label}) {_clusters(choice)}")

    def answer(self, question: Question) -> Answer:
        self.show(question)
        outputs = question.outputs
        choices = f"1-{len(outputs)}" if len(outputs) > 1 else "1"
        help_line = (
            f"Which is right? {choices}: that output, t: type the right output, "
            "n: none of these, s: skip, q: quit"
        )
        self._say(help_line)
        while True:
            line = self._ask("> ")
            if line is None:
                return Answer("stop", note="input closed")
            reply = line.strip().lower()
            if reply.isdigit() and 1 <= int(reply) <= len(outputs):
                chosen = outputs[int(reply) - 1]
                assert chosen.output is not None
                return Answer("output", chosen.output, note=f"picked output {reply}")
            if reply in ("t", "type"):
                typed = self._typed()
                if typed is None:
                    return Answer("stop", note="input closed")
                if typed:
                    return Answer("output", typed, note="typed")
                self._say("nothing typed; " + help_line)
                continue
            if reply in ("n", "none"):
                wrong = tuple(c.output for c in outputs if c.output is not None)
                return Answer("none", wrong=wrong)
            if reply in ("s", "skip"):
                return Answer("skip")
            if reply in ("q", "quit", "exit"):
                return Answer("stop")
            self._say(f"please answer {choices}, t, n, s or q")

    def _typed(self) -> bytes | None:
        self._say("Type the right output; end with an empty line:")
        lines = []
        while True:
            line = self._ask("")
            if line is None:
                return None if not lines else "\n".join(lines).encode() + b"\n"
            if not line.strip():
                return "\n".join(lines).encode() + b"\n" if lines else b""
            lines.append(line)


def oracle_from_options(
    problem: Problem,
    *,
    ask: bool,
    max_questions: int,
    program: Path | None,
    answers: Path | None,
) -> Oracle | None:
    """The oracle `solver solve` options describe, or None. OracleError on a bad option."""
    if ask and program is not None:
        raise OracleError("--ask and --oracle-program both answer the questions: choose one")
    given = load_given_answers(answers) if answers is not None else []
    source: AnswerSource | None = None
    store = None
    if ask:
        source = TerminalPerson(max_questions=max_questions)
        store = AnswerStore.for_problem(problem)
    elif program is not None:
        source = ProgramOracle(program)
    if source is None and not given:
        return None
    return Oracle(source, given=given, store=store, max_questions=max_questions)
