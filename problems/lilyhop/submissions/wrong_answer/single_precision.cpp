// WRONG: same algorithm as the reference, but with single-precision floats;
// the rounding errors of the long sliding sums exceed the allowed 1e-6.
#include <bits/stdc++.h>
using namespace std;
int main() {
    int n, k;
    static char buf[200005];
    scanf("%d %d %s", &n, &k, buf);
    string s(buf);
    int run = 0, longest = 0;
    for (char c : s) { run = (c == '#') ? run + 1 : 0; longest = max(longest, run); }
    if (longest >= k) { puts("-1"); return 0; }
    vector<float> A(n + 1, 0), S(n + 1, 0);
    float wa = 0, ws = 0;
    for (int i = n - 1; i >= 0; i--) {
        int j = i + 1;
        if (j <= n - 1 && s[j] == '.') { wa += A[j]; ws += S[j]; }
        j = i + k + 1;
        if (j <= n - 1 && s[j] == '.') { wa -= A[j]; ws -= S[j]; }
        int out = max(0, i + k - n + 1);
        A[i] = 1 + wa / k;
        S[i] = (out + ws) / k;
    }
    printf("%.9f\n", A[0] / S[0]);
    return 0;
}
