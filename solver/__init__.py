"""An AlphaCode-2-style solver for competitive programming.

The solver samples candidate programs, filters them on the examples, clusters the survivors by
behaviour and submits the best of each cluster. It runs programs only through `sandbox`.
"""
