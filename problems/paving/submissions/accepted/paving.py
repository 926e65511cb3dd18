import sys


def main():
    w, h, a = map(int, sys.stdin.read().split())
    print(((w + a - 1) // a) * ((h + a - 1) // a))


main()
