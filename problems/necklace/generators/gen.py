#!/usr/bin/env python3
"""Deterministic test generator for 'necklace'.

usage: python3 gen.py OUT_DIR [--seed S]
Writes the secret .in files into OUT_DIR.
"""
import os
import random
import sys

MAXN = 2 * 10**5


def rand_str(rng, length, alphabet='abcdefghijklmnopqrstuvwxyz'):
    return ''.join(rng.choice(alphabet) for _ in range(length))


def rotation(s, j):
    return s[j:] + s[:j]


def built_text(rng, p, n, alphabet, match_prob):
    """Text made of random rotations of p separated by random noise."""
    parts = []
    total = 0
    while total < n:
        if rng.random() < match_prob:
            piece = rotation(p, rng.randrange(len(p)))
        else:
            piece = rand_str(rng, rng.randint(1, len(p)), alphabet)
        parts.append(piece)
        total += len(piece)
    return ''.join(parts)[:n]


def write(out, name, p, t):
    assert 1 <= len(p) <= MAXN and 1 <= len(t) <= MAXN
    with open(os.path.join(out, name + '.in'), 'w') as f:
        f.write(p + '\n' + t + '\n')


def main():
    out = sys.argv[1]
    seed = 271828
    if '--seed' in sys.argv:
        seed = int(sys.argv[sys.argv.index('--seed') + 1])
    rng = random.Random(seed)
    os.makedirs(out, exist_ok=True)
    write(out, '01-single-char', 'a', 'a')
    write(out, '02-m-greater-than-n', 'abc', 'ab')
    write(out, '03-all-same-letter', 'aaa', 'aaaaaa')
    write(out, '04-periodic-p', 'abab', 'ababbababaabab')
    write(out, '05-small-binary', rand_str(rng, 3, 'ab'), rand_str(rng, 30, 'ab'))
    p = rand_str(rng, 6, 'abc')
    write(out, '06-last-window', p, rand_str(rng, 20, 'abc') + rotation(p, 4))
    p = rand_str(rng, 50)
    write(out, '07-m-equals-n-match', p, rotation(p, 17))
    write(out, '08-m-equals-n-no-match', p, rotation(p, 17)[::-1])
    write(out, '09-medium-binary', rand_str(rng, 8, 'ab'), rand_str(rng, 5000, 'ab'))
    p = rand_str(rng, 40, 'abc')
    write(out, '10-medium-built', p, built_text(rng, p, 20000, 'abc', 0.5))
    write(out, '11-max-random', rand_str(rng, 10**5), rand_str(rng, MAXN))
    write(out, '12-max-random-mid-m', rand_str(rng, 3 * 10**4, 'ab'), rand_str(rng, MAXN, 'ab'))
    p = rand_str(rng, 1000, 'ab')
    write(out, '13-max-built', p, built_text(rng, p, MAXN, 'ab', 0.7))
    write(out, '14-max-almost-all-a', 'a' * (10**5 - 1) + 'b', 'a' * MAXN)
    write(out, '15-max-all-a', 'a' * 10**5, 'a' * MAXN)
    write(out, '16-max-periodic', 'abc' * 30000, ('abc' * (MAXN // 3 + 1))[1:MAXN + 1])
    write(out, '17-max-m1', 'q', rand_str(rng, MAXN, 'pqr'))
    write(out, '18-max-m-equals-n', rotation('ab' * (MAXN // 2 - 1) + 'ba', 12345), 'ab' * (MAXN // 2 - 1) + 'ba')


if __name__ == '__main__':
    main()
