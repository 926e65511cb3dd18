# WRONG: puts the sprinkler in the middle of the bounding box of the flowers.
import sys
from math import hypot


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    xs = [int(v) for v in data[1:1 + 2 * n:2]]
    ys = [int(v) for v in data[2:2 + 2 * n:2]]
    cx = (min(xs) + max(xs)) / 2
    cy = (min(ys) + max(ys)) / 2
    print("%.9f" % max(hypot(x - cx, y - cy) for x, y in zip(xs, ys)))


main()
