// Mistake: a single 32-bit modulus. With ~10^5 windows checked against ~10^5
// rotation hashes, accidental collisions are expected on large tests.
#include <iostream>
#include <string>
#include <unordered_set>

int main() {
    std::ios::sync_with_stdio(false);
    const long long MOD = 1000000007LL, BASE = 131;
    std::string p, t;
    std::cin >> p >> t;
    int m = p.size(), n = t.size();
    if (m > n) {
        std::cout << 0 << "\n";
        return 0;
    }
    long long top = 1;
    for (int i = 0; i < m; ++i) top = top * BASE % MOD;
    std::string pp = p + p.substr(0, m - 1);
    std::unordered_set<long long> rot;
    long long h = 0;
    for (int i = 0; i < (int)pp.size(); ++i) {
        h = (h * BASE + pp[i]) % MOD;
        if (i >= m) h = ((h - pp[i - m] * top) % MOD + MOD) % MOD;
        if (i >= m - 1) rot.insert(h);
    }
    long long count = 0;
    h = 0;
    for (int i = 0; i < n; ++i) {
        h = (h * BASE + t[i]) % MOD;
        if (i >= m) h = ((h - t[i - m] * top) % MOD + MOD) % MOD;
        if (i >= m - 1 && rot.count(h)) ++count;
    }
    std::cout << count << "\n";
    return 0;
}
