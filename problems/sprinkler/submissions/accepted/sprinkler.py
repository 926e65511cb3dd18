# Minimum enclosing circle, Welzl's randomized incremental algorithm.
import sys
import random
from math import hypot


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    pts = [(int(data[1 + 2 * i]), int(data[2 + 2 * i])) for i in range(n)]
    random.Random(2024).shuffle(pts)
    EPS = 1e-7
    cx, cy = pts[0]
    r = 0.0
    for i in range(1, n):
        px, py = pts[i]
        if hypot(px - cx, py - cy) <= r + EPS:
            continue
        cx, cy, r = px, py, 0.0
        for j in range(i):
            qx, qy = pts[j]
            if hypot(qx - cx, qy - cy) <= r + EPS:
                continue
            cx, cy = (px + qx) / 2, (py + qy) / 2
            r = hypot(px - qx, py - qy) / 2
            for k in range(j):
                sx, sy = pts[k]
                if hypot(sx - cx, sy - cy) <= r + EPS:
                    continue
                # circle through p, q, s (coordinates relative to p are exact integers)
                bx, by = qx - px, qy - py
                ex, ey = sx - px, sy - py
                d = 2 * (bx * ey - by * ex)
                if d == 0:
                    # collinear (cannot happen in theory): longest side as diameter
                    best = None
                    for (ax, ay), (zx, zy) in (((px, py), (qx, qy)), ((px, py), (sx, sy)), ((qx, qy), (sx, sy))):
                        rr = hypot(ax - zx, ay - zy) / 2
                        if best is None or rr > best[2]:
                            best = ((ax + zx) / 2, (ay + zy) / 2, rr)
                    cx, cy, r = best
                    continue
                b2 = bx * bx + by * by
                e2 = ex * ex + ey * ey
                ux = (ey * b2 - by * e2) / d
                uy = (bx * e2 - ex * b2) / d
                cx, cy = px + ux, py + uy
                r = hypot(ux, uy)
    print("%.9f" % r)


main()
