"""Compiling a submission once per distinct source, in the sandbox, with an on-disk cache.

The cache key is a hash of the language, its compiler's version, the compile command and every
source file's name and bytes; a compile error is cached too, so nothing is compiled twice.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sandbox.backends.local import LocalBackend
from sandbox.cache import default_cache_dir
from sandbox.errors import LanguageError
from sandbox.languages import Language, toolchain_available, toolchain_version
from sandbox.limits import COMPILE_LIMITS
from sandbox.normalize import normalized_source

COMPILER_MESSAGE_BYTES = 4096


@dataclass(frozen=True)
class Program:
    """A built program, ready to be staged into a box and run."""

    language: Language
    directory: Path
    main: str

    def argv(self, program_root: str, memory_mib: int) -> list[str]:
        return [
            part.format(program=program_root, main=self.main, memory_mib=memory_mib)
            for part in self.language.run
        ]


@dataclass(frozen=True)
class BuildResult:
    ok: bool
    program: Program | None
    time_s: float
    message: str
    cached: bool


def source_files(source: Path) -> list[Path]:
    """A submission is one file, or a directory of files (all of them are staged)."""
    if source.is_dir():
        return sorted(p for p in source.rglob("*") if p.is_file())
    return [source]


@dataclass(frozen=True)
class StagedFile:
    path: Path
    name: str  # its relative path in the compiler's source folder
    compiled: bool  # passed to the compiler (headers and data files are only staged)


def stage_plan(source: Path, language: Language) -> list[StagedFile]:
    """What goes into the compiler's folder. A single file named for another language (the user
    chose the language) gets the language's extension, so that the compiler knows it."""
    if source.is_file():
        name = source.name
        if source.suffix not in language.extensions:
            name = source.stem + language.extensions[0]
        return [StagedFile(source, name, True)]
    return [
        StagedFile(f, str(f.relative_to(source)), f.suffix in language.extensions)
        for f in source_files(source)
    ]


def _cache_key(language: Language, files: list[StagedFile], backend_key: str = "") -> str:
    digest = hashlib.sha256()
    header = [language.id, toolchain_version(language), *language.compile, *language.run]
    if backend_key:  # where the backend's compiler is not this machine's (a docker image)
        header.append(backend_key)
    digest.update(json.dumps(header).encode())
    single = len(files) == 1 and language.entry != "java-class"
    for file in files:
        # A lone C, C++ or Python file's name does not change the program; a Java class's does.
        digest.update(b"\0" if single else file.name.encode() + b"\0")
        text = file.path.read_bytes()
        if file.compiled:
            text = normalized_source(text, language.id)
        digest.update(hashlib.sha256(text).digest())
    return digest.hexdigest()


_JAVA_MAIN = re.compile(rb"static\s+(?:final\s+)?void\s+main\s*\(")
_JAVA_CLASS = re.compile(rb"\b(?:class|interface|enum|record)\s+([A-Za-z_$][\w$]*)")
_JAVA_PACKAGE = re.compile(rb"^\s*package\s+([\w.]+)\s*;", re.M)


def _entry_point(language: Language, files: list[StagedFile]) -> str:
    compiled = [f for f in files if f.compiled]
    if language.entry == "exe":
        return "main"
    if language.entry == "script":
        names = [f.name for f in compiled]
        for preferred in ("main.py", "__main__.py"):
            if preferred in names:
                return preferred
        return names[0]
    # java-class: the file's own class when it declares one (Java names a public class after
    # its file), else the class declared last before `main`; qualified by its package.
    for file in compiled:
        text = file.path.read_bytes()
        found = _JAVA_MAIN.search(text)
        if found is None:
            continue
        stem = Path(file.name).stem
        classes = [c.decode() for c in _JAVA_CLASS.findall(text[: found.start()])]
        name = stem if stem in classes else (classes[-1] if classes else stem)
        package = _JAVA_PACKAGE.search(text)
        return f"{package.group(1).decode()}.{name}" if package else name
    return Path(compiled[0].name).stem if compiled else "Main"


class Builder:
    """Builds programs through a backend, with the compile cache on disk."""

    def __init__(self, backend: LocalBackend, cache_dir: Path | None = None) -> None:
        self._backend = backend
        self._cache = (cache_dir or default_cache_dir()) / "build"
        self._cache.mkdir(parents=True, exist_ok=True)

    def build(self, source: Path, language: Language) -> BuildResult:
        if not toolchain_available(language):
            raise LanguageError(f"{language.name}: {language.compile[0]} is not installed")
        files = stage_plan(source, language)
        if not any(f.compiled for f in files):
            raise LanguageError(f"{source}: no {language.name} source file")
        entry = self._cache / _cache_key(language, files, self._backend.build_key(language))
        meta_path = entry / "meta.json"
        if meta_path.exists():
            meta = json.loads(meta_path.read_text())
            return self._result(language, entry, meta, cached=True)
        meta = self._compile(language, files, entry)
        return self._result(language, entry, meta, cached=False)

    def _result(self, language: Language, entry: Path, meta: dict, cached: bool) -> BuildResult:
        program = Program(language, entry / "program", meta["main"]) if meta["ok"] else None
        return BuildResult(meta["ok"], program, meta["time_s"], meta["message"], cached)

    def _compile(self, language: Language, files: list[StagedFile], entry: Path) -> dict:
        with self._backend.box(language=language) as box:
            out = box.writable_dir("out")
            sources = []
            for file in files:
                destination = box.scratch_dir / "src" / file.name
                destination.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(file.path, destination)
                if file.compiled:
                    sources.append(f"{box.scratch_root}/src/{file.name}")
            argv: list[str] = []
            for part in language.compile:
                if part == "{sources}":
                    argv += sources
                else:
                    argv.append(
                        part.format(out=f"{box.scratch_root}/out", src=f"{box.scratch_root}/src")
                    )
            result = box.run(
                argv,
                stdin=None,
                limits=COMPILE_LIMITS,
                limit_address_space=language.limit_address_space,
            )
            stdout = result.stdout_path.read_bytes()[:COMPILER_MESSAGE_BYTES]
            message = (stdout + result.stderr).decode(errors="replace")[:COMPILER_MESSAGE_BYTES]
            ok = result.exited_cleanly
            if not ok and not message:
                message = "the compiler was stopped" if result.wall_timeout else "compile failed"
            program_files = out if language.entry != "script" else box.scratch_dir / "src"
            meta = {
                "ok": ok,
                "time_s": round(result.wall_s, 3),
                "message": message.strip(),
                "main": _entry_point(language, files) if ok else "",
            }
            self._store(entry, program_files if ok else None, meta)
        return meta

    def _store(self, entry: Path, program_files: Path | None, meta: dict) -> None:
        """Write the entry whole, then rename it into place: a crash leaves no half entry."""
        staging = Path(tempfile.mkdtemp(dir=self._cache, prefix=".tmp-"))
        program = staging / "program"
        if program_files is not None:
            shutil.copytree(program_files, program)
        else:
            program.mkdir()
        for path in [program, *program.rglob("*")]:
            path.chmod(0o755 if path.is_dir() or os.access(path, os.X_OK) else 0o644)
        (staging / "meta.json").write_text(json.dumps(meta))
        staging.chmod(0o755)
        try:
            staging.rename(entry)
        except OSError:  # another worker stored the same entry first
            shutil.rmtree(staging, ignore_errors=True)
