#!/usr/bin/env python3
"""Output validator for snowplow (Kattis protocol).

Usage: validate.py INPUT_FILE ANSWER_FILE FEEDBACK_DIR < team_output
Exit 42 if the team output is a valid answer, 43 otherwise.
A route printed by the team is checked on its own; the answer file is only used
to know whether a route exists when the team prints IMPOSSIBLE.
"""
import os
import re
import sys

AC, WA = 42, 43
NUM = re.compile(rb"^[0-9]{1,7}$")


def verdict(code, msg, feedback_dir):
    try:
        with open(os.path.join(feedback_dir, "judgemessage.txt"), "w") as f:
            f.write(msg + "\n")
    except OSError:
        pass
    sys.exit(code)


def main():
    if len(sys.argv) < 4:
        sys.stderr.write("usage: validate.py INPUT ANSWER FEEDBACK_DIR < team_output\n")
        sys.exit(1)
    in_file, ans_file, fb = sys.argv[1], sys.argv[2], sys.argv[3]
    with open(in_file, "rb") as f:
        inp = f.read().split()
    n, m = int(inp[0]), int(inp[1])
    streets = {}
    for i in range(m):
        a, b = int(inp[2 + 2 * i]), int(inp[3 + 2 * i])
        key = (a, b) if a < b else (b, a)
        streets[key] = streets.get(key, 0) + 1
    with open(ans_file, "rb") as f:
        ans_tokens = f.read().split()
    judge_possible = not (len(ans_tokens) >= 1 and ans_tokens[0].upper() == b"IMPOSSIBLE")

    limit = 16 * (m + 1) + 4096
    raw = sys.stdin.buffer.read(limit + 1)
    if len(raw) > limit:
        verdict(WA, "output too long", fb)
    tokens = raw.split()
    if not tokens:
        verdict(WA, "empty output", fb)
    if tokens[0].upper() == b"IMPOSSIBLE":
        if len(tokens) != 1:
            verdict(WA, "extra output after IMPOSSIBLE", fb)
        if judge_possible:
            verdict(WA, "team says IMPOSSIBLE but a route exists", fb)
        verdict(AC, "correctly reported IMPOSSIBLE", fb)
    if len(tokens) != m + 1:
        verdict(WA, "expected %d numbers, got %d tokens" % (m + 1, len(tokens)), fb)
    route = []
    for t in tokens:
        if not NUM.match(t):
            verdict(WA, "token is not a valid intersection number: %r" % t[:20], fb)
        v = int(t)
        if not 1 <= v <= n:
            verdict(WA, "intersection %d out of range" % v, fb)
        route.append(v)
    if route[0] != 1:
        verdict(WA, "route does not start at intersection 1", fb)
    for j in range(1, m + 1):
        a, b = route[j - 1], route[j]
        key = (a, b) if a < b else (b, a)
        left = streets.get(key, 0)
        if left == 0:
            verdict(WA, "step %d: no unused street between %d and %d" % (j, a, b), fb)
        streets[key] = left - 1
    # m steps each used one street and there are m streets: all used exactly once
    if not judge_possible:
        verdict(AC, "valid route although the judge answer says IMPOSSIBLE (judge error?)", fb)
    verdict(AC, "valid route", fb)


if __name__ == "__main__":
    main()
