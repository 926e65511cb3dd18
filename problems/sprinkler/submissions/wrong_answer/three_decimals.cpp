// WRONG: the algorithm is right, but the answer is printed with only three
// decimals, which is not precise enough for small ranges.
#include <bits/stdc++.h>
using namespace std;
struct P { double x, y; };
double dist(const P &a, const P &b) { return hypot(a.x - b.x, a.y - b.y); }
struct Circle { P c; double r; };
Circle fromTwo(const P &a, const P &b) { return {{(a.x + b.x) / 2, (a.y + b.y) / 2}, dist(a, b) / 2}; }
Circle fromThree(const P &a, const P &b, const P &c) {
    double bx = b.x - a.x, by = b.y - a.y, cx = c.x - a.x, cy = c.y - a.y;
    double d = 2 * (bx * cy - by * cx);
    double b2 = bx * bx + by * by, c2 = cx * cx + cy * cy;
    double ux = (cy * b2 - by * c2) / d, uy = (bx * c2 - cx * b2) / d;
    P ctr{a.x + ux, a.y + uy};
    return {ctr, dist(ctr, a)};
}
int main() {
    int n;
    scanf("%d", &n);
    vector<P> p(n);
    for (auto &q : p) scanf("%lf %lf", &q.x, &q.y);
    mt19937 rng(777);
    shuffle(p.begin(), p.end(), rng);
    const double EPS = 1e-7;
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
    printf("%.3f\n", c.r);
    return 0;
}
