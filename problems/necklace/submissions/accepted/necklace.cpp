// Exact O(n + m) solution with the Z-function.
// t[i, i+m) = p[j, m) + p[0, j) for some j  <=>  there is a split point s
// (i < s <= i+m) where the text up to s ends with a suffix of p of length
// s - i, and the text from s starts with a prefix of p of length i + m - s.
// With A[s] = lcp(t[s..], p) and S[s] = longest common suffix of t[..s) and p,
// split s serves exactly the windows i in [max(s-S[s], s-m), min(s+A[s]-m, s-1)].
#include <algorithm>
#include <iostream>
#include <string>
#include <vector>

static std::vector<int> zfunc(const std::string &s) {
    int len = s.size();
    std::vector<int> z(len, 0);
    z[0] = len;
    for (int i = 1, l = 0, r = 0; i < len; ++i) {
        if (i < r) z[i] = std::min(r - i, z[i - l]);
        while (i + z[i] < len && s[z[i]] == s[i + z[i]]) ++z[i];
        if (i + z[i] > r) l = i, r = i + z[i];
    }
    return z;
}

int main() {
    std::ios::sync_with_stdio(false);
    std::string p, t;
    std::cin >> p >> t;
    int m = p.size(), n = t.size();
    if (m > n) {
        std::cout << 0 << "\n";
        return 0;
    }
    std::vector<int> z1 = zfunc(p + "#" + t);
    std::string rp(p.rbegin(), p.rend()), rt(t.rbegin(), t.rend());
    std::vector<int> z2 = zfunc(rp + "#" + rt);
    int W = n - m + 1;  // window starts 0..W-1
    std::vector<int> diff(W + 1, 0);
    for (int s = 1; s <= n; ++s) {
        int A = (s < n) ? z1[m + 1 + s] : 0;
        int S = z2[m + 1 + (n - s)];
        int lo = std::max(s - S, s - m);
        int hi = std::min(s + A - m, s - 1);
        lo = std::max(lo, 0);
        hi = std::min(hi, W - 1);
        if (lo <= hi) {
            diff[lo]++;
            diff[hi + 1]--;
        }
    }
    long long count = 0;
    int cur = 0;
    for (int i = 0; i < W; ++i) {
        cur += diff[i];
        if (cur > 0) ++count;
    }
    std::cout << count << "\n";
    return 0;
}
