/*
 * The fork server's launcher for native programs: started by posix_spawn (a vfork, so the
 * server's address space is never copied), it puts the run's limits and the seccomp filter on
 * itself, then becomes the program, which the server handed over as file descriptor 3.
 *
 *   launcher SCRATCH SECCOMP_FILE CPU AS STACK FSIZE NOFILE NPROC -- ARGV...
 *
 * A limit of -1 is left as it is. Standard input, output and error are already in place.
 * Exit status 126 means the launcher itself failed (a judge error, never the program's).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

extern char **environ;

static void fail(const char *what) {
    dprintf(2, "launcher: %s: %s\n", what, strerror(errno));
    _exit(126);
}

static void limit(int resource, const char *value) {
    long long amount = atoll(value);
    if (amount < 0) return;
    struct rlimit rl = {(rlim_t)amount, (rlim_t)amount};
    if (setrlimit(resource, &rl) != 0) fail("setrlimit");
}

static void install_seccomp(const char *path) {
    static unsigned char program[65536];
    if (path[0] == '\0') return;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) fail("open seccomp filter");
    ssize_t size = read(fd, program, sizeof program);
    close(fd);
    if (size <= 0 || size % sizeof(struct sock_filter) != 0) fail("read seccomp filter");
    struct sock_fprog fprog = {(unsigned short)(size / sizeof(struct sock_filter)),
                               (struct sock_filter *)program};
    if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &fprog, 0, 0) != 0) fail("seccomp");
}

int main(int argc, char **argv) {
    if (argc < 11 || strcmp(argv[9], "--") != 0) {
        dprintf(2, "launcher: bad arguments\n");
        return 126;
    }
    if (chdir(argv[1]) != 0) fail("chdir");
    limit(RLIMIT_CPU, argv[3]);
    limit(RLIMIT_AS, argv[4]);
    limit(RLIMIT_STACK, argv[5]);
    limit(RLIMIT_FSIZE, argv[6]);
    limit(RLIMIT_NOFILE, argv[7]);
    limit(RLIMIT_NPROC, argv[8]);
    limit(RLIMIT_CORE, "0");
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) fail("no_new_privs");
    install_seccomp(argv[2]);
    if (fcntl(3, F_SETFD, FD_CLOEXEC) != 0) fail("program descriptor");
    fexecve(3, argv + 10, environ);
    fail("exec");
    return 126;
}
