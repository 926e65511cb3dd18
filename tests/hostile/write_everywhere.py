import os

TARGETS = [
    "/tmp/hostile-mark",
    os.path.expanduser("~/hostile-mark"),
    "/hostile-mark",
    "/usr/hostile-mark",
    "/etc/hostile-mark",
    "/program/hostile-mark",
    "/root/hostile-mark",
    "/work/hostile-mark",
    os.environ.get("PROBLEM_DIR", "/x") + "/mark",
]
for target in TARGETS:
    try:
        with open(target, "w") as f:
            f.write("hostile")
    except OSError:
        pass
a, b = map(int, input().split())
print(a + b)
