import sys


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    ls = data[1:2 * n + 1:2]
    rs = data[2:2 * n + 2:2]
    concerts = sorted(zip(map(int, rs), map(int, ls)))
    last = -1
    count = 0
    for r, l in concerts:
        if l > last:
            count += 1
            last = r
    print(count)


main()
