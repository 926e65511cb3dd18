# TOO SLOW: tries every circle through two or three flowers and checks all
# flowers for each of them: O(n^4).
import sys
from math import hypot


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    pts = [(int(data[1 + 2 * i]), int(data[2 + 2 * i])) for i in range(n)]
    if n == 1:
        print("0.000000000")
        return
    EPS = 1e-7

    def covers(cx, cy, r):
        for x, y in pts:
            if hypot(x - cx, y - cy) > r + EPS:
                return False
        return True

    best = float("inf")
    for i in range(n):
        ax, ay = pts[i]
        for j in range(i + 1, n):
            bx, by = pts[j]
            cx, cy, r = (ax + bx) / 2, (ay + by) / 2, hypot(ax - bx, ay - by) / 2
            if r < best and covers(cx, cy, r):
                best = r
            for k in range(j + 1, n):
                sx, sy = pts[k]
                ux, uy, vx, vy = bx - ax, by - ay, sx - ax, sy - ay
                d = 2 * (ux * vy - uy * vx)
                if d == 0:
                    continue
                u2, v2 = ux * ux + uy * uy, vx * vx + vy * vy
                ox, oy = (vy * u2 - uy * v2) / d, (ux * v2 - vx * u2) / d
                r = hypot(ox, oy)
                if r < best and covers(ax + ox, ay + oy, r):
                    best = r
    print("%.9f" % best)


main()
