import os

seen = []
for pid in os.listdir("/proc"):
    if pid.isdigit():
        try:
            seen.append(open(f"/proc/{pid}/cmdline", "rb").read().replace(b"\0", b" ").decode())
        except OSError:
            pass
# Only this run's own processes (and the server that forked it) are visible.
print(
    3
    if not any("solver" in s or "pytest" in s or "sshd" in s for s in seen)
    else "saw: " + " | ".join(seen)
)
