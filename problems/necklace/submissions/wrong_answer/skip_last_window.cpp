// Mistake: off by one in the window loop, the last window t[n-m, n) is never
// checked (also misses the whole text when m == n).
#include <iostream>
#include <string>
#include <unordered_set>

typedef unsigned long long u64;
static const u64 MOD = (1ULL << 61) - 1;

static u64 mulmod(u64 a, u64 b) {
    __uint128_t r = (__uint128_t)a * b;
    u64 lo = (u64)(r & MOD), hi = (u64)(r >> 61);
    u64 s = lo + hi;
    return s >= MOD ? s - MOD : s;
}

int main() {
    std::ios::sync_with_stdio(false);
    const u64 BASE = 1000003;
    std::string p, t;
    std::cin >> p >> t;
    int m = p.size(), n = t.size();
    u64 top = 1;
    for (int i = 0; i < m; ++i) top = mulmod(top, BASE);
    std::string pp = p + p.substr(0, m - 1);
    std::unordered_set<u64> rot;
    u64 h = 0;
    for (int i = 0; i < (int)pp.size(); ++i) {
        h = (mulmod(h, BASE) + (u64)pp[i]) % MOD;
        if (i >= m) h = (h + MOD - mulmod((u64)pp[i - m], top)) % MOD;
        if (i >= m - 1) rot.insert(h);
    }
    long long count = 0;
    h = 0;
    for (int i = 0; i + 1 < n; ++i) {
        h = (mulmod(h, BASE) + (u64)t[i]) % MOD;
        if (i >= m) h = (h + MOD - mulmod((u64)t[i - m], top)) % MOD;
        if (i >= m - 1 && rot.count(h)) ++count;
    }
    std::cout << count << "\n";
    return 0;
}
