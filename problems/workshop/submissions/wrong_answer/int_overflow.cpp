// Mistake: correct order, but the running total is kept in a 32-bit int.
#include <algorithm>
#include <cstdio>
#include <vector>

struct Order {
    int t, w;
};

int main() {
    int n;
    if (scanf("%d", &n) != 1) return 0;
    std::vector<Order> o(n);
    for (auto &x : o) scanf("%d %d", &x.t, &x.w);
    std::sort(o.begin(), o.end(), [](const Order &a, const Order &b) {
        return a.t * b.w < b.t * a.w;
    });
    int time = 0;
    int total = 0;
    for (auto &x : o) {
        time += x.t;
        total += x.w * time;
    }
    printf("%d\n", total);
    return 0;
}
