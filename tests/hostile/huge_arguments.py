import os

try:
    os.execve("/bin/true", ["true"] + ["x" * 100000] * 2000, {"BIG": "y" * 10**8})
except OSError:
    pass
print(3)
