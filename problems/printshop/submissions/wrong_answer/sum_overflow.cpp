// Mistake: generous upper bound 2e18, and the page count is summed over all
// printers without stopping early, so it overflows long long for large T.
#include <cstdio>
#include <vector>

int main() {
    int n;
    long long m;
    if (scanf("%d %lld", &n, &m) != 2) return 0;
    std::vector<long long> t(n);
    for (auto &x : t) scanf("%lld", &x);
    long long lo = 0, hi = 2000000000000000000LL;
    while (hi - lo > 1) {
        long long mid = lo + (hi - lo) / 2;
        long long pages = 0;
        for (long long x : t) pages += mid / x;
        if (pages >= m) hi = mid;
        else lo = mid;
    }
    printf("%lld\n", hi);
    return 0;
}
