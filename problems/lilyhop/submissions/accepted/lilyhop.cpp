// E[i] = A[i] + B[i] * E[0]. Instead of B we compute S[i] = 1 - B[i], the
// probability to reach the bank from pad i without slipping (no cancellation).
// Both satisfy recurrences over a window of the next k pads: sliding sums, O(n).
// The bank is unreachable exactly when k consecutive pads are slippery.
#include <bits/stdc++.h>
using namespace std;
typedef long double ld;
int main() {
    int n, k;
    static char buf[200005];
    scanf("%d %d %s", &n, &k, buf);
    string s(buf);
    int run = 0, longest = 0;
    for (char c : s) { run = (c == '#') ? run + 1 : 0; longest = max(longest, run); }
    if (longest >= k) { puts("-1"); return 0; }
    vector<ld> A(n + 1, 0), S(n + 1, 0);
    ld wa = 0, ws = 0;  // sums of A, S over non-slippery pads j in (i, min(i+k, n-1)]
    for (int i = n - 1; i >= 0; i--) {
        int j = i + 1;
        if (j <= n - 1 && s[j] == '.') { wa += A[j]; ws += S[j]; }
        j = i + k + 1;
        if (j <= n - 1 && s[j] == '.') { wa -= A[j]; ws -= S[j]; }
        long long out = max(0LL, (long long)i + k - n + 1);  // faces that reach the bank
        A[i] = 1 + wa / k;
        S[i] = (out + ws) / k;
    }
    printf("%.9Lf\n", A[0] / S[0]);
    return 0;
}
