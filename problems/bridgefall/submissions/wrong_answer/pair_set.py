# WRONG: identifies bridges by the pair of islands they join. When one of two
# parallel bridges collapses, the other one is treated as gone as well.
import sys


def main():
    data = sys.stdin.buffer.read().split()
    n, m = int(data[0]), int(data[1])
    pairs = []
    pos = 2
    for i in range(m):
        a = int(data[pos]); b = int(data[pos + 1]); pos += 2
        pairs.append((min(a, b), max(a, b)))
    q = int(data[pos]); pos += 1
    c = [int(x) for x in data[pos:pos + q]]
    removed = set(pairs[x - 1] for x in c)
    par = list(range(n + 1))

    def find(x):
        while par[x] != x:
            par[x] = par[par[x]]
            x = par[x]
        return x

    comps = n
    for p in set(pairs):
        if p not in removed:
            a, b = find(p[0]), find(p[1])
            if a != b:
                par[a] = b
                comps -= 1
    ans = [0] * q
    for j in range(q - 1, -1, -1):
        ans[j] = comps
        a, b = pairs[c[j] - 1]
        a, b = find(a), find(b)
        if a != b:
            par[a] = b
            comps -= 1
    sys.stdout.write("\n".join(map(str, ans)) + "\n")


main()
