#include <cstdio>
#include <sched.h>
#include <sys/mount.h>
int main() {
    if (mount("none", "/scratch", "tmpfs", 0, nullptr) == 0) std::puts("mounted");
    if (unshare(CLONE_NEWUSER | CLONE_NEWNS) == 0) std::puts("unshared");
    std::puts("3");
}
