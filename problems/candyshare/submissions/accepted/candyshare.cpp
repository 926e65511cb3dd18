// Give everybody lo candies first; then count solutions of x_1 + ... + x_k = r
// with 0 <= x_i <= c = hi - lo by inclusion-exclusion over the children that
// receive more than c:  sum_j (-1)^j C(k, j) C(r - j(c+1) + k - 1, k - 1).
#include <bits/stdc++.h>
using namespace std;
const long long MOD = 1000000007LL;
long long power(long long b, long long e) {
    long long r = 1; b %= MOD;
    while (e) { if (e & 1) r = r * b % MOD; b = b * b % MOD; e >>= 1; }
    return r;
}
int main() {
    long long n, k, lo, hi;
    cin >> n >> k >> lo >> hi;
    long long r = n - k * lo;
    if (r < 0) { puts("0"); return 0; }
    long long c = hi - lo;
    int N = (int)(r + k);
    vector<long long> f(N + 1), inv(N + 1);
    f[0] = 1;
    for (int i = 1; i <= N; i++) f[i] = f[i - 1] * i % MOD;
    inv[N] = power(f[N], MOD - 2);
    for (int i = N; i > 0; i--) inv[i - 1] = inv[i] * i % MOD;
    auto C = [&](long long a, long long b) -> long long {
        if (b < 0 || a < b) return 0;
        return f[a] * inv[b] % MOD * inv[a - b] % MOD;
    };
    long long ans = 0;
    for (long long j = 0; j <= k && j * (c + 1) <= r; j++) {
        long long t = C(k, j) * C(r - j * (c + 1) + k - 1, k - 1) % MOD;
        ans = (j % 2 == 0) ? (ans + t) % MOD : (ans - t + MOD) % MOD;
    }
    printf("%lld\n", ans);
    return 0;
}
