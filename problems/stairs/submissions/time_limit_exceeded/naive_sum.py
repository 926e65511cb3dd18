# Correct but slow: recomputes the sum over the last k steps for every step,
# O(n * k).
import sys


def main():
    data = sys.stdin.buffer.read().split()
    n, k, m = int(data[0]), int(data[1]), int(data[2])
    MOD = 10**9 + 7
    broken = set(int(x) for x in data[3:3 + m])
    dp = [0] * (n + 1)
    dp[0] = 1
    for i in range(1, n + 1):
        if i not in broken:
            dp[i] = sum(dp[max(0, i - k):i]) % MOD
    print(dp[n])


main()
