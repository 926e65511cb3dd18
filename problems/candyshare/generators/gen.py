#!/usr/bin/env python3
"""Deterministic test generator for candyshare: python3 gen.py OUT_DIR [--seed S]"""
import os
import random
import sys

MAX = 500000


def main():
    args = sys.argv[1:]
    seed = 31337
    if "--seed" in args:
        i = args.index("--seed")
        seed = int(args[i + 1])
        del args[i:i + 2]
    out = args[0]
    os.makedirs(out, exist_ok=True)
    rng = random.Random(seed)

    tests = []
    tests.append(("01-one-child", (7, 1, 3, 10)))
    tests.append(("02-one-child-too-many", (11, 1, 3, 10)))
    tests.append(("03-no-candies", (0, 5, 0, 3)))
    tests.append(("04-no-candies-lo-positive", (0, 3, 1, 1)))
    tests.append(("05-lo-equals-hi", (12, 4, 3, 3)))
    tests.append(("06-lo-equals-hi-impossible", (13, 4, 3, 3)))
    tests.append(("07-one-too-many", (21, 4, 0, 5)))
    tests.append(("08-everybody-full", (20, 4, 0, 5)))
    k = rng.randint(5, 8)
    lo = rng.randint(1, 3)
    tests.append(("09-small-random", (k * lo + rng.randint(5, 20), k, lo, lo + rng.randint(2, 6))))
    tests.append(("10-upper-bound-irrelevant", (1000, 50, 0, MAX)))
    tests.append(("11-medium", (5000, 300, 3, 40)))
    tests.append(("12-lo-times-k-huge", (MAX, MAX, MAX, MAX)))
    tests.append(("13-lo-times-k-exact", (MAX, 1, MAX, MAX)))
    tests.append(("14-max-zero-or-one", (MAX // 2, MAX, 0, 1)))
    tests.append(("15-max-exactly-one-each", (MAX, MAX, 0, 1)))
    tests.append(("16-max-all-zero", (MAX, MAX, 0, 0)))
    tests.append(("17-max-unbounded", (MAX, MAX, 0, MAX)))
    tests.append(("18-max-many-terms", (MAX, MAX, 0, 2)))
    k = rng.randint(100000, 200000)
    n = MAX - rng.randint(0, 10)
    tests.append(("19-max-random", (n, k, 1, 1 + (n - k) // k + rng.randint(1, 3))))
    k = rng.randint(300000, MAX)
    tests.append(("20-max-random-narrow", (rng.randint(MAX - 1000, MAX), k, 0, rng.randint(1, 3))))
    for name, (n, k, lo, hi) in tests:
        assert 0 <= n <= MAX and 1 <= k <= MAX and 0 <= lo <= hi <= MAX
        with open(os.path.join(out, name + ".in"), "w") as f:
            f.write("%d %d %d %d\n" % (n, k, lo, hi))


if __name__ == "__main__":
    main()
