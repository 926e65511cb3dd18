"""Exceptions for infrastructure failures; a candidate's failure is a Verdict, never an exception.

SandboxError
├── PackageError          a malformed problem package (names the problem and the file)
│   └── UnsupportedProblem  a valid package of a kind the judge cannot judge yet
├── LanguageError         a source file whose language is unknown or whose toolchain is absent
└── IsolationError        the sandbox itself could not start a run
"""

from __future__ import annotations


class SandboxError(Exception):
    """Base of every error the judge raises."""


class PackageError(SandboxError):
    def __init__(self, problem: str, file: str, message: str) -> None:
        self.problem = problem
        self.file = file
        self.message = message
        super().__init__(f"problem {problem}: {file}: {message}")


class UnsupportedProblem(PackageError):
    pass


class LanguageError(SandboxError):
    pass


class IsolationError(SandboxError):
    pass
