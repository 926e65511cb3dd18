// Mistake: greedy by earliest START time instead of earliest end time.
#include <algorithm>
#include <cstdio>
#include <utility>
#include <vector>

int main() {
    int n;
    if (scanf("%d", &n) != 1) return 0;
    std::vector<std::pair<int, int>> c(n);  // (start, end)
    for (auto &p : c) scanf("%d %d", &p.first, &p.second);
    std::sort(c.begin(), c.end());
    int last = -1, count = 0;
    for (auto &p : c) {
        if (p.first > last) {
            ++count;
            last = p.second;
        }
    }
    printf("%d\n", count);
    return 0;
}
