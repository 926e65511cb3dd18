// Mistake: the maximum number of inversions n*(n-1)/2 is computed in int,
// which overflows for n > 46341, so large possible requests are rejected.
#include <cstdio>
#include <vector>

int main() {
    int T;
    if (scanf("%d", &T) != 1) return 0;
    while (T--) {
        int n;
        long long k;
        scanf("%d %lld", &n, &k);
        int maxk = n * (n - 1) / 2;
        if (k > maxk) {
            puts("impossible");
            continue;
        }
        std::vector<int> res;
        int r = n;
        while (r > 0 && k >= r - 1) {
            res.push_back(r);
            k -= r - 1;
            --r;
        }
        if (r > 0) {
            res.push_back((int)k + 1);
            for (int v = 1; v <= r; ++v)
                if (v != k + 1) res.push_back(v);
        }
        for (int i = 0; i < n; ++i) printf(i + 1 < n ? "%d " : "%d\n", res[i]);
    }
    return 0;
}
