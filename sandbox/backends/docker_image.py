"""The docker backend's default image, built from this machine's own Debian packages.

No image can be pulled on the machines this project runs on, so the image is made locally: the
files of the Debian packages that gcc, g++ and python3 (and Java, where it is installed) need,
taken from this machine, with an /etc holding only what they read and a `sandbox` user, brought
in with `docker import`. The sandbox's own run-time files (the fork server, the launcher, the
seccomp filter) are not in the image: the backend mounts them read-only at start.

    python -m sandbox.backends.docker_image [--tag TAG] [--no-java]
"""

from __future__ import annotations

import argparse
import io
import os
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Iterable
from pathlib import Path

DEFAULT_IMAGE = "solver-sandbox:local"
SANDBOX_UID = 65000  # the unprivileged user every run in a container has
ROOT_PACKAGES = ("g++", "gcc", "libc6-dev", "python3", "coreutils", "dash", "bash")
JAVA_PACKAGES = ("default-jdk-headless", "openjdk-17-jdk-headless")
SKIPPED_PREFIXES = ("/usr/share/doc/", "/usr/share/man/", "/usr/share/info/", "/usr/share/locale/")
# What the toolchains read from /etc; nothing else of the host's /etc (no shadow, no keys).
ETC_KEPT = ("ld.so.cache", "ld.so.conf")
MERGED_USR_LINKS = {"bin": "usr/bin", "sbin": "usr/sbin", "lib": "usr/lib", "lib64": "usr/lib64"}


def _installed(package: str) -> bool:
    done = subprocess.run(
        ["dpkg-query", "-W", "-f=${Status}", package], capture_output=True, text=True, check=False
    )
    return done.stdout.startswith("install ok installed")


def _dependencies(package: str) -> list[str]:
    done = subprocess.run(
        ["dpkg-query", "-W", "-f=${Depends},${Pre-Depends}", package],
        capture_output=True,
        text=True,
        check=False,
    )
    found = []
    for clause in done.stdout.split(","):
        # "a (>= 1) | b": the first alternative that is installed satisfies it.
        for alternative in clause.split("|"):
            name = alternative.strip().split(" ")[0].split(":")[0]
            if name and _installed(name):
                found.append(name)
                break
    return found


def package_closure(roots: Iterable[str]) -> list[str]:
    """The installed packages `roots` need, recursively."""
    seen: set[str] = set()
    pending = [p for p in roots if _installed(p)]
    while pending:
        package = pending.pop()
        if package not in seen:
            seen.add(package)
            pending.extend(_dependencies(package))
    return sorted(seen)


def _package_files(packages: list[str]) -> list[str]:
    done = subprocess.run(["dpkg", "-L", *packages], capture_output=True, text=True, check=True)
    paths = set()
    for line in done.stdout.splitlines():
        # The packages' own configuration files are kept (the JDK reads its /etc folder); the
        # top-level /bin and the like are the merged-/usr links, written separately.
        if not line.startswith(("/usr/", "/etc/", "/bin/", "/sbin/", "/lib")):
            continue
        if line.startswith(SKIPPED_PREFIXES) or line.strip("/") in MERGED_USR_LINKS:
            continue
        # Merged /usr: /bin/sh is /usr/bin/sh; the parent is resolved, the name is kept (it may
        # itself be a symbolic link, which goes into the image as a link).
        path = Path(line)
        real = Path(os.path.realpath(path.parent)) / path.name
        if real.is_symlink() or real.is_file():
            paths.add(str(real))
    return sorted(paths)


def _alternative_links(files: set[str]) -> list[str]:
    """Commands reached through /etc/alternatives (cc, c++, java), which no package lists,
    where the program they lead to is in the image."""
    links = []
    for folder in (Path("/usr/bin"), Path("/usr/sbin")):
        for entry in folder.iterdir():
            alternative = entry.is_symlink() and os.readlink(entry).startswith("/etc/alternatives/")
            if alternative and os.path.realpath(entry) in files:
                links += [str(entry), os.readlink(entry)]
    return links


def _add_text(archive: tarfile.TarFile, name: str, text: str, mode: int = 0o644) -> None:
    data = text.encode()
    info = tarfile.TarInfo(name)
    info.size, info.mode = len(data), mode
    archive.addfile(info, io.BytesIO(data))


def write_root_filesystem(target: Path, *, java: bool = True) -> int:
    """Writes the image's root file system as a tar archive; returns how many files it holds."""
    roots = list(ROOT_PACKAGES)
    if java:
        roots += [p for p in JAVA_PACKAGES if _installed(p)]
    files = _package_files(package_closure(roots))
    files += _alternative_links(set(files))
    with tarfile.open(target, "w") as archive:
        for name, link in MERGED_USR_LINKS.items():
            if os.path.islink(f"/{name}"):
                info = tarfile.TarInfo(name)
                info.type, info.linkname = tarfile.SYMTYPE, link
                archive.addfile(info)
        added: set[str] = set()
        for path in files:
            parents = Path(path).parents
            for parent in reversed(parents[:-1]):  # directories first, with their modes
                if str(parent) not in added:
                    added.add(str(parent))
                    archive.add(str(parent), arcname=str(parent)[1:], recursive=False)
            if path not in added:
                added.add(path)
                archive.add(path, arcname=path[1:], recursive=False)
        for name in ETC_KEPT:
            if os.path.exists(f"/etc/{name}") and f"/etc/{name}" not in added:
                archive.add(f"/etc/{name}", arcname=f"etc/{name}")
        _add_text(
            archive,
            "etc/passwd",
            f"root:x:0:0:root:/root:/bin/sh\nsandbox:x:{SANDBOX_UID}:{SANDBOX_UID}::/scratch:/bin/sh\n",
        )
        _add_text(archive, "etc/group", f"root:x:0:\nsandbox:x:{SANDBOX_UID}:\n")
        for folder in ("tmp", "scratch", "judge", "proc", "dev", "sys", "root"):
            info = tarfile.TarInfo(folder)
            info.type, info.mode = tarfile.DIRTYPE, 0o1777 if folder == "tmp" else 0o755
            archive.addfile(info)
    return len(added)


def build_image(client: object, tag: str = DEFAULT_IMAGE, *, java: bool = True) -> str:
    """Builds the image with `docker import` through the engine's API; returns its id."""
    with tempfile.TemporaryDirectory(prefix="solver-image-") as folder:
        archive = Path(folder) / "rootfs.tar"
        write_root_filesystem(archive, java=java)
        repository, _, version = tag.partition(":")
        client.api.import_image_from_file(  # type: ignore[attr-defined]
            str(archive), repository=repository, tag=version or "latest"
        )
    return client.images.get(tag).id  # type: ignore[attr-defined]


def main(argv: list[str] | None = None) -> int:
    import docker  # the docker package, only when an image is built

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tag", default=DEFAULT_IMAGE)
    parser.add_argument("--no-java", action="store_true", help="leave the JDK out")
    options = parser.parse_args(argv)
    try:
        client = docker.from_env()
        image_id = build_image(client, options.tag, java=not options.no_java)
    except docker.errors.DockerException as error:
        print(f"error: cannot build {options.tag}: {error}", file=sys.stderr)
        return 2
    print(f"{options.tag} {image_id}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
