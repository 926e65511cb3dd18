# TOO SLOW: recomputes the sums over the next k pads with an explicit loop for
# every pad: O(n * k).
import sys


def main():
    data = sys.stdin.buffer.read().split()
    n, k = int(data[0]), int(data[1])
    s = data[2].decode()
    if max(len(run) for run in s.split('.')) >= k:
        print(-1)
        return
    A = [0.0] * n
    S = [0.0] * n
    for i in range(n - 1, -1, -1):
        wa = 0.0
        ws = 0.0
        for j in range(i + 1, min(i + k, n - 1) + 1):
            if s[j] == '.':
                wa += A[j]
                ws += S[j]
        A[i] = 1.0 + wa / k
        S[i] = (max(0, i + k - n + 1) + ws) / k
    print("%.9f" % (A[0] / S[0]))


main()
