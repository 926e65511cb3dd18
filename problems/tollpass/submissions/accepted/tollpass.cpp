// Dijkstra on the layered graph (city, pass already used?).
#include <bits/stdc++.h>
using namespace std;
int main() {
    int n, m;
    if (scanf("%d %d", &n, &m) != 2) return 0;
    vector<vector<pair<int, long long>>> adj(n + 1);
    for (int i = 0; i < m; i++) {
        int u, v; long long w;
        scanf("%d %d %lld", &u, &v, &w);
        adj[u].push_back({v, w});
        adj[v].push_back({u, w});
    }
    const long long INF = LLONG_MAX / 4;
    vector<long long> dist(2 * (n + 1), INF);
    priority_queue<pair<long long, int>, vector<pair<long long, int>>, greater<>> pq;
    dist[2 * 1] = 0;
    pq.push({0, 2 * 1});
    while (!pq.empty()) {
        auto [d, s] = pq.top(); pq.pop();
        if (d != dist[s]) continue;
        int u = s / 2, used = s % 2;
        for (auto [v, w] : adj[u]) {
            int t = 2 * v + used;
            if (d + w < dist[t]) { dist[t] = d + w; pq.push({dist[t], t}); }
            if (!used) {
                t = 2 * v + 1;
                if (d + w / 2 < dist[t]) { dist[t] = d + w / 2; pq.push({dist[t], t}); }
            }
        }
    }
    long long ans = min(dist[2 * n], dist[2 * n + 1]);
    printf("%lld\n", ans >= INF ? -1LL : ans);
    return 0;
}
