// Euler trail from intersection 1 (Hierholzer, iterative).
// Exists iff every street is reachable from 1 and the odd-degree intersections
// are none, or exactly two of which one is intersection 1.
#include <bits/stdc++.h>
using namespace std;
int main() {
    int n, m;
    scanf("%d %d", &n, &m);
    vector<int> A(m), B(m), deg(n + 1, 0);
    vector<vector<pair<int, int>>> adj(n + 1);
    for (int i = 0; i < m; i++) {
        scanf("%d %d", &A[i], &B[i]);
        adj[A[i]].push_back({B[i], i});
        adj[B[i]].push_back({A[i], i});
        deg[A[i]]++; deg[B[i]]++;
    }
    int odd = 0;
    for (int v = 1; v <= n; v++) odd += deg[v] % 2;
    bool ok = deg[1] > 0 && (odd == 0 || (odd == 2 && deg[1] % 2 == 1));
    if (ok) {
        vector<char> used(m, 0);
        vector<size_t> ptr(n + 1, 0);
        vector<int> st = {1}, path;
        while (!st.empty()) {
            int v = st.back();
            while (ptr[v] < adj[v].size() && used[adj[v][ptr[v]].second]) ptr[v]++;
            if (ptr[v] == adj[v].size()) { path.push_back(v); st.pop_back(); }
            else {
                auto [w, id] = adj[v][ptr[v]];
                used[id] = 1;
                st.push_back(w);
            }
        }
        if ((int)path.size() != m + 1) ok = false;  // some street not reachable from 1
        else {
            reverse(path.begin(), path.end());
            string out;
            for (int i = 0; i <= m; i++) { if (i) out += ' '; out += to_string(path[i]); }
            puts(out.c_str());
        }
    }
    if (!ok) puts("IMPOSSIBLE");
    return 0;
}
