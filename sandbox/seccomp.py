"""A seccomp filter of the system calls a contest solution never needs, as raw BPF.

Built here by hand (no libseccomp), so the sandbox's fork server, which runs with the standard
library only, can install it in each child with one prctl. Denied calls fail with EPERM rather
than killing the program, so a solution that probes (say, for a socket) gets a clean error.

Only x86_64 has a table; elsewhere `filter_program()` returns None and `solver doctor` says so.
"""

from __future__ import annotations

import platform
import struct

# struct seccomp_data: nr at 0, arch at 4, args[0] at 16 (low 32 bits on little-endian).
_NR, _ARCH, _ARG0 = 0, 4, 16
_BPF_LD_W_ABS = 0x20
_BPF_JEQ_K = 0x15
_BPF_JGE_K = 0x35
_BPF_RET_K = 0x06
_AUDIT_ARCH_X86_64 = 0xC000003E
_X32_SYSCALL_BIT = 0x40000000
_RET_ALLOW = 0x7FFF0000
_RET_KILL_PROCESS = 0x80000000
_EPERM = 1
_RET_EPERM = 0x00050000 | _EPERM
_AF_UNIX = 1

# x86_64 numbers (asm/unistd_64.h), by what they would let a program do.
X86_64_DENIED: dict[str, int] = {
    # watch or change other processes
    "ptrace": 101,
    "process_vm_readv": 310,
    "process_vm_writev": 311,
    "pidfd_getfd": 438,
    "pidfd_send_signal": 424,
    # change the file system view or leave the namespaces
    "mount": 165,
    "umount2": 166,
    "pivot_root": 155,
    "chroot": 161,
    "unshare": 272,
    "setns": 308,
    "open_tree": 428,
    "move_mount": 429,
    "fsopen": 430,
    "fsconfig": 431,
    "fsmount": 432,
    "fspick": 433,
    "mount_setattr": 442,
    "name_to_handle_at": 303,
    "open_by_handle_at": 304,
    # the kernel and the machine
    "kexec_load": 246,
    "kexec_file_load": 320,
    "reboot": 169,
    "swapon": 167,
    "swapoff": 168,
    "init_module": 175,
    "finit_module": 313,
    "delete_module": 176,
    "bpf": 321,
    "perf_event_open": 298,
    "userfaultfd": 323,
    "io_uring_setup": 425,
    "io_uring_enter": 426,
    "io_uring_register": 427,
    "keyctl": 250,
    "add_key": 248,
    "request_key": 249,
    "acct": 163,
    "settimeofday": 164,
    "clock_settime": 227,
    "adjtimex": 159,
    "syslog": 103,
    "quotactl": 179,
    "vhangup": 153,
    "iopl": 172,
    "ioperm": 173,
    "sethostname": 170,
    "setdomainname": 171,
    "lookup_dcookie": 212,
    "uselib": 134,
    "nfsservctl": 180,
    # objects that outlive the process that made them: a fork server's runs share one IPC
    # namespace, so one run could leave data (or a full queue) for the next; POSIX message
    # queues cannot even be listed to be removed
    "shmget": 29,
    "shmat": 30,
    "shmctl": 31,
    "shmdt": 67,
    "semget": 64,
    "semop": 65,
    "semctl": 66,
    "semtimedop": 220,
    "msgget": 68,
    "msgsnd": 69,
    "msgrcv": 70,
    "msgctl": 71,
    "mq_open": 240,
    "mq_unlink": 241,
    "mq_timedsend": 242,
    "mq_timedreceive": 243,
    "mq_notify": 244,
    "mq_getsetattr": 245,
}
_SOCKET = 41  # allowed for AF_UNIX only (pipes between a program's own processes)


def _instruction(code: int, jt: int, jf: int, k: int) -> bytes:
    return struct.pack("=HBBI", code, jt, jf, k)


def build_x86_64() -> bytes:
    """The filter as a sock_filter array: wrong architecture or x32 ABI kills; the denied
    calls, and sockets other than AF_UNIX, fail with EPERM; everything else is allowed."""
    denied = sorted(set(X86_64_DENIED.values()))
    program: list[bytes] = []
    # Layout: [0] load arch, [1] arch check, [2] load nr, [3] x32 check, [4..] denied checks,
    # then the socket check, ALLOW, EPERM, KILL at the end.
    count = len(denied)
    allow = 4 + count + 3  # index of RET ALLOW
    eperm = allow + 1
    kill = allow + 2

    def jump_to(target: int, here: int) -> int:
        return target - here - 1

    program.append(_instruction(_BPF_LD_W_ABS, 0, 0, _ARCH))
    program.append(_instruction(_BPF_JEQ_K, 0, jump_to(kill, 1), _AUDIT_ARCH_X86_64))
    program.append(_instruction(_BPF_LD_W_ABS, 0, 0, _NR))
    program.append(_instruction(_BPF_JGE_K, jump_to(kill, 3), 0, _X32_SYSCALL_BIT))
    for offset, number in enumerate(denied):
        here = 4 + offset
        program.append(_instruction(_BPF_JEQ_K, jump_to(eperm, here), 0, number))
    here = 4 + count
    program.append(_instruction(_BPF_JEQ_K, 0, jump_to(allow, here), _SOCKET))
    program.append(_instruction(_BPF_LD_W_ABS, 0, 0, _ARG0))
    program.append(_instruction(_BPF_JEQ_K, 0, jump_to(eperm, here + 2), _AF_UNIX))
    program.append(_instruction(_BPF_RET_K, 0, 0, _RET_ALLOW))
    program.append(_instruction(_BPF_RET_K, 0, 0, _RET_EPERM))
    program.append(_instruction(_BPF_RET_K, 0, 0, _RET_KILL_PROCESS))
    assert len(program) == kill + 1
    return b"".join(program)


def filter_program() -> bytes | None:
    """The BPF program for this machine, or None where there is no table for it."""
    if platform.machine() in ("x86_64", "AMD64"):
        return build_x86_64()
    return None
