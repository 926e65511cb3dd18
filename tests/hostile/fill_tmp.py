import os

try:
    with open("/tmp/fill", "wb") as f:
        while True:
            f.write(b"x" * (1 << 20))
except OSError:
    pass
n = 0
try:
    while True:
        open(f"/scratch/f{n}", "w").close()
        n += 1
        if n > 500:
            break
except OSError:
    pass
print(3)
