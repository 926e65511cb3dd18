// WRONG: distances are stored in 32-bit ints; long trips with big tolls overflow.
#include <bits/stdc++.h>
using namespace std;
int main() {
    int n, m;
    if (scanf("%d %d", &n, &m) != 2) return 0;
    vector<vector<pair<int, int>>> adj(n + 1);
    for (int i = 0; i < m; i++) {
        int u, v, w;
        scanf("%d %d %d", &u, &v, &w);
        adj[u].push_back({v, w});
        adj[v].push_back({u, w});
    }
    const int INF = INT_MAX;
    vector<int> dist(2 * (n + 1), INF);
    vector<char> done(2 * (n + 1), 0);
    priority_queue<pair<int, int>, vector<pair<int, int>>, greater<>> pq;
    dist[2] = 0;
    pq.push({0, 2});
    while (!pq.empty()) {
        auto [d, s] = pq.top(); pq.pop();
        if (done[s]) continue;
        done[s] = 1;
        int u = s / 2, used = s % 2;
        for (auto [v, w] : adj[u]) {
            int t = 2 * v + used;
            int nd = d + w;
            if (!done[t] && nd < dist[t]) { dist[t] = nd; pq.push({nd, t}); }
            if (!used) {
                t = 2 * v + 1;
                nd = d + w / 2;
                if (!done[t] && nd < dist[t]) { dist[t] = nd; pq.push({nd, t}); }
            }
        }
    }
    int ans = min(dist[2 * n], dist[2 * n + 1]);
    printf("%d\n", ans == INF ? -1 : ans);
    return 0;
}
