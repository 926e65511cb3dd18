"""Recorded pools (JSONL files, folders of sources), merging identical programs, the cache."""

from __future__ import annotations

import json
import multiprocessing
import sqlite3
from pathlib import Path

import pytest

from solver.errors import CacheError, PoolError
from solver.pool import Candidate, PoolWriter, load_pool, merge_identical
from solver.samplecache import CachedSample, SampleCache, request_digest, sample_key
from tests.conftest import write

PY = "print(int(input()) * 2)\n"
CPP = '#include <cstdio>\nint main() { puts("1"); }\n'


def test_a_jsonl_pool_keeps_other_fields_as_metadata(tmp_path: Path) -> None:
    path = tmp_path / "pool.jsonl"
    lines = [
        {"language": "python3", "source": PY, "submission": 17, "verdict": "secret-label"},
        {"language": "c++", "source": CPP},
        {"language": "Python", "source": PY + "\n\n"},  # the same program, other whitespace
    ]
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n\n")
    raw = load_pool(path, merge=False)
    assert [c.language for c in raw] == ["python3", "cpp", "python3"]
    assert raw[0].metadata == {
        "submission": 17,
        "verdict": "secret-label",
        "pool": str(path),
        "line": 1,
    }
    merged = load_pool(path)
    assert [c.language for c in merged] == ["python3", "cpp"]
    assert merged[0].metadata["count"] == 2 and merged[0].source == PY


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("not json", "pool.jsonl:2: not a JSON object"),
        ('["python3", "x"]', "pool.jsonl:2: not a JSON object"),
        ('{"language": "python3"}', 'pool.jsonl:2: no "source" string'),
        ('{"language": "cobol", "source": "x"}', "pool.jsonl:2: unknown language 'cobol'"),
        ('{"source": "x"}', "pool.jsonl:2: language must be a string"),
    ],
)
def test_bad_pool_lines_are_named(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "pool.jsonl"
    path.write_text(json.dumps({"language": "python3", "source": PY}) + "\n" + line + "\n")
    with pytest.raises(PoolError) as error:
        load_pool(path)
    assert message in str(error.value)


def test_a_folder_pool_reads_every_source_with_a_known_extension(tmp_path: Path) -> None:
    folder = tmp_path / "pool"
    write(folder / "a.py", PY)
    write(folder / "deep" / "b.cpp", CPP)
    write(folder / "c.java", "public class C { public static void main(String[] a) {} }\n")
    write(folder / "README.md", "not a program")
    write(folder / ".hidden" / "x.py", "print(0)\n")
    pool = load_pool(folder)
    assert [(c.language, c.metadata["file"]) for c in pool] == [
        ("python3", "a.py"),
        ("java", "c.java"),
        ("cpp", "deep/b.cpp"),
    ]
    (tmp_path / "empty").mkdir()
    with pytest.raises(PoolError, match="no source files"):
        load_pool(tmp_path / "empty")
    with pytest.raises(PoolError, match="no such pool"):
        load_pool(tmp_path / "missing.jsonl")


def test_candidates_compare_by_program_not_metadata() -> None:
    a = Candidate("cpp", CPP, {"sample": 1})
    b = Candidate("cpp", CPP, {"sample": 2})
    assert a == b and hash(a) == hash(b) and Candidate("c", CPP) != a
    merged = merge_identical([a, Candidate("python3", PY, {"sample": 0}), b])
    assert len(merged) == 2
    assert merged[0].metadata == {"sample": 1, "count": 2, "samples": [1, 2]}


def test_the_writer_appends_lines_that_load_back(tmp_path: Path) -> None:
    path = tmp_path / "out" / "pool.jsonl"
    with PoolWriter(path) as writer:
        writer.write(Candidate("cpp", CPP, {"sample": 0, "temperature": 0.5}))
        # Flushed at once: a reader (or a crash) sees every line written so far.
        assert len(path.read_text().splitlines()) == 1
        writer.write(Candidate("python3", PY, {"sample": 1}))
    loaded = load_pool(path, merge=False)
    assert [c.source for c in loaded] == [CPP, PY]
    assert loaded[0].metadata["temperature"] == 0.5


# -- the sample cache ------------------------------------------------------------------------------

SAMPLE = CachedSample("```cpp\n...\n```", "stop", 100, 20, "m", logprob=-3.5, logprob_tokens=20)


def test_the_cache_keeps_samples_across_reopening_in_wal_mode(tmp_path: Path) -> None:
    path = tmp_path / "cache" / "samples.sqlite"
    digest = request_digest({"endpoint": "http://x/v1", "body": {"model": "m", "temperature": 0.5}})
    keys = [sample_key(digest, i) for i in range(3)]
    with SampleCache(path) as cache:
        cache.put_many([(keys[0], SAMPLE), (keys[1], SAMPLE)])
        assert len(cache) == 2
    with SampleCache(path) as cache:
        found = cache.get_many(keys)
        assert set(found) == set(keys[:2]) and found[keys[0]] == SAMPLE
        assert cache.get(keys[2]) is None
    mode = sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"


def test_keys_depend_on_every_part_of_the_request_and_the_index() -> None:
    base = {"endpoint": "http://x/v1", "api": "chat", "body": {"model": "m", "temperature": 0.5}}
    digest = request_digest(base)
    assert request_digest(dict(base)) == digest  # stable
    assert sample_key(digest, 0) != sample_key(digest, 1)
    for changed in (
        {**base, "endpoint": "http://y/v1"},
        {**base, "body": {"model": "m2", "temperature": 0.5}},
        {**base, "body": {"model": "m", "temperature": 0.6}},
    ):
        assert request_digest(changed) != digest


def _writer(path: str, start: int) -> None:
    with SampleCache(path) as cache:
        for i in range(start, start + 50):
            cache.put_many([(f"key-{i}", SAMPLE)])


def test_several_processes_share_one_cache(tmp_path: Path) -> None:
    path = str(tmp_path / "shared.sqlite")
    SampleCache(path).close()
    processes = [
        multiprocessing.get_context("spawn").Process(target=_writer, args=(path, s))
        for s in (0, 50, 100)
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join(30)
        assert process.exitcode == 0
    with SampleCache(path) as cache:
        assert len(cache) == 150


def test_a_file_that_is_not_a_cache_is_a_one_line_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.sqlite"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(CacheError, match="cannot open the sample cache"):
        SampleCache(path)
