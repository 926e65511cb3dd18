# WRONG: off by one when counting the die faces that carry the frog to the bank
# from pad i (uses i + k - n instead of i + k - n + 1), as if the frog had to
# jump strictly beyond position n.
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
    for i in range(n - 1, -1, -1):
        j = i + 1
        if j < n and ok[j]:
            wa += A[j]
            ws += S[j]
        j = i + k + 1
        if j < n and ok[j]:
            wa -= A[j]
            ws -= S[j]
        out = max(0, i + k - n)
        A[i] = 1.0 + wa / k
        S[i] = (out + ws) / k
    if S[0] <= 0:
        print(-1)
    else:
        print("%.9f" % (A[0] / S[0]))


main()
