# TOO SLOW: Fleury's algorithm. Before taking a street it checks with a BFS
# whether the street is a bridge of the remaining streets: O(m * (n + m)) or worse.
import sys
from collections import deque


def main():
    data = sys.stdin.buffer.read().split()
    n, m = int(data[0]), int(data[1])
    adj = [[] for _ in range(n + 1)]
    deg = [0] * (n + 1)
    for i in range(m):
        a = int(data[2 + 2 * i]); b = int(data[3 + 2 * i])
        adj[a].append((b, i))
        adj[b].append((a, i))
        deg[a] += 1
        deg[b] += 1
    odd = sum(d & 1 for d in deg)
    if deg[1] == 0 or not (odd == 0 or (odd == 2 and deg[1] & 1)):
        print("IMPOSSIBLE")
        return
    used = [False] * m

    def reach(s):
        seen = [False] * (n + 1)
        seen[s] = True
        dq = deque([s])
        cnt = 1
        while dq:
            u = dq.popleft()
            for w, i in adj[u]:
                if not used[i] and not seen[w]:
                    seen[w] = True
                    cnt += 1
                    dq.append(w)
        return cnt

    # connectivity: every street must be reachable from 1
    seen_count = 0
    seen = [False] * (n + 1)
    seen[1] = True
    dq = deque([1])
    while dq:
        u = dq.popleft()
        for w, i in adj[u]:
            if not seen[w]:
                seen[w] = True
                dq.append(w)
    for v in range(1, n + 1):
        if deg[v] and not seen[v]:
            print("IMPOSSIBLE")
            return
    route = [1]
    v = 1
    for _ in range(m):
        cand = [(w, i) for w, i in adj[v] if not used[i]]
        chosen = cand[0]
        if len(cand) > 1:
            before = reach(v)
            for w, i in cand:
                used[i] = True
                after = reach(w)
                used[i] = False
                if after == before:  # not a bridge
                    chosen = (w, i)
                    break
        used[chosen[1]] = True
        v = chosen[0]
        route.append(v)
    print(" ".join(map(str, route)))


main()
