// Mistake: correct greedy, but treats concerts that touch (one ends at the
// minute the next starts) as compatible: uses >= instead of >.
#include <algorithm>
#include <cstdio>
#include <utility>
#include <vector>

int main() {
    int n;
    if (scanf("%d", &n) != 1) return 0;
    std::vector<std::pair<int, int>> c(n);  // (end, start)
    for (auto &p : c) scanf("%d %d", &p.second, &p.first);
    std::sort(c.begin(), c.end());
    int last = -1, count = 0;
    for (auto &p : c) {
        if (p.second >= last) {
            ++count;
            last = p.first;
        }
    }
    printf("%d\n", count);
    return 0;
}
