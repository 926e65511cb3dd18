"""Where the model is and how to talk to it: options, then environment, then a TOML file.

The config file (`--config PATH`, else `$XDG_CONFIG_HOME/solver/config.toml`, else
`~/.config/solver/config.toml`; a missing default file is no error):

    base_url = "http://127.0.0.1:8000/v1"   # OpenAI-style: the part before /chat/completions
    model = "qwen2.5-coder-7b-instruct"
    api_key = "..."                          # or SOLVER_API_KEY / OPENAI_API_KEY
    api = "chat"                             # "chat", or "completions" for base models
    concurrency = 16                         # requests in flight at once
    n_per_request = 1                        # samples asked per request (`n`); >1 saves prompt
                                             # tokens where the server honours it
    max_tokens = 4096
    max_tokens_param = "max_tokens"          # "max_completion_tokens" for OpenAI o-series
    temperature_min = 0.2                    # each request draws its temperature in this range
    temperature_max = 1.0
    timeout_s = 600                          # the longest wait for an answer (read timeout)
    connect_timeout_s = 5
    logprobs = false                         # ask for log-probabilities (kept as metadata)
    cache = "~/.cache/solver/samples.sqlite" # relative paths: to this file's folder
    extra_body = { top_p = 0.95 }            # merged into every request body

    [prices]                                 # USD per million tokens, for the cost estimate
    input_per_mtok = 0.15
    output_per_mtok = 0.60

    [retry]
    max_attempts = 8
    backoff_base_s = 0.5
    backoff_max_s = 30
    retry_after_max_s = 120                  # a longer Retry-After ends the run instead
    connect_attempts = 3                     # refused connections tolerated once it has answered
"""

from __future__ import annotations

import os
import random
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from types import MappingProxyType
from typing import Any
from urllib.parse import urlsplit

from sandbox.cache import default_cache_dir
from solver.errors import ConfigError

DEFAULT_BASE_URL = "https://api.openai.com/v1"
APIS = ("chat", "completions")

# Environment variables per setting, first found wins.
ENVIRONMENT = {
    "base_url": ("SOLVER_BASE_URL", "OPENAI_BASE_URL"),
    "api_key": ("SOLVER_API_KEY", "OPENAI_API_KEY"),
    "model": ("SOLVER_MODEL",),
}


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 8
    backoff_base_s: float = 0.5
    backoff_max_s: float = 30.0
    retry_after_max_s: float = 120.0
    connect_attempts: int = 3

    def backoff_s(self, attempt: int, rng: random.Random) -> float:
        """Exponential backoff with "equal jitter": half fixed, half random, so that many
        requests failing together do not all come back at the same instant."""
        ceiling = min(self.backoff_max_s, self.backoff_base_s * 2 ** max(0, attempt - 1))
        return ceiling / 2 + rng.random() * ceiling / 2


@dataclass(frozen=True)
class Prices:
    input_per_mtok: float | None = None
    output_per_mtok: float | None = None

    @property
    def configured(self) -> bool:
        return self.input_per_mtok is not None or self.output_per_mtok is not None

    def cost(self, prompt_tokens: int, completion_tokens: int) -> float:
        return (
            prompt_tokens * (self.input_per_mtok or 0.0)
            + completion_tokens * (self.output_per_mtok or 0.0)
        ) / 1e6


@dataclass(frozen=True)
class ModelConfig:
    """One endpoint and model, and how hard to push it."""

    base_url: str
    model: str
    api_key: str | None = field(default=None, repr=False)  # never in logs or tracebacks
    api: str = "chat"
    concurrency: int = 16
    n_per_request: int = 1
    timeout_s: float = 600.0
    connect_timeout_s: float = 5.0
    logprobs: bool = False
    max_tokens_param: str = "max_tokens"
    extra_body: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}), hash=False)
    retry: RetryPolicy = RetryPolicy()
    prices: Prices = Prices()

    def __post_init__(self) -> None:
        _check_url(self.base_url)
        if self.api not in APIS:
            raise ConfigError(f"api must be one of {', '.join(APIS)}, not {self.api!r}")
        if not self.model:
            raise ConfigError("model must not be empty")
        if self.concurrency < 1 or self.n_per_request < 1:
            raise ConfigError("concurrency and n_per_request must be at least 1")
        if self.timeout_s <= 0 or self.connect_timeout_s <= 0:
            raise ConfigError("timeouts must be positive")
        if self.retry.max_attempts < 1 or self.retry.connect_attempts < 1:
            raise ConfigError("retry.max_attempts and retry.connect_attempts must be at least 1")
        if self.max_tokens_param not in ("max_tokens", "max_completion_tokens"):
            raise ConfigError("max_tokens_param must be max_tokens or max_completion_tokens")


@dataclass(frozen=True)
class Settings:
    """Everything `solver sample` resolves from options, environment and the config file."""

    model: ModelConfig
    cache_path: Path
    max_tokens: int = 4096
    temperature_min: float = 0.2
    temperature_max: float = 1.0


def _check_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(f"base URL must be http(s)://host[:port][/path], not {url!r}")


def default_config_path(env: Mapping[str, str] | None = None) -> Path:
    env = os.environ if env is None else env
    base = env.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "solver" / "config.toml"


# The file's keys and their types; sections are nested tables.
_TOP: dict[str, tuple[type, ...]] = {
    "base_url": (str,),
    "model": (str,),
    "api_key": (str,),
    "api": (str,),
    "concurrency": (int,),
    "n_per_request": (int,),
    "timeout_s": (int, float),
    "connect_timeout_s": (int, float),
    "logprobs": (bool,),
    "max_tokens": (int,),
    "max_tokens_param": (str,),
    "temperature_min": (int, float),
    "temperature_max": (int, float),
    "cache": (str,),
    "extra_body": (dict,),
}
_SECTIONS: dict[str, dict[str, tuple[type, ...]]] = {
    "prices": {"input_per_mtok": (int, float), "output_per_mtok": (int, float)},
    "retry": {f.name: (int,) if f.type == "int" else (int, float) for f in fields(RetryPolicy)},
}


def _typed(where: str, key: str, value: object, types: tuple[type, ...]) -> object:
    # TOML booleans are ints to isinstance; a `true` where a number belongs is a mistake.
    if isinstance(value, bool) and bool not in types or not isinstance(value, types):
        expected = " or ".join(t.__name__ for t in types)
        raise ConfigError(f"{where}: {key} must be {expected}, not {value!r}")
    return value


def read_config_file(path: Path) -> dict[str, Any]:
    """The file's settings, flattened (`retry.max_attempts`), types checked; unknown keys are
    refused, so that a misspelt setting is not silently ignored."""
    try:
        loaded = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ConfigError(f"{path}: cannot be read ({error.strerror})") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: not valid TOML: {error}") from None
    flat: dict[str, Any] = {}
    for key, value in loaded.items():
        if key in _SECTIONS:
            if not isinstance(value, dict):
                raise ConfigError(f"{path}: [{key}] must be a table")
            for sub, sub_value in value.items():
                if sub not in _SECTIONS[key]:
                    raise ConfigError(f"{path}: unknown setting {key}.{sub}")
                flat[f"{key}.{sub}"] = _typed(
                    str(path), f"{key}.{sub}", sub_value, _SECTIONS[key][sub]
                )
        elif key in _TOP:
            flat[key] = _typed(str(path), key, value, _TOP[key])
            if key == "cache":
                flat[key] = str(path.parent / Path(value).expanduser())
        else:
            raise ConfigError(f"{path}: unknown setting {key!r}")
    return flat


def resolve_settings(
    options: Mapping[str, Any] | None = None,
    *,
    config_file: Path | None = None,
    env: Mapping[str, str] | None = None,
) -> Settings:
    """Options (None means not given) over environment over the config file over defaults.

    `options` uses the file's flat names (`base_url`, `concurrency`, `retry.backoff_base_s`).
    An explicit `config_file` must exist; the default one may not.
    """
    env = os.environ if env is None else env
    path = config_file if config_file is not None else default_config_path(env)
    if config_file is not None and not config_file.is_file():
        raise ConfigError(f"{config_file}: no such config file")
    values: dict[str, Any] = read_config_file(path) if path.is_file() else {}
    for key, names in ENVIRONMENT.items():
        found = next((env[name] for name in names if env.get(name)), None)
        if found is not None:
            values[key] = found
    values.update({k: v for k, v in (options or {}).items() if v is not None})

    model = values.get("model")
    if not model:
        raise ConfigError(
            "no model: give --model, set SOLVER_MODEL, or put model = ... in the config file"
        )
    retry = RetryPolicy(
        **{k.split(".", 1)[1]: v for k, v in values.items() if k.startswith("retry.")}
    )
    prices = Prices(**{k.split(".", 1)[1]: v for k, v in values.items() if k.startswith("prices.")})
    if any(v is not None and v < 0 for v in (prices.input_per_mtok, prices.output_per_mtok)):
        raise ConfigError("prices must not be negative")
    if retry.backoff_base_s < 0 or retry.backoff_max_s < 0 or retry.retry_after_max_s < 0:
        raise ConfigError("retry delays must not be negative")
    model_config = ModelConfig(
        base_url=str(values.get("base_url") or DEFAULT_BASE_URL).rstrip("/"),
        model=str(model),
        api_key=values.get("api_key") or None,
        api=values.get("api", "chat"),
        concurrency=int(values.get("concurrency", 16)),
        n_per_request=int(values.get("n_per_request", 1)),
        timeout_s=float(values.get("timeout_s", 600.0)),
        connect_timeout_s=float(values.get("connect_timeout_s", 5.0)),
        logprobs=bool(values.get("logprobs", False)),
        max_tokens_param=values.get("max_tokens_param", "max_tokens"),
        extra_body=MappingProxyType(dict(values.get("extra_body", {}))),
        retry=retry,
        prices=prices,
    )
    cache = values.get("cache")
    settings = Settings(
        model=model_config,
        cache_path=Path(cache).expanduser() if cache else default_cache_dir() / "samples.sqlite",
        max_tokens=int(values.get("max_tokens", 4096)),
        temperature_min=float(values.get("temperature_min", 0.2)),
        temperature_max=float(values.get("temperature_max", 1.0)),
    )
    if settings.max_tokens < 1:
        raise ConfigError("max_tokens must be at least 1")
    if not 0 <= settings.temperature_min <= settings.temperature_max <= 2:
        raise ConfigError(
            "temperatures must satisfy 0 <= temperature_min <= temperature_max <= 2, not "
            f"{settings.temperature_min:g} and {settings.temperature_max:g}"
        )
    return settings
