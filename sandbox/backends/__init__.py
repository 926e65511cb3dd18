"""Execution backends: they only execute; verdicts, limits and checkers stay in the judge."""
