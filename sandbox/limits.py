"""Resource limits of one run, and how they are derived from a problem's time limit."""

from __future__ import annotations

import math
from dataclasses import dataclass

DEFAULT_MEMORY_MIB = 2048  # the Kattis / problemtools default
DEFAULT_OUTPUT_MIB = 64
DEFAULT_TIME_MULTIPLIER = 5.0  # problemtools: limit = slowest accepted run x this
DEFAULT_PROCESSES = 256  # threads count too: a JVM starts about twenty


@dataclass(frozen=True)
class Limits:
    """What one run of a program may use.

    `time_s` is CPU time (user + system, every process of the run); the run is stopped at
    `wall_s` of real time whatever it does, so a sleeping program cannot hold a worker.
    """

    time_s: float
    memory_mib: int = DEFAULT_MEMORY_MIB
    output_mib: int = DEFAULT_OUTPUT_MIB
    processes: int = DEFAULT_PROCESSES
    wall_s: float | None = None

    @property
    def wall_limit_s(self) -> float:
        # Well above the CPU rlimit, so that a busy program dies by the rlimit (and its CPU
        # time is known) even when it shares the cores with other runs.
        return self.wall_s if self.wall_s is not None else 3 * self.time_s + 2.0

    @property
    def cpu_rlimit_s(self) -> int:
        """The kernel's CPU limit, a little above the judged limit: the judge decides TLE."""
        return math.ceil(self.time_s) + 1


# Compilers and validators are trusted but still bounded.
COMPILE_LIMITS = Limits(time_s=60.0, memory_mib=4096, output_mib=256, wall_s=120.0)
VALIDATOR_LIMITS = Limits(time_s=60.0, memory_mib=4096, output_mib=64, wall_s=120.0)
