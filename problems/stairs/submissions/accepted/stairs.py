import sys


def main():
    data = sys.stdin.buffer.read().split()
    n, k, m = int(data[0]), int(data[1]), int(data[2])
    MOD = 10**9 + 7
    broken = bytearray(n + 1)
    for x in data[3:3 + m]:
        broken[int(x)] = 1
    # dp[i] = number of ways to stand on step i; a sliding window keeps
    # dp[i-k] + ... + dp[i-1].
    dp = [0] * (n + 1)
    dp[0] = 1
    window = 1
    for i in range(1, n + 1):
        v = 0 if broken[i] else window % MOD
        dp[i] = v
        window += v
        if i >= k:
            window -= dp[i - k]
    print(dp[n])


main()
