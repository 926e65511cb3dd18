"""Exceptions for the solver's infrastructure failing; a sample without code is a value, not one.

SolverError
├── ConfigError             a bad option, environment variable or config file (names which)
├── ProblemError            a problem the solver cannot prompt for (no statement)
├── PoolError               a recorded pool that cannot be read (names the file and the line)
├── CacheError              the sample cache cannot be opened or written
└── ModelError              the model endpoint failed; low-level httpx errors become these
    ├── EndpointUnreachable   nothing answers at the base URL (refused, unknown host, no route)
    ├── AuthenticationError   the API key was refused (401, 403)
    ├── RequestRejected       any other 4xx: the request itself is wrong (unknown model, bad
    │                         parameter); never retried
    ├── RetriesExhausted      a transient failure that outlasted every retry (`last` says which)
    └── TransientError        worth retrying; callers of the client only see it in `last`
        ├── RateLimited         429 (with the server's Retry-After, if any)
        ├── ServerError         5xx, 408, 409
        ├── RequestTimeout      no complete answer within the timeout
        ├── ConnectionDropped   the connection closed before a whole response (cut-off bodies)
        ├── ConnectFailed       a refused or timed-out connection after the endpoint had answered
        └── MalformedResponse   a 2xx whose body is not a completion (bad JSON, no choices)

Every message fits on one line, so the command line can print `error: <message>` and nothing else.
"""

from __future__ import annotations


class SolverError(Exception):
    """Base of every error the solver raises."""


class ConfigError(SolverError):
    pass


class ProblemError(SolverError):
    pass


class PoolError(SolverError):
    pass


class CacheError(SolverError):
    pass


class ModelError(SolverError):
    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class EndpointUnreachable(ModelError):
    pass


class AuthenticationError(ModelError):
    pass


class RequestRejected(ModelError):
    pass


class TransientError(ModelError):
    # What the failure is called in counters and progress lines.
    kind = "transient"


class RateLimited(TransientError):
    kind = "rate-limited"

    def __init__(
        self, message: str, *, status: int | None = 429, retry_after_s: float | None = None
    ) -> None:
        super().__init__(message, status=status)
        self.retry_after_s = retry_after_s


class ServerError(TransientError):
    kind = "server-error"

    def __init__(
        self, message: str, *, status: int | None = None, retry_after_s: float | None = None
    ) -> None:
        super().__init__(message, status=status)
        self.retry_after_s = retry_after_s


class RequestTimeout(TransientError):
    kind = "timeout"


class ConnectionDropped(TransientError):
    kind = "dropped"


class ConnectFailed(TransientError):
    kind = "connect"


class MalformedResponse(TransientError):
    kind = "malformed"


class RetriesExhausted(ModelError):
    def __init__(self, message: str, *, last: TransientError, attempts: int) -> None:
        super().__init__(message, status=last.status)
        self.last = last
        self.attempts = attempts
