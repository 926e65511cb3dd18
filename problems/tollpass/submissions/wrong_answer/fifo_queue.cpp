// WRONG: a "Dijkstra" that uses a FIFO queue and lets every state enter the
// queue only once, so a state is expanded with the first (not the smallest)
// distance found for it. On unweighted-looking graphs it works, on weighted ones not.
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
    vector<char> queued(2 * (n + 1), 0);
    deque<int> q;
    dist[2] = 0; queued[2] = 1; q.push_back(2);
    while (!q.empty()) {
        int s = q.front(); q.pop_front();
        long long d = dist[s];
        int u = s / 2, used = s % 2;
        for (auto [v, w] : adj[u]) {
            int t = 2 * v + used;
            if (d + w < dist[t]) { dist[t] = d + w; if (!queued[t]) { queued[t] = 1; q.push_back(t); } }
            if (!used) {
                t = 2 * v + 1;
                if (d + w / 2 < dist[t]) { dist[t] = d + w / 2; if (!queued[t]) { queued[t] = 1; q.push_back(t); } }
            }
        }
    }
    long long ans = min(dist[2 * n], dist[2 * n + 1]);
    printf("%lld\n", ans >= INF ? -1LL : ans);
    return 0;
}
