# TOO SLOW: dynamic programming over the children with prefix sums,
# O(k * (n - k*lo)) time.
import sys

MOD = 10 ** 9 + 7


def main():
    n, k, lo, hi = map(int, sys.stdin.read().split())
    r = n - k * lo
    if r < 0:
        print(0)
        return
    c = hi - lo
    dp = [0] * (r + 1)
    dp[0] = 1
    for _ in range(k):
        pre = [0] * (r + 2)
        for s in range(r + 1):
            pre[s + 1] = (pre[s] + dp[s]) % MOD
        dp = [(pre[s + 1] - pre[max(0, s - c)]) % MOD for s in range(r + 1)]
    print(dp[r] % MOD)


main()
