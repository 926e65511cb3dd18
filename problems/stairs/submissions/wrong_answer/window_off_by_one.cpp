// Mistake: the window of previous steps has length k-1 instead of k
// (jumps of length k are forgotten).
#include <cstdio>
#include <vector>

int main() {
    const long long MOD = 1000000007LL;
    int n, k, m;
    if (scanf("%d %d %d", &n, &k, &m) != 3) return 0;
    std::vector<char> broken(n + 1, 0);
    for (int j = 0; j < m; ++j) {
        int b;
        scanf("%d", &b);
        broken[b] = 1;
    }
    std::vector<long long> pre(n + 2, 0);
    pre[1] = 1;
    long long dpi = 1;
    for (int i = 1; i <= n; ++i) {
        int from = i - k + 1 < 0 ? 0 : i - k + 1;
        dpi = broken[i] ? 0 : ((pre[i] - pre[from]) % MOD + MOD) % MOD;
        pre[i + 1] = (pre[i] + dpi) % MOD;
    }
    printf("%lld\n", dpi);
    return 0;
}
