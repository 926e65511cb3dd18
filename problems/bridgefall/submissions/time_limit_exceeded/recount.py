# TOO SLOW: after every collapse, recounts the groups from scratch with a BFS:
# O(q * (n + m)).
import sys
from collections import deque


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
    alive = [True] * (m + 1)
    out = []
    for x in c:
        alive[x] = False
        adj = [[] for _ in range(n + 1)]
        for i in range(1, m + 1):
            if alive[i]:
                adj[A[i]].append(B[i])
                adj[B[i]].append(A[i])
        seen = [False] * (n + 1)
        comps = 0
        for s in range(1, n + 1):
            if not seen[s]:
                comps += 1
                seen[s] = True
                dq = deque([s])
                while dq:
                    u = dq.popleft()
                    for v in adj[u]:
                        if not seen[v]:
                            seen[v] = True
                            dq.append(v)
        out.append(comps)
    sys.stdout.write("\n".join(map(str, out)) + "\n")


main()
