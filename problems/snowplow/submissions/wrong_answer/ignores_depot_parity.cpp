// WRONG: accepts "0 or 2 odd intersections" without checking that, in the
// second case, the depot 1 is one of them; Hierholzer then starts at an even
// vertex and the printed sequence is not a valid route.
#include <bits/stdc++.h>
using namespace std;
int main() {
    int n, m;
    scanf("%d %d", &n, &m);
    vector<int> deg(n + 1, 0);
    vector<vector<pair<int, int>>> adj(n + 1);
    for (int i = 0; i < m; i++) {
        int a, b;
        scanf("%d %d", &a, &b);
        adj[a].push_back({b, i});
        adj[b].push_back({a, i});
        deg[a]++; deg[b]++;
    }
    int odd = 0;
    for (int v = 1; v <= n; v++) odd += deg[v] % 2;
    if (deg[1] == 0 || (odd != 0 && odd != 2)) { puts("IMPOSSIBLE"); return 0; }
    vector<char> used(m, 0);
    vector<size_t> ptr(n + 1, 0);
    vector<int> st = {1}, path;
    while (!st.empty()) {
        int v = st.back();
        while (ptr[v] < adj[v].size() && used[adj[v][ptr[v]].second]) ptr[v]++;
        if (ptr[v] == adj[v].size()) { path.push_back(v); st.pop_back(); }
        else { auto [w, id] = adj[v][ptr[v]]; used[id] = 1; st.push_back(w); }
    }
    if ((int)path.size() != m + 1) { puts("IMPOSSIBLE"); return 0; }
    reverse(path.begin(), path.end());
    for (int i = 0; i <= m; i++) printf("%d%c", path[i], i == m ? '\n' : ' ');
    return 0;
}
