"""Verdicts are values: one enum, with the few facts the judge needs about each."""

from __future__ import annotations

from enum import StrEnum


class Verdict(StrEnum):
    AC = "AC"  # accepted
    WA = "WA"  # wrong answer
    TLE = "TLE"  # time limit exceeded (CPU or wall clock)
    MLE = "MLE"  # memory limit exceeded
    RTE = "RTE"  # run-time error: non-zero exit or killed by a signal
    OLE = "OLE"  # output limit exceeded
    CE = "CE"  # compile error
    JE = "JE"  # judge error: a crashing validator or a broken package, never the candidate's fault

    @property
    def description(self) -> str:
        return _DESCRIPTIONS[self]

    def __str__(self) -> str:
        return self.value


_DESCRIPTIONS = {
    Verdict.AC: "accepted",
    Verdict.WA: "wrong answer",
    Verdict.TLE: "time limit exceeded",
    Verdict.MLE: "memory limit exceeded",
    Verdict.RTE: "run-time error",
    Verdict.OLE: "output limit exceeded",
    Verdict.CE: "compile error",
    Verdict.JE: "judge error",
}
