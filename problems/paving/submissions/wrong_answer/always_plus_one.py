# Mistake: "one extra tile for the leftover part" even when a divides the side.
import sys

w, h, a = map(int, sys.stdin.read().split())
print((w // a + 1) * (h // a + 1))
