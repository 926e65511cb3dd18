#!/usr/bin/env python3
"""Output validator for 'inversions' (Kattis protocol).

usage: validate.py INPUT_FILE ANSWER_FILE FEEDBACK_DIR < team_output
Exit 42 if the team output is correct, 43 otherwise; the reason for a rejection
is written to FEEDBACK_DIR/judgemessage.txt.

For each request the team prints either `impossible` (case-insensitive) or a
permutation of 1..n; the permutation is checked on its own (exactly k
inversions), and `impossible` is accepted only if the judge answer also says
impossible.
"""
import os
import re
import sys

MAX_OUTPUT = 64 * 1024 * 1024
NUMBER = re.compile(rb'[0-9]{1,7}')
FEEDBACK_DIR = '.'


def reject(msg):
    try:
        with open(os.path.join(FEEDBACK_DIR, 'judgemessage.txt'), 'a') as f:
            f.write(msg + '\n')
    except OSError:
        pass
    sys.exit(43)


def accept():
    sys.exit(42)


def count_inversions(perm, n):
    """Number of inversions of a permutation of 1..n (Fenwick tree)."""
    tree = [0] * (n + 1)
    inv = 0
    seen = 0
    for v in perm:
        # elements seen so far that are greater than v
        s = 0
        i = v
        while i > 0:
            s += tree[i]
            i -= i & -i
        inv += seen - s
        i = v
        while i <= n:
            tree[i] += 1
            i += i & -i
        seen += 1
    return inv


def main():
    global FEEDBACK_DIR
    if len(sys.argv) < 4:
        print('usage: validate.py INPUT ANSWER FEEDBACK_DIR < output', file=sys.stderr)
        sys.exit(1)
    FEEDBACK_DIR = sys.argv[3]
    with open(sys.argv[1], 'rb') as f:
        inp = f.read().split()
    t = int(inp[0])
    reqs = [(int(inp[1 + 2 * i]), int(inp[2 + 2 * i])) for i in range(t)]

    with open(sys.argv[2], 'rb') as f:
        ans = f.read().split()
    judge_impossible = []
    pos = 0
    for n, _ in reqs:
        if ans[pos].lower() == b'impossible':
            judge_impossible.append(True)
            pos += 1
        else:
            judge_impossible.append(False)
            pos += n

    out = sys.stdin.buffer.read(MAX_OUTPUT + 1)
    if len(out) > MAX_OUTPUT:
        reject('output is too large')
    tokens = out.split()
    pos = 0
    for idx, (n, k) in enumerate(reqs, start=1):
        if pos >= len(tokens):
            reject(f'request {idx}: output ended too early')
        first = tokens[pos]
        if first.lower() == b'impossible':
            pos += 1
            if not judge_impossible[idx - 1]:
                reject(f'request {idx}: answered impossible, but a permutation exists')
            continue
        if pos + n > len(tokens):
            reject(f'request {idx}: expected {n} numbers, output ended too early')
        perm = []
        seen = bytearray(n + 1)
        for j in range(n):
            tok = tokens[pos + j]
            if not NUMBER.fullmatch(tok):
                shown = tok[:20].decode('ascii', errors='replace')
                reject(f'request {idx}: token {j + 1} is not a valid number: {shown!r}')
            v = int(tok)
            if not 1 <= v <= n:
                reject(f'request {idx}: value {v} is out of range 1..{n}')
            if seen[v]:
                reject(f'request {idx}: value {v} appears twice')
            seen[v] = 1
            perm.append(v)
        pos += n
        inv = count_inversions(perm, n)
        if inv != k:
            reject(f'request {idx}: permutation has {inv} inversions, expected {k}')
    if pos != len(tokens):
        reject('extra output after the last request')
    accept()


if __name__ == '__main__':
    main()
