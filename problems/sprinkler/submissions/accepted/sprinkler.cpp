// Minimum enclosing circle with Welzl's randomized incremental algorithm
// (expected O(n)).
#include <bits/stdc++.h>
using namespace std;
typedef long double ld;
struct P { ld x, y; };
ld dist(const P &a, const P &b) { return hypotl(a.x - b.x, a.y - b.y); }
struct Circle { P c; ld r; };
Circle fromTwo(const P &a, const P &b) { return {{(a.x + b.x) / 2, (a.y + b.y) / 2}, dist(a, b) / 2}; }
Circle fromThree(const P &a, const P &b, const P &c) {
    ld bx = b.x - a.x, by = b.y - a.y, cx = c.x - a.x, cy = c.y - a.y;
    ld d = 2 * (bx * cy - by * cx);
    if (fabsl(d) < 1e-12) {  // collinear (cannot happen in theory): use the longest side
        Circle best = fromTwo(a, b), t = fromTwo(a, c);
        if (t.r > best.r) best = t;
        t = fromTwo(b, c);
        if (t.r > best.r) best = t;
        return best;
    }
    ld b2 = bx * bx + by * by, c2 = cx * cx + cy * cy;
    ld ux = (cy * b2 - by * c2) / d, uy = (bx * c2 - cx * b2) / d;
    P ctr{a.x + ux, a.y + uy};
    return {ctr, dist(ctr, a)};
}
int main() {
    int n;
    scanf("%d", &n);
    vector<P> p(n);
    for (auto &q : p) { long long x, y; scanf("%lld %lld", &x, &y); q.x = x; q.y = y; }
    mt19937 rng(12345);
    shuffle(p.begin(), p.end(), rng);
    const ld EPS = 1e-9;
    Circle c{p[0], 0};
    for (int i = 1; i < n; i++) {
        if (dist(c.c, p[i]) <= c.r + EPS) continue;
        c = {p[i], 0};
        for (int j = 0; j < i; j++) {
            if (dist(c.c, p[j]) <= c.r + EPS) continue;
            c = fromTwo(p[i], p[j]);
            for (int k = 0; k < j; k++) {
                if (dist(c.c, p[k]) <= c.r + EPS) continue;
                c = fromThree(p[i], p[j], p[k]);
            }
        }
    }
    printf("%.9Lf\n", c.r);
    return 0;
}
