// Correct but slow: compares every window with every rotation character by
// character, O(n * m) on typical inputs and O(n * m^2) in the worst case.
#include <iostream>
#include <string>

int main() {
    std::ios::sync_with_stdio(false);
    std::string p, t;
    std::cin >> p >> t;
    int m = p.size(), n = t.size();
    long long count = 0;
    for (int i = 0; i + m <= n; ++i) {
        bool found = false;
        for (int j = 0; j < m && !found; ++j) {
            int k = 0;
            while (k < m && t[i + k] == p[(j + k) % m]) ++k;
            if (k == m) found = true;
        }
        if (found) ++count;
    }
    std::cout << count << "\n";
    return 0;
}
