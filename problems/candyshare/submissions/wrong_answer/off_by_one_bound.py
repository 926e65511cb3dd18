# WRONG: in the inclusion-exclusion a child "over the limit" is given hi - lo
# extra candies instead of hi - lo + 1.
import sys

MOD = 10 ** 9 + 7


def main():
    n, k, lo, hi = map(int, sys.stdin.read().split())
    r = n - k * lo
    if r < 0:
        print(0)
        return
    c = max(hi - lo, 1)
    N = r + k
    f = [1] * (N + 1)
    for i in range(1, N + 1):
        f[i] = f[i - 1] * i % MOD
    inv = [1] * (N + 1)
    inv[N] = pow(f[N], MOD - 2, MOD)
    for i in range(N, 0, -1):
        inv[i - 1] = inv[i] * i % MOD

    def C(a, b):
        if b < 0 or a < b:
            return 0
        return f[a] * inv[b] % MOD * inv[a - b] % MOD

    ans = 0
    j = 0
    while j <= k and j * c <= r:
        t = C(k, j) * C(r - j * c + k - 1, k - 1)
        ans += -t if j & 1 else t
        j += 1
    print(ans % MOD)


main()
