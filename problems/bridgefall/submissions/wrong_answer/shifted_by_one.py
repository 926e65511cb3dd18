# WRONG: off by one in the reverse processing: reports the number of groups
# just before each collapse instead of just after it.
import sys


def main():
    data = sys.stdin.buffer.read().split()
    n, m = int(data[0]), int(data[1])
    A = [0] * (m + 1)
    B = [0] * (m + 1)
    pos = 2
    for i in range(1, m + 1):
        A[i] = int(data[pos]); B[i] = int(data[pos + 1]); pos += 2
    q = int(data[pos]); pos += 1
    c = [int(x) for x in data[pos:pos + q]]
    gone = [False] * (m + 1)
    for x in c:
        gone[x] = True
    par = list(range(n + 1))

    def find(x):
        while par[x] != x:
            par[x] = par[par[x]]
            x = par[x]
        return x

    comps = n
    for i in range(1, m + 1):
        if not gone[i]:
            a, b = find(A[i]), find(B[i])
            if a != b:
                par[a] = b
                comps -= 1
    ans = [0] * q
    for j in range(q - 1, -1, -1):
        a, b = find(A[c[j]]), find(B[c[j]])
        if a != b:
            par[a] = b
            comps -= 1
        ans[j] = comps
    sys.stdout.write("\n".join(map(str, ans)) + "\n")


main()
