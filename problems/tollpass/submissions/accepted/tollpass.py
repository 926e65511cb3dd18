# Dijkstra on the layered graph: state = 2*city + (pass used).
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
    dist = [INF] * (2 * n + 2)
    dist[2] = 0
    heap = [(0, 2)]
    while heap:
        d, s = heappop(heap)
        if d != dist[s]:
            continue
        u = s >> 1
        if s & 1:
            for v, w in adj[u]:
                nd = d + w
                t = 2 * v + 1
                if nd < dist[t]:
                    dist[t] = nd
                    heappush(heap, (nd, t))
        else:
            for v, w in adj[u]:
                nd = d + w
                t = 2 * v
                if nd < dist[t]:
                    dist[t] = nd
                    heappush(heap, (nd, t))
                nd = d + (w >> 1)
                t += 1
                if nd < dist[t]:
                    dist[t] = nd
                    heappush(heap, (nd, t))
    ans = min(dist[2 * n], dist[2 * n + 1])
    print(-1 if ans == INF else ans)


main()
