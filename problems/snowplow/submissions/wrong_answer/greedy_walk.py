# WRONG: drives greedily from the depot along any unused street until it gets
# stuck, without splicing in the cycles it skipped; if streets remain it
# wrongly reports IMPOSSIBLE.
import sys


def main():
    data = sys.stdin.buffer.read().split()
    n, m = int(data[0]), int(data[1])
    adj = [[] for _ in range(n + 1)]
    for i in range(m):
        a = int(data[2 + 2 * i]); b = int(data[3 + 2 * i])
        adj[a].append((b, i))
        adj[b].append((a, i))
    used = [False] * m
    ptr = [0] * (n + 1)
    v = 1
    route = [1]
    while True:
        lst = adj[v]
        p = ptr[v]
        while p < len(lst) and used[lst[p][1]]:
            p += 1
        ptr[v] = p
        if p == len(lst):
            break
        w, i = lst[p]
        used[i] = True
        route.append(w)
        v = w
    if len(route) != m + 1:
        print("IMPOSSIBLE")
    else:
        print(" ".join(map(str, route)))


main()
