// TOO SLOW: tries the pass on every road separately and runs a plain Dijkstra
// for each choice: O(m * (n + m) log n).
#include <bits/stdc++.h>
using namespace std;
int n, m;
vector<int> U, V; vector<long long> W;
vector<vector<pair<int, int>>> adj;  // (neighbour, road index)
long long run(int special) {
    const long long INF = LLONG_MAX / 4;
    vector<long long> dist(n + 1, INF);
    priority_queue<pair<long long, int>, vector<pair<long long, int>>, greater<>> pq;
    dist[1] = 0; pq.push({0, 1});
    while (!pq.empty()) {
        auto [d, u] = pq.top(); pq.pop();
        if (d != dist[u]) continue;
        for (auto [v, id] : adj[u]) {
            long long w = (id == special) ? W[id] / 2 : W[id];
            if (d + w < dist[v]) { dist[v] = d + w; pq.push({dist[v], v}); }
        }
    }
    return dist[n];
}
int main() {
    scanf("%d %d", &n, &m);
    U.resize(m); V.resize(m); W.resize(m); adj.assign(n + 1, {});
    for (int i = 0; i < m; i++) {
        scanf("%d %d %lld", &U[i], &V[i], &W[i]);
        adj[U[i]].push_back({V[i], i});
        adj[V[i]].push_back({U[i], i});
    }
    long long best = run(-1);
    for (int i = 0; i < m; i++) best = min(best, run(i));
    printf("%lld\n", best >= LLONG_MAX / 4 ? -1LL : best);
    return 0;
}
