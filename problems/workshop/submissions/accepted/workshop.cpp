#include <algorithm>
#include <cstdio>
#include <vector>

struct Order {
    long long t, w;
};

int main() {
    int n;
    if (scanf("%d", &n) != 1) return 0;
    std::vector<Order> o(n);
    for (auto &x : o) scanf("%lld %lld", &x.t, &x.w);
    std::sort(o.begin(), o.end(), [](const Order &a, const Order &b) {
        return a.t * b.w < b.t * a.w;
    });
    long long time = 0, total = 0;
    for (auto &x : o) {
        time += x.t;
        total += x.w * time;
    }
    printf("%lld\n", total);
    return 0;
}
