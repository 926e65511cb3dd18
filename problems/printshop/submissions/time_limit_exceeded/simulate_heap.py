# Correct but slow: simulates the pages one by one with a heap, O(m log n).
import heapq
import sys


def main():
    data = sys.stdin.buffer.read().split()
    n, m = int(data[0]), int(data[1])
    ts = list(map(int, data[2:2 + n]))
    heap = [(t, t) for t in ts]  # (time the next page is done, period)
    heapq.heapify(heap)
    done = 0
    while True:
        when, t = heap[0]
        done += 1
        if done == m:
            print(when)
            return
        heapq.heapreplace(heap, (when + t, t))


main()
