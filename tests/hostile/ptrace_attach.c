#include <stdio.h>
#include <sys/ptrace.h>
#include <unistd.h>
int main(void) {
    if (ptrace(PTRACE_ATTACH, 1, 0, 0) == 0) puts("attached to 1");
    if (ptrace(PTRACE_ATTACH, getppid(), 0, 0) == 0) puts("attached to parent");
    puts("3"); return 0;
}
