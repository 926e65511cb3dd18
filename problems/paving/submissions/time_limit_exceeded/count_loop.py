# Correct but slow: lays the tiles one by one along each side, O(W/a + H/a).
import sys

w, h, a = map(int, sys.stdin.read().split())
cols = 0
covered = 0
while covered < w:
    covered += a
    cols += 1
rows = 0
covered = 0
while covered < h:
    covered += a
    rows += 1
print(cols * rows)
