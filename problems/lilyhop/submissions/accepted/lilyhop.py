# Expected rolls per attempt A and success probability per attempt S, both via
# sliding-window sums from the last pad backwards; answer = A[0] / S[0].
# The bank is unreachable exactly when k consecutive pads are slippery; this is
# checked combinatorially (a floating-point sum need not come out as exactly 0).
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
    ok = [c == '.' for c in s]
    wa = 0.0
    ws = 0.0
    inv = 1.0 / k
    for i in range(n - 1, -1, -1):
        j = i + 1
        if j < n and ok[j]:
            wa += A[j]
            ws += S[j]
        j = i + k + 1
        if j < n and ok[j]:
            wa -= A[j]
            ws -= S[j]
        out = i + k - n + 1
        if out < 0:
            out = 0
        A[i] = 1.0 + wa * inv
        S[i] = (out + ws) * inv
    print("%.9f" % (A[0] / S[0]))


main()
