"""A real OpenAI-compatible HTTP server on 127.0.0.1 for the sampler's tests, with faults.

It runs an asyncio server in a background thread on an ephemeral port and speaks just enough
HTTP/1.1 (keep-alive, Content-Length bodies) for httpx. A share of the requests (`fault_rate`,
seeded) fail in one of the ways real endpoints fail:

  429        rate limited, with a Retry-After header
  500        an internal error
  slow       the answer comes after `slow_s` (beyond the client's timeout in the tests)
  malformed  a 200 whose body is not JSON
  cutoff     a 200 whose body stops halfway, then the connection closes
  drop       the connection closes without any answer

Every request is counted (`requests`), whatever happens to it, so a test can assert that a run
sent none. `revoke_after` refuses the key (401) once that many answers were given;
`stop_after` shuts the server down once that many answers were given (`restart` brings it
back on the same port).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
import threading
from collections import Counter
from collections.abc import Callable
from typing import Any

FAULTS = ("429", "500", "slow", "malformed", "cutoff", "drop")

Answer = Callable[[dict[str, Any], int], str]


def cpp_answer(request: dict[str, Any], number: int) -> str:
    """A distinct small C++ program per answer, fenced, after a line of prose."""
    program = f'#include <cstdio>\nint main() {{\n    puts("{number}");\n}}\n'
    if "prompt" in request:  # plain completions: the prompt ended inside an open fence
        return program
    return f"Print the answer.\n\n```cpp\n{program}```\n"


class FakeOpenAI:
    def __init__(
        self,
        *,
        api_key: str | None = None,
        honour_n: bool = True,
        fault_rate: float = 0.0,
        faults: tuple[str, ...] = FAULTS,
        seed: int = 0,
        slow_s: float = 0.6,
        retry_after: str = "0.01",
        latency_s: float = 0.0,
        answer: Answer = cpp_answer,
        report_usage: bool = True,
    ) -> None:
        self.api_key = api_key
        self.honour_n = honour_n
        self.fault_rate = fault_rate
        self.faults = faults
        self.slow_s = slow_s
        self.retry_after = retry_after
        self.latency_s = latency_s
        self.answer = answer
        self.report_usage = report_usage
        self.revoke_after: int | None = None
        self.stop_after: int | None = None
        self.requests = 0  # every HTTP request received
        self.answered = 0  # completions answered with 200
        self.choices_sent = 0
        self.injected: Counter[str] = Counter()
        self.bodies: list[dict[str, Any]] = []
        self.port = 0
        self._rng = random.Random(seed)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()

    # -- life cycle (called from the test's thread) ----------------------------------------------

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def start(self) -> FakeOpenAI:
        self._thread.start()
        self._call(self._listen())
        return self

    def restart(self) -> None:
        """Listen again on the same port (after `stop_after` shut it down)."""
        self.stop_after = None
        self._call(self._listen())

    def close(self) -> None:
        if self._thread.is_alive():
            self._call(self._shutdown())
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=5)
        self._loop.close()

    def __enter__(self) -> FakeOpenAI:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _call(self, coroutine: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout=10)

    # -- the server (on its own loop) ------------------------------------------------------------

    async def _listen(self) -> None:
        self._server = await asyncio.start_server(
            self._connection, "127.0.0.1", self.port, backlog=512, reuse_address=True
        )
        self.port = self._server.sockets[0].getsockname()[1]

    async def _shutdown(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        for writer in list(self._writers):
            writer.close()
        self._writers.clear()

    async def _connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._writers.add(writer)
        try:
            while True:
                try:
                    head = await reader.readuntil(b"\r\n\r\n")
                    lines = head.decode("latin-1").split("\r\n")
                    path = lines[0].split(" ")[1]
                    headers = {}
                    for line in lines[1:]:
                        name, _, value = line.partition(":")
                        headers[name.strip().lower()] = value.strip()
                    length = int(headers.get("content-length") or 0)
                    body = await reader.readexactly(length) if length else b""
                except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
                    return
                if not await self._respond(writer, path, headers, body):
                    return
        finally:
            self._writers.discard(writer)
            writer.close()

    async def _send(
        self,
        writer: asyncio.StreamWriter,
        status: str,
        payload: bytes,
        extra: dict[str, str] | None = None,
        *,
        length: int | None = None,
    ) -> None:
        headers = {
            "content-type": "application/json",
            "content-length": str(length or len(payload)),
        }
        headers.update(extra or {})
        head = f"HTTP/1.1 {status}\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        writer.write(head.encode() + b"\r\n" + payload)
        with contextlib.suppress(ConnectionError):
            await writer.drain()

    @staticmethod
    def _error(message: str, kind: str) -> bytes:
        return json.dumps({"error": {"message": message, "type": kind}}).encode()

    async def _respond(
        self, writer: asyncio.StreamWriter, path: str, headers: dict[str, str], body: bytes
    ) -> bool:
        """Answers one request; False closes the connection."""
        self.requests += 1
        revoked = self.revoke_after is not None and self.answered >= self.revoke_after
        if self.api_key is not None and (
            revoked or headers.get("authorization") != f"Bearer {self.api_key}"
        ):
            await self._send(
                writer, "401 Unauthorized", self._error("Incorrect API key provided", "auth")
            )
            return True
        if path not in ("/v1/chat/completions", "/v1/completions"):
            await self._send(writer, "404 Not Found", self._error(f"no route {path}", "not_found"))
            return True
        request = json.loads(body)
        self.bodies.append(request)
        if self.fault_rate and self._rng.random() < self.fault_rate:
            fault = self._rng.choice(self.faults)
            self.injected[fault] += 1
            return await self._fault(writer, fault, request)
        if self.latency_s:
            await asyncio.sleep(self._rng.random() * self.latency_s)
        await self._send(writer, "200 OK", self._completion(request, path))
        if self.stop_after is not None and self.answered >= self.stop_after:
            await self._shutdown()
            return False
        return True

    async def _fault(
        self, writer: asyncio.StreamWriter, fault: str, request: dict[str, Any]
    ) -> bool:
        if fault == "429":
            await self._send(
                writer,
                "429 Too Many Requests",
                self._error("Rate limit reached", "rate_limit"),
                {"retry-after": self.retry_after},
            )
            return True
        if fault == "500":
            await self._send(writer, "500 Internal Server Error", self._error("boom", "server"))
            return True
        if fault == "slow":
            await asyncio.sleep(self.slow_s)
            # The client has given up by now; this answer must not count as a sample.
            await self._send(writer, "200 OK", b'{"error": "too late"}')
            return False
        if fault == "malformed":
            await self._send(writer, "200 OK", b'{"choices": [{"message": ')
            return True
        if fault == "cutoff":
            whole = json.dumps(
                {"choices": [{"index": 0, "message": {"content": "x" * 400}}]}
            ).encode()
            await self._send(writer, "200 OK", whole[: len(whole) // 2], length=len(whole))
            return False
        return False  # drop: close without a word

    def _completion(self, request: dict[str, Any], path: str) -> bytes:
        chat = path.endswith("/chat/completions")
        n = int(request.get("n", 1)) if self.honour_n else 1
        choices = []
        for index in range(n):
            self.choices_sent += 1
            text = self.answer(request, self.choices_sent)
            choice: dict[str, Any] = {"index": index, "finish_reason": "stop"}
            if chat:
                choice["message"] = {"role": "assistant", "content": text}
            else:
                choice["text"] = text
            if request.get("logprobs"):
                tokens = [-0.5] * 4
                choice["logprobs"] = (
                    {"content": [{"token": "x", "logprob": t} for t in tokens]}
                    if chat
                    else {"token_logprobs": tokens}
                )
            choices.append(choice)
        self.answered += 1
        data: dict[str, Any] = {
            "id": f"fake-{self.answered}",
            "object": "chat.completion" if chat else "text_completion",
            "model": request.get("model", "fake"),
            "choices": choices,
        }
        if self.report_usage:
            prompt = json.dumps(request.get("messages") or request.get("prompt"))
            data["usage"] = {
                "prompt_tokens": len(prompt) // 4,
                "completion_tokens": 20 * n,
                "total_tokens": len(prompt) // 4 + 20 * n,
            }
        return json.dumps(data).encode()
