# Euler trail from intersection 1 with an iterative Hierholzer algorithm.
import sys


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
    ptr = [0] * (n + 1)
    stack = [1]
    path = []
    while stack:
        v = stack[-1]
        lst = adj[v]
        p = ptr[v]
        while p < len(lst) and used[lst[p][1]]:
            p += 1
        ptr[v] = p
        if p == len(lst):
            path.append(v)
            stack.pop()
        else:
            w, i = lst[p]
            used[i] = True
            stack.append(w)
    if len(path) != m + 1:  # some street is not reachable from 1
        print("IMPOSSIBLE")
        return
    path.reverse()
    print(" ".join(map(str, path)))


main()
