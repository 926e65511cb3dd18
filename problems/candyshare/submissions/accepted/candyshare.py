# Inclusion-exclusion over the children that get more than hi - lo extra candies.
import sys

MOD = 10 ** 9 + 7


def main():
    n, k, lo, hi = map(int, sys.stdin.read().split())
    r = n - k * lo
    if r < 0:
        print(0)
        return
    c1 = hi - lo + 1
    N = r + k
    f = [1] * (N + 1)
    x = 1
    for i in range(1, N + 1):
        x = x * i % MOD
        f[i] = x
    inv = [1] * (N + 1)
    x = pow(f[N], MOD - 2, MOD)
    for i in range(N, 0, -1):
        inv[i] = x
        x = x * i % MOD
    inv[0] = x
    ans = 0
    jmax = min(k, r // c1)
    base = inv[k - 1]
    for j in range(jmax + 1):
        a = r - j * c1 + k - 1
        # C(k, j) * C(a, k - 1)
        t = f[k] * inv[j] % MOD * inv[k - j] % MOD * f[a] % MOD * base % MOD * inv[a - k + 1] % MOD
        if j & 1:
            ans -= t
        else:
            ans += t
    print(ans % MOD)


main()
