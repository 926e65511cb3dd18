# WRONG: finds the cheapest trip without the pass, then uses the pass on the
# most expensive road of that trip. The best trip with the pass may be different.
import sys
from heapq import heappush, heappop


def main():
    data = sys.stdin.buffer.read().split()
    n, m = int(data[0]), int(data[1])
    adj = [[] for _ in range(n + 1)]
    pos = 2
    for _ in range(m):
        u = int(data[pos]); v = int(data[pos + 1]); w = int(data[pos + 2])
        pos += 3
        adj[u].append((v, w))
        adj[v].append((u, w))
    INF = float('inf')
    dist = [INF] * (n + 1)
    par_w = [0] * (n + 1)
    par = [0] * (n + 1)
    dist[1] = 0
    heap = [(0, 1)]
    while heap:
        d, u = heappop(heap)
        if d != dist[u]:
            continue
        for v, w in adj[u]:
            if d + w < dist[v]:
                dist[v] = d + w
                par[v] = u
                par_w[v] = w
                heappush(heap, (d + w, v))
    if dist[n] == INF:
        print(-1)
        return
    best = 0
    x = n
    while x != 1:
        best = max(best, par_w[x])
        x = par[x]
    print(dist[n] - best + best // 2)


main()
