"""The judge: problem packages, languages, isolated execution, checkers and verdicts.

`sandbox` knows nothing of models or of the solver; the solver calls it to run candidates.
"""
