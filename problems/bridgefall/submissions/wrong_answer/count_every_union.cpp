// WRONG: decrements the number of groups for every bridge added back, even when
// its two islands were already in the same group (a cycle).
#include <bits/stdc++.h>
using namespace std;
vector<int> par;
int find(int x) { while (par[x] != x) { par[x] = par[par[x]]; x = par[x]; } return x; }
int main() {
    int n, m;
    scanf("%d %d", &n, &m);
    vector<int> A(m + 1), B(m + 1);
    for (int i = 1; i <= m; i++) scanf("%d %d", &A[i], &B[i]);
    int q; scanf("%d", &q);
    vector<int> c(q);
    vector<char> gone(m + 1, 0);
    for (auto &x : c) { scanf("%d", &x); gone[x] = 1; }
    par.resize(n + 1);
    iota(par.begin(), par.end(), 0);
    int comps = n;
    for (int i = 1; i <= m; i++) if (!gone[i]) { par[find(A[i])] = find(B[i]); comps--; }
    vector<int> ans(q);
    for (int j = q - 1; j >= 0; j--) {
        ans[j] = comps;
        par[find(A[c[j]])] = find(B[c[j]]);
        comps--;
    }
    for (int x : ans) printf("%d\n", x);
    return 0;
}
