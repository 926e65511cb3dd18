// Process the collapses backwards: start from the final state and add bridges
// back with a union-find structure.
#include <bits/stdc++.h>
using namespace std;
vector<int> par, sz;
int find(int x) {
    while (par[x] != x) { par[x] = par[par[x]]; x = par[x]; }
    return x;
}
bool unite(int a, int b) {
    a = find(a); b = find(b);
    if (a == b) return false;
    if (sz[a] < sz[b]) swap(a, b);
    par[b] = a; sz[a] += sz[b];
    return true;
}
int main() {
    int n, m;
    scanf("%d %d", &n, &m);
    vector<int> A(m + 1), B(m + 1);
    for (int i = 1; i <= m; i++) scanf("%d %d", &A[i], &B[i]);
    int q; scanf("%d", &q);
    vector<int> c(q);
    vector<char> gone(m + 1, 0);
    for (auto &x : c) { scanf("%d", &x); gone[x] = 1; }
    par.resize(n + 1); sz.assign(n + 1, 1);
    iota(par.begin(), par.end(), 0);
    int comps = n;
    for (int i = 1; i <= m; i++) if (!gone[i] && unite(A[i], B[i])) comps--;
    vector<int> ans(q);
    for (int j = q - 1; j >= 0; j--) {
        ans[j] = comps;
        if (unite(A[c[j]], B[c[j]])) comps--;
    }
    string out;
    for (int x : ans) { out += to_string(x); out += '\n'; }
    fputs(out.c_str(), stdout);
    return 0;
}
