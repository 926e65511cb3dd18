"""The sampler's own overhead: samples per second against a zero-latency local server.

    python -m solver.bench_client [--json] [--samples 4000] [--concurrency 64] [--runs 3] [--n 1]

The server runs in a child process (a bare asyncio protocol, keep-alive HTTP/1.1) and answers
every completion at once with a small C++ program, distinct each time. Two figures per run:
`client`, the model client alone (requests through ModelClient.complete), and `sampler`, the
whole path (prompts, requests, the SQLite cache, code extraction, merging, the JSONL pool).
With `--n 1` (the default) every sample costs one request, the worst case.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from solver.config import ModelConfig, Settings
from solver.models import CompletionRequest, ModelClient
from solver.prompts import Example, ProblemText
from solver.sampler import SamplingConfig, sample_problem

PROBLEM = ProblemText(
    slug="bench",
    name="A plus B",
    statement="Read two integers a and b and print their sum.\n\n" + "Some statement text. " * 150,
    statement_format="markdown",
    examples=(Example("1 2\n", "3\n"),),
    time_limit_s=1.0,
    memory_mib=256,
)

# -- the zero-latency server ---------------------------------------------------------------------


class _ZeroLatency(asyncio.Protocol):
    """Parses just enough HTTP/1.1 (Content-Length bodies, keep-alive) to answer at once."""

    counter = 0

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport: asyncio.Transport = transport  # type: ignore[assignment]
        self.buffer = b""

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while True:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            head = self.buffer[:end].decode("latin-1").lower()
            length = 0
            for line in head.split("\r\n")[1:]:
                name, _, value = line.partition(":")
                if name.strip() == "content-length":
                    length = int(value)
            if len(self.buffer) < end + 4 + length:
                return
            body = self.buffer[end + 4 : end + 4 + length]
            self.buffer = self.buffer[end + 4 + length :]
            self.transport.write(self._answer(head.split(" ", 2)[1], body))

    def _answer(self, path: str, body: bytes) -> bytes:
        request = json.loads(body) if body else {}
        n = int(request.get("n", 1))
        chat = path.endswith("/chat/completions")
        choices = []
        for index in range(n):
            _ZeroLatency.counter += 1
            program = (
                "#include <cstdio>\nint main() {\n    long long a, b;\n"
                '    if (scanf("%lld %lld", &a, &b) == 2) printf("%lld\\n", a + b);\n'
                f"    return 0; // {_ZeroLatency.counter}\n}}\n"
            )
            text = f"Add the two numbers.\n\n```cpp\n{program}```\n"
            choice: dict[str, object] = {"index": index, "finish_reason": "stop"}
            if chat:
                choice["message"] = {"role": "assistant", "content": text}
            else:
                choice["text"] = program
            choices.append(choice)
        payload = json.dumps(
            {
                "id": "bench",
                "object": "chat.completion" if chat else "text_completion",
                "model": request.get("model", "bench"),
                "choices": choices,
                "usage": {
                    "prompt_tokens": 500,
                    "completion_tokens": 60 * n,
                    "total_tokens": 500 + 60 * n,
                },
            }
        ).encode()
        head = (
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n"
            f"content-length: {len(payload)}\r\n\r\n"
        )
        return head.encode() + payload


async def _serve() -> None:
    server = await asyncio.get_running_loop().create_server(
        _ZeroLatency, "127.0.0.1", 0, backlog=1024
    )
    port = server.sockets[0].getsockname()[1]
    print(port, flush=True)
    # Ends when the parent closes our stdin.
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)


class _Server:
    def __enter__(self) -> str:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "solver.bench_client", "--serve"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        port = int(self.process.stdout.readline())
        return f"http://127.0.0.1:{port}/v1"

    def __exit__(self, *exc_info: object) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


# -- the measurements ------------------------------------------------------------------------------


def _config(base_url: str, concurrency: int, n: int) -> ModelConfig:
    return ModelConfig(base_url=base_url, model="bench", concurrency=concurrency, n_per_request=n)


async def _client_rate(config: ModelConfig, samples: int) -> tuple[float, float]:
    request = CompletionRequest(
        messages=(("user", PROBLEM.statement),),
        temperature=0.5,
        max_tokens=512,
        n=config.n_per_request,
    )
    async with ModelClient(config) as client:
        remaining = 0

        async def worker() -> None:
            nonlocal remaining
            while remaining > 0:
                remaining -= config.n_per_request
                await client.complete(request)

        remaining = min(samples, 500)  # warm-up: open the connections
        await asyncio.gather(*(worker() for _ in range(config.concurrency)))
        remaining = samples
        started, cpu = time.perf_counter(), time.process_time()
        await asyncio.gather(*(worker() for _ in range(config.concurrency)))
        return _rates(samples, started, cpu)


def _sampler_rate(config: ModelConfig, samples: int, folder: Path, run: int) -> tuple[float, float]:
    settings = Settings(model=config, cache_path=folder / f"cache-{run}.sqlite")
    sampling = SamplingConfig(samples=samples, max_tokens=512, seed=run)
    started, cpu = time.perf_counter(), time.process_time()
    result = sample_problem(PROBLEM, settings, sampling, out=folder / f"pool-{run}.jsonl")
    assert result.stats.drawn == samples and result.stats.cache_hits == 0
    return _rates(samples, started, cpu)


def _rates(samples: int, started: float, cpu: float) -> tuple[float, float]:
    """Samples per second of wall time, and this process's CPU time per sample (in µs): the
    second does not depend on what else the machine is doing."""
    wall = time.perf_counter() - started
    return samples / wall, (time.process_time() - cpu) / samples * 1e6


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m solver.bench_client", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--samples", type=int, default=4000)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--n", type=int, default=1, help="samples per request (n)")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve:
        asyncio.run(_serve())
        return
    runs = []
    with _Server() as base_url, tempfile.TemporaryDirectory() as folder:
        config = _config(base_url, args.concurrency, args.n)
        for run in range(args.runs):
            client, client_cpu = asyncio.run(_client_rate(config, args.samples))
            sampler, sampler_cpu = _sampler_rate(config, args.samples, Path(folder), run)
            runs.append(
                {
                    "client": round(client, 1),
                    "sampler": round(sampler, 1),
                    "client_cpu_us_per_sample": round(client_cpu),
                    "sampler_cpu_us_per_sample": round(sampler_cpu),
                }
            )
            if not args.json:
                print(
                    f"run {run + 1}: client {client:,.0f}, sampler {sampler:,.0f} samples/s "
                    f"(CPU {client_cpu:,.0f} and {sampler_cpu:,.0f} µs a sample)"
                )
    report = {
        "samples": args.samples,
        "concurrency": args.concurrency,
        "n_per_request": args.n,
        "cpus": os.cpu_count(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "runs": runs,
        "median": {
            key: round(statistics.median(r[key] for r in runs), 1) for key in ("client", "sampler")
        },
        "unit": "samples per second",
    }
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        median = report["median"]
        print(f"median: client {median['client']:,.0f}, sampler {median['sampler']:,.0f} samples/s")


if __name__ == "__main__":
    main()
