// Different construction from the Python solution: choose the Lehmer code
// (c_i = number of later, smaller elements, 0 <= c_i <= n-1-i) filling the
// positions from the RIGHT, then decode it with a Fenwick tree.
#include <cstdio>
#include <vector>

int main() {
    int T;
    if (scanf("%d", &T) != 1) return 0;
    std::vector<char> buf;
    while (T--) {
        long long n, k;
        scanf("%lld %lld", &n, &k);
        if (k > n * (n - 1) / 2) {
            puts("impossible");
            continue;
        }
        std::vector<int> c(n);
        for (long long i = n - 1; i >= 0; --i) {
            long long cap = n - 1 - i;
            long long take = k < cap ? k : cap;
            c[i] = (int)take;
            k -= take;
        }
        // Fenwick tree over values 1..n, all present; find the (c_i+1)-th smallest.
        std::vector<int> tree(n + 1, 0);
        for (int v = 1; v <= n; ++v) {
            tree[v] += 1;
            int u = v + (v & -v);
            if (u <= n) tree[u] += tree[v];
        }
        int LOG = 1;
        while ((1 << LOG) <= n) ++LOG;
        std::vector<int> perm(n);
        for (int i = 0; i < n; ++i) {
            int want = c[i] + 1, pos = 0;
            for (int b = LOG; b >= 0; --b) {
                int nxt = pos + (1 << b);
                if (nxt <= n && tree[nxt] < want) {
                    pos = nxt;
                    want -= tree[nxt];
                }
            }
            int v = pos + 1;
            perm[i] = v;
            for (int u = v; u <= n; u += u & -u) tree[u] -= 1;
        }
        for (int i = 0; i < n; ++i) printf(i + 1 < n ? "%d " : "%d\n", perm[i]);
    }
    return 0;
}
