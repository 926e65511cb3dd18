#include <algorithm>
#include <cstdio>
#include <vector>

int main() {
    int n;
    long long m;
    if (scanf("%d %lld", &n, &m) != 2) return 0;
    std::vector<long long> t(n);
    for (auto &x : t) scanf("%lld", &x);
    auto enough = [&](long long T) {
        long long pages = 0;
        for (long long x : t) {
            pages += T / x;
            if (pages >= m) return true;  // stop before any overflow
        }
        return false;
    };
    long long lo = 0, hi = *std::min_element(t.begin(), t.end()) * m;
    while (hi - lo > 1) {
        long long mid = lo + (hi - lo) / 2;
        if (enough(mid)) hi = mid;
        else lo = mid;
    }
    printf("%lld\n", hi);
    return 0;
}
