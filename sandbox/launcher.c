/*
 * Native programs' side of the sandbox, in two modes.
 *
 * One-shot (the Python fork server, and the docker backend, posix_spawn it per run): it puts
 * the run's limits and the seccomp filter on itself, then becomes the program, which the
 * server handed over as file descriptor 3.
 *
 *   launcher SCRATCH SECCOMP_FILE CPU AS STACK FSIZE NOFILE NPROC -- ARGV...
 *
 * SECCOMP_FILE may be "" when the caller has the filter on itself already (it is inherited).
 *
 * Server (the local backend's fork server for C and C++ runs): the same job as
 * sandbox/forkserver.py, without an interpreter, so a run costs one vfork and one exec and no
 * Python at all. Started inside bubblewrap, as pid 1 of its namespace, as an unprivileged uid:
 *
 *   launcher --serve SOCKET_FD SCRATCH_ROOT CLEAN_TMP(0|1) SERVER_DIR
 *
 * It speaks forkserver.py's protocol (see sandbox/backends/forkserver_client.py): a request is
 * one SOCK_SEQPACKET message of NUL-terminated fields with four descriptors attached (stdin,
 * stdout, stderr, the program); the reply is one JSON object. The server puts no_new_privs and
 * the seccomp filter on itself before the first run, so every run inherits them. Per run:
 * vfork; the child takes its descriptors, a fresh scratch folder and its rlimits, then
 * fexecve's the program. The server waits with a wall-clock watchdog, kills every process
 * the run left (kill(-1) as pid 1), makes the scratch folder anew, empties /tmp and /dev/shm
 * and answers.
 *
 * A limit of -1 is left as it is. Exit status 126 of a run means the launcher itself failed (a
 * judge error, never the program's).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

/* The filter, read once: a run only installs it. */
static unsigned char filter_code[65536];
static struct sock_fprog filter = {0, (struct sock_filter *)filter_code};

static const int limited[] = {RLIMIT_CPU,   RLIMIT_AS,     RLIMIT_STACK,
                              RLIMIT_FSIZE, RLIMIT_NOFILE, RLIMIT_NPROC};
#define LIMITS (sizeof limited / sizeof limited[0])

static void fail(const char *what) {
    dprintf(2, "launcher: %s: %s\n", what, strerror(errno));
    _exit(126);
}

static int read_filter(const char *path) {
    if (path[0] == '\0') return 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    ssize_t size = read(fd, filter_code, sizeof filter_code);
    close(fd);
    if (size <= 0 || size % sizeof(struct sock_filter) != 0) return -1;
    filter.len = (unsigned short)(size / sizeof(struct sock_filter));
    return 0;
}

/* A run's rlimits; `values` are LIMITS decimal strings. Only system calls: it also runs in a
 * vfork child, which shares the server's memory. */
static void limit(char *const *values) {
    for (size_t i = 0; i < LIMITS; i++) {
        long long amount = atoll(values[i]);
        if (amount < 0) continue;
        struct rlimit rl = {(rlim_t)amount, (rlim_t)amount};
        if (setrlimit(limited[i], &rl) != 0) fail("setrlimit");
    }
    struct rlimit none = {0, 0};
    if (setrlimit(RLIMIT_CORE, &none) != 0) fail("setrlimit");
}

/* no_new_privs and the filter, on this process and on every process it starts from now on:
 * a filter is inherited through fork and exec, and a run cannot remove it (only add to it,
 * on its own processes). The server installs it once on itself, not once per run: every
 * install costs the kernel a translation and a compile of the filter (~0.2 ms). */
static void filter_this_process(void) {
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) fail("no_new_privs");
    if (filter.len && prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &filter, 0, 0) != 0)
        fail("seccomp");
}

static int one_shot(int argc, char **argv) {
    if (argc < 11 || strcmp(argv[9], "--") != 0) {
        dprintf(2, "launcher: bad arguments\n");
        return 126;
    }
    if (chdir(argv[1]) != 0) fail("chdir");
    if (read_filter(argv[2]) != 0) fail("read seccomp filter");
    limit(argv + 3);
    filter_this_process();
    if (fcntl(3, F_SETFD, FD_CLOEXEC) != 0) fail("program descriptor");
    fexecve(3, argv + 10, environ);
    fail("exec");
    return 126;
}

/* ---- server mode ------------------------------------------------------------------------ */

#define MAX_FIELDS 1024
#define MAX_DEPTH 32 /* directories held open at once while removing a tree */

/* Folders that outlive a run, besides the scratch root: emptied after each run (in a
 * sandbox of the server's own, CLEAN_TMP 1). */
static const char *const shared_paths[] = {"/tmp", "/dev/shm"};
#define SHARED (sizeof shared_paths / sizeof shared_paths[0])
static int root_fd = -1, shared_fds[SHARED]; /* opened once */
static mode_t root_mode, shared_modes[SHARED];
static unsigned deep_names;

static double seconds(struct timespec t) { return (double)t.tv_sec + t.tv_nsec / 1e9; }

static double since(struct timespec start) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return seconds(now) - seconds(start);
}

/* Removes what is in `dir`. A tree deeper than MAX_DEPTH (a run can nest folders a million
 * deep) is not followed down: its deep part is moved up to `top`, and *again is set so that
 * the caller makes another pass. Returns -1 when something cannot be removed. */
static int remove_contents(int dir, int top, int depth, int *again) {
    int fd = dup(dir);
    if (fd < 0) return -1;
    DIR *listing = fdopendir(fd);
    if (listing == NULL) {
        close(fd);
        return -1;
    }
    rewinddir(listing);
    int result = 0;
    struct dirent *entry;
    while ((entry = readdir(listing)) != NULL) {
        const char *name = entry->d_name;
        if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0) continue;
        if (unlinkat(dir, name, 0) == 0) continue;
        if (errno != EISDIR && errno != EPERM) {
            result = -1;
            continue;
        }
        /* A folder: the run may have taken its permissions away; it owns it, so do we. */
        fchmodat(dir, name, 0700, 0);
        if (depth >= MAX_DEPTH) {
            char moved[32];
            do snprintf(moved, sizeof moved, ".deep-%u", deep_names++);
            while (renameat(dir, name, top, moved) != 0 && (errno == EEXIST || errno == ENOTEMPTY));
            *again = 1;
            continue;
        }
        int sub = openat(dir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (sub < 0 || remove_contents(sub, top, depth + 1, again) != 0) result = -1;
        if (sub >= 0) close(sub);
        if (unlinkat(dir, name, AT_REMOVEDIR) != 0 && !*again) result = -1;
    }
    closedir(listing);
    return result;
}

static int holds_anything(int dir);

/* Passes of remove_contents until nothing is left (a pass may also miss an entry: the folder
 * changes under readdir). */
static int empty_folder(int dir) {
    for (int pass = 0; pass < 100000; pass++) {
        int again = 0;
        if (remove_contents(dir, dir, 0, &again) != 0 && !again) return -1;
        if (!again && !holds_anything(dir)) return 0;
    }
    return -1;
}

/* True when the folder has anything but "." and "..". */
static int holds_anything(int dir) {
    char buffer[4096];
    if (lseek(dir, 0, SEEK_SET) != 0) return 1;
    long size = syscall(SYS_getdents64, dir, buffer, sizeof buffer);
    if (size < 0) return 1;
    for (long offset = 0; offset < size;) {
        struct dirent64 *entry = (struct dirent64 *)(buffer + offset);
        const char *name = entry->d_name;
        if (strcmp(name, ".") != 0 && strcmp(name, "..") != 0) return 1;
        offset += entry->d_reclen;
    }
    return 0;
}

/* Extended attributes (and ACLs, which are stored as such) a run put on a folder that
 * outlives it: the next run could read them. */
static int clear_attributes(int dir) {
    char names[65536];
    ssize_t size = flistxattr(dir, names, sizeof names);
    if (size < 0) return errno == ENOTSUP ? 0 : -1;
    for (ssize_t at = 0; at < size; at += (ssize_t)strlen(names + at) + 1)
        if (fremovexattr(dir, names + at) != 0) return -1;
    return 0;
}

/* The state the next run must find, whatever this one did: the scratch root, /tmp and
 * /dev/shm with their modes, no extended attributes, and nothing in them but an empty "run"
 * folder, made anew (so neither its mode nor anything attached to it carries over). */
static int fresh_scratch(int clean_tmp) {
    struct stat st;
    if (fstat(root_fd, &st) != 0) return -1;
    if ((st.st_mode & 07777) != root_mode && fchmod(root_fd, root_mode) != 0) return -1;
    if (clear_attributes(root_fd) != 0) return -1;
    if (unlinkat(root_fd, "run", AT_REMOVEDIR) != 0 && errno != ENOENT) {
        if (unlinkat(root_fd, "run", 0) != 0) { /* not a file or a link: a folder with things */
            fchmodat(root_fd, "run", 0700, 0);
            int run = openat(root_fd, "run", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (run < 0) return -1;
            int emptied = empty_folder(run);
            close(run);
            if (emptied != 0 || unlinkat(root_fd, "run", AT_REMOVEDIR) != 0) return -1;
        }
    }
    if (holds_anything(root_fd) && empty_folder(root_fd) != 0) return -1;
    if (mkdirat(root_fd, "run", 0700) != 0) return -1;
    for (size_t i = 0; clean_tmp && i < SHARED; i++) {
        int fd = shared_fds[i];
        if (fstat(fd, &st) != 0) return -1;
        if ((st.st_mode & 07777) != shared_modes[i] && fchmod(fd, shared_modes[i]) != 0)
            return -1;
        if (clear_attributes(fd) != 0) return -1;
        if (holds_anything(fd) && empty_folder(fd) != 0) return -1;
    }
    return 0;
}

/* Kills whatever the run left and reaps it. As pid 1 of our own namespace, kill(-1) reaches
 * every other process in it and nothing outside; without a namespace it would reach every
 * process of this uid (the judge's own, when the judge is not root), so only the run's group
 * is killed. Orphans of the run are ours to reap (pid 1), so wait until none is left. */
static void kill_leftovers(pid_t run_group) {
    if (getpid() == 1) {
        for (;;) {
            kill(-1, SIGKILL); /* again after each reap: nothing can fork its way out */
            if (waitpid(-1, NULL, 0) < 0 && errno == ECHILD) return;
        }
    }
    kill(-run_group, SIGKILL);
    while (waitpid(-1, NULL, 0) > 0 || errno == EINTR) continue;
}

struct request {
    long wall_ms;
    char *limits[LIMITS];
    char **argv;
    char **envp;
};

/* Fields: kind, wall_ms, cpu, as, stack, fsize, nofile, nproc, filename, argc, argv..., env...
 * (forkserver_client.py writes them). */
static int parse(char *message, size_t size, struct request *request, char **fields) {
    static char *argv_env[MAX_FIELDS + 2];
    size_t count = 0;
    if (size == 0 || message[size - 1] != '\0') return -1;
    for (size_t start = 0; start < size && count < MAX_FIELDS; count++) {
        fields[count] = message + start;
        start += strlen(message + start) + 1;
    }
    if (count < 11 || strcmp(fields[0], "exec") != 0) return -1;
    request->wall_ms = atol(fields[1]);
    for (size_t i = 0; i < LIMITS; i++) request->limits[i] = fields[2 + i];
    size_t argc = (size_t)atol(fields[9]);
    if (argc < 1 || 10 + argc > count) return -1;
    size_t envc = count - 10 - argc;
    memcpy(argv_env, fields + 10, argc * sizeof(char *));
    argv_env[argc] = NULL;
    memcpy(argv_env + argc + 1, fields + 10 + argc, envc * sizeof(char *));
    argv_env[argc + 1 + envc] = NULL;
    request->argv = argv_env;
    request->envp = argv_env + argc + 1;
    return 0;
}

static void reply(int channel, const char *text) {
    send(channel, text, strlen(text), MSG_NOSIGNAL);
}

static void reply_error(int channel, const char *what) {
    char text[512];
    snprintf(text, sizeof text, "{\"error\": \"%s: errno %d\"}", what, errno);
    reply(channel, text);
}

/* One run; returns -1 when the server can no longer promise a clean state (it then exits, and
 * the judge starts a new one). */
static int serve_one(int channel, struct request *request, int fds[4], int clean_tmp) {
    struct timespec started;
    clock_gettime(CLOCK_MONOTONIC, &started);
    /* vfork: nothing of the server is copied, and the child only makes system calls before
     * it execs (or _exits), as vfork requires. */
    pid_t pid = vfork();
    if (pid == 0) {
        setpgid(0, 0);
        if (fchdir(root_fd) != 0 || chdir("run") != 0) fail("chdir");
        for (int target = 0; target < 3; target++)
            if (dup2(fds[target], target) < 0) fail("dup2");
        limit(request->limits); /* the filter is the server's own, inherited */
        /* The program's descriptor is close-on-exec (MSG_CMSG_CLOEXEC), like every other
         * descriptor of the server: only 0, 1 and 2 reach the program. */
        fexecve(fds[3], request->argv, request->envp);
        fail("exec");
    }
    for (int i = 0; i < 4; i++) close(fds[i]);
    if (pid < 0) {
        reply_error(channel, "vfork");
        return 0;
    }
    int timed_out = 0;
    int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
    if (pidfd >= 0) {
        struct pollfd ready = {pidfd, POLLIN, 0};
        int found;
        do found = poll(&ready, 1, (int)request->wall_ms);
        while (found < 0 && errno == EINTR);
        timed_out = found == 0;
        close(pidfd);
    }
    if (timed_out) kill(-pid, SIGKILL);
    int status = 0;
    struct rusage usage;
    while (wait4(pid, &status, 0, &usage) < 0 && errno == EINTR) continue;
    double wall = since(started);
    kill_leftovers(pid);
    if (fresh_scratch(clean_tmp) != 0) {
        reply_error(channel, "cannot clean the scratch folder");
        return -1;
    }
    char exit_code[16] = "null", killed_by[16] = "null", text[512];
    if (WIFEXITED(status)) snprintf(exit_code, sizeof exit_code, "%d", WEXITSTATUS(status));
    if (WIFSIGNALED(status)) snprintf(killed_by, sizeof killed_by, "%d", WTERMSIG(status));
    snprintf(text, sizeof text,
             "{\"exit_code\": %s, \"signal\": %s, \"cpu_s\": %.6f, \"memory_kib\": %ld, "
             "\"wall_s\": %.6f, \"wall_timeout\": %s}",
             exit_code, killed_by,
             seconds((struct timespec){usage.ru_utime.tv_sec, usage.ru_utime.tv_usec * 1000}) +
                 seconds((struct timespec){usage.ru_stime.tv_sec, usage.ru_stime.tv_usec * 1000}),
             usage.ru_maxrss, wall, timed_out ? "true" : "false");
    reply(channel, text);
    return 0;
}

static int serve(int argc, char **argv) {
    if (argc != 6) {
        dprintf(2, "launcher: usage: launcher --serve SOCKET_FD SCRATCH_ROOT CLEAN_TMP DIR\n");
        return 2;
    }
    int channel = atoi(argv[2]);
    int clean_tmp = strcmp(argv[4], "1") == 0;
    char path[4096];
    fcntl(channel, F_SETFD, FD_CLOEXEC);
    snprintf(path, sizeof path, "%s/seccomp.bpf", argv[5]);
    if (access(path, R_OK) == 0 && read_filter(path) != 0) fail("read seccomp filter");
    /* Runs have the server's uid: without this they could ptrace it or read its memory. */
    if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) fail("dumpable");
    root_fd = open(argv[3], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    struct stat st;
    if (root_fd < 0 || fstat(root_fd, &st) != 0) fail("scratch root");
    root_mode = st.st_mode & 07777;
    for (size_t i = 0; clean_tmp && i < SHARED; i++) {
        shared_fds[i] = open(shared_paths[i], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (shared_fds[i] < 0 || fstat(shared_fds[i], &st) != 0) fail(shared_paths[i]);
        shared_modes[i] = st.st_mode & 07777;
    }
    if (fresh_scratch(clean_tmp) != 0) fail("scratch folder");
    filter_this_process();
    snprintf(path, sizeof path, "{\"ready\": true, \"pid\": %d, \"server\": \"native\"}",
             (int)getpid());
    reply(channel, path);

    static char message[1 << 16];
    static char *fields[MAX_FIELDS];
    for (;;) {
        union {
            struct cmsghdr header;
            char space[CMSG_SPACE(8 * sizeof(int))];
        } control;
        struct iovec data = {message, sizeof message};
        struct msghdr header = {0};
        header.msg_iov = &data;
        header.msg_iovlen = 1;
        header.msg_control = control.space;
        header.msg_controllen = sizeof control.space;
        ssize_t size = recvmsg(channel, &header, MSG_CMSG_CLOEXEC);
        if (size < 0 && errno == EINTR) continue;
        if (size <= 0) return 0; /* the judge closed the channel, or exited */
        int fds[8], count = 0;
        for (struct cmsghdr *c = CMSG_FIRSTHDR(&header); c; c = CMSG_NXTHDR(&header, c)) {
            if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) continue;
            int n = (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
            for (int i = 0; i < n && count < 8; i++)
                memcpy(&fds[count++], CMSG_DATA(c) + i * sizeof(int), sizeof(int));
        }
        struct request request;
        int broken = count != 4 || (header.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) ||
                     parse(message, (size_t)size, &request, fields) != 0;
        for (int i = 0; i < 3 && !broken; i++) broken = fds[i] < 3; /* dup2 would clobber it */
        if (broken) {
            for (int i = 0; i < count; i++) close(fds[i]);
            errno = EINVAL;
            reply_error(channel, "bad request");
            continue;
        }
        if (serve_one(channel, &request, fds, clean_tmp) != 0) return 1;
    }
}

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "--serve") == 0) return serve(argc, argv);
    return one_shot(argc, argv);
}
