import sys

while True:
    sys.stdout.write("3\n" * 100000)
