// WRONG: assumes the best circle always has the two farthest flowers as a
// diameter (true for obtuse configurations, false e.g. for acute triangles).
#include <bits/stdc++.h>
using namespace std;
typedef long long ll;
int main() {
    int n;
    scanf("%d", &n);
    vector<pair<ll, ll>> p(n);
    for (auto &q : p) scanf("%lld %lld", &q.first, &q.second);
    sort(p.begin(), p.end());
    // convex hull (monotone chain), then farthest pair among hull vertices
    auto cross = [](pair<ll, ll> o, pair<ll, ll> a, pair<ll, ll> b) {
        return (a.first - o.first) * (b.second - o.second) - (a.second - o.second) * (b.first - o.first);
    };
    vector<pair<ll, ll>> h(2 * n + 1);
    int k = 0;
    for (int i = 0; i < n; i++) {
        while (k >= 2 && cross(h[k - 2], h[k - 1], p[i]) <= 0) k--;
        h[k++] = p[i];
    }
    for (int i = n - 2, t = k + 1; i >= 0; i--) {
        while (k >= t && cross(h[k - 2], h[k - 1], p[i]) <= 0) k--;
        h[k++] = p[i];
    }
    if (k > 1) k--;
    h.resize(k);
    ll best = 0;
    for (int i = 0; i < k; i++)
        for (int j = i + 1; j < k; j++) {
            ll dx = h[i].first - h[j].first, dy = h[i].second - h[j].second;
            best = max(best, dx * dx + dy * dy);
        }
    printf("%.9f\n", sqrt((double)best) / 2);
    return 0;
}
