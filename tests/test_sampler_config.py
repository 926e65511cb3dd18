"""Settings: options over environment over the TOML file over defaults; mistakes named."""

from __future__ import annotations

from pathlib import Path

import pytest

from solver.config import DEFAULT_BASE_URL, RetryPolicy, default_config_path, resolve_settings
from solver.errors import ConfigError

FILE = """
base_url = "http://file.test/v1"
model = "file-model"
api_key = "file-key"
concurrency = 4
max_tokens = 1000
cache = "{cache}"
extra_body = {{ top_p = 0.9 }}

[prices]
input_per_mtok = 0.5
output_per_mtok = 1.5

[retry]
max_attempts = 3
backoff_base_s = 0.01
"""


def config_file(tmp_path: Path, text: str = FILE) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text.format(cache=tmp_path / "samples.sqlite"))
    return path


def test_the_file_alone(tmp_path: Path) -> None:
    settings = resolve_settings(config_file=config_file(tmp_path), env={})
    model = settings.model
    assert (model.base_url, model.model, model.api_key) == (
        "http://file.test/v1",
        "file-model",
        "file-key",
    )
    assert model.concurrency == 4 and settings.max_tokens == 1000
    assert model.prices.input_per_mtok == 0.5 and model.prices.output_per_mtok == 1.5
    assert model.retry == RetryPolicy(max_attempts=3, backoff_base_s=0.01)
    assert dict(model.extra_body) == {"top_p": 0.9}
    assert settings.cache_path == tmp_path / "samples.sqlite"
    assert "file-key" not in repr(settings)


def test_a_relative_cache_path_is_relative_to_the_config_file(tmp_path: Path) -> None:
    (tmp_path / "conf").mkdir()
    path = tmp_path / "conf" / "config.toml"
    path.write_text('model = "m"\ncache = "cache/samples.sqlite"\n')
    assert (
        resolve_settings(config_file=path, env={}).cache_path
        == tmp_path / "conf" / "cache" / "samples.sqlite"
    )


def test_environment_beats_the_file_and_options_beat_both(tmp_path: Path) -> None:
    path = config_file(tmp_path)
    env = {
        "OPENAI_BASE_URL": "http://openai-env.test/v1",
        "SOLVER_API_KEY": "env-key",
        "SOLVER_MODEL": "env-model",
    }
    settings = resolve_settings(config_file=path, env=env)
    assert settings.model.base_url == "http://openai-env.test/v1"
    assert (settings.model.api_key, settings.model.model) == ("env-key", "env-model")
    env["SOLVER_BASE_URL"] = "http://solver-env.test/v1/"  # SOLVER_ beats OPENAI_
    options = {"model": "option-model", "concurrency": 9, "base_url": None}
    settings = resolve_settings(options, config_file=path, env=env)
    assert settings.model.base_url == "http://solver-env.test/v1"
    assert settings.model.model == "option-model" and settings.model.concurrency == 9
    env["OPENAI_API_KEY"] = "ignored"
    assert resolve_settings(config_file=path, env=env).model.api_key == "env-key"


def test_defaults_and_the_default_file_location(tmp_path: Path) -> None:
    env = {"XDG_CONFIG_HOME": str(tmp_path), "SOLVER_MODEL": "m"}
    assert default_config_path(env) == tmp_path / "solver" / "config.toml"
    settings = resolve_settings(env=env)  # no file there: defaults
    assert settings.model.base_url == DEFAULT_BASE_URL and settings.model.api_key is None
    assert settings.model.api == "chat" and settings.model.n_per_request == 1
    (tmp_path / "solver").mkdir()
    (tmp_path / "solver" / "config.toml").write_text('base_url = "http://xdg.test/v1"\n')
    assert resolve_settings(env=env).model.base_url == "http://xdg.test/v1"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('model = "m"\nmodle = "x"\n', "unknown setting 'modle'"),
        ('model = "m"\nconcurrency = "many"\n', "concurrency must be int"),
        ('model = "m"\nconcurrency = true\n', "concurrency must be int"),
        ('model = "m"\n[retry]\nmax_attempt = 3\n', "unknown setting retry.max_attempt"),
        ('model = "m"\nbase_url = "localhost:8000"\n', "base URL must be http(s)"),
        ('model = "m"\napi = "responses"\n', "api must be one of chat, completions"),
        (
            'model = "m"\ntemperature_min = 1.5\ntemperature_max = 0.5\n',
            "temperatures must satisfy",
        ),
        ('model = "m\n', "not valid TOML"),
        ('model = "m"\n[prices]\ninput_per_mtok = -1\n', "prices must not be negative"),
    ],
)
def test_mistakes_are_one_line_errors_that_name_the_setting(
    tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "config.toml"
    path.write_text(text)
    with pytest.raises(ConfigError) as error:
        resolve_settings(config_file=path, env={})
    assert message in str(error.value) and "\n" not in str(error.value)


def test_a_model_is_required_and_a_named_file_must_exist(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no model"):
        resolve_settings(env={"XDG_CONFIG_HOME": str(tmp_path)})
    with pytest.raises(ConfigError, match="no such config file"):
        resolve_settings({"model": "m"}, config_file=tmp_path / "missing.toml", env={})


def test_backoff_grows_exponentially_with_jitter_up_to_a_ceiling() -> None:
    import random

    policy = RetryPolicy(backoff_base_s=1.0, backoff_max_s=10.0)
    rng = random.Random(1)
    for attempt, ceiling in [(1, 1), (2, 2), (3, 4), (4, 8), (5, 10), (9, 10)]:
        delays = [policy.backoff_s(attempt, rng) for _ in range(50)]
        assert all(ceiling / 2 <= d <= ceiling for d in delays)
        assert len(set(delays)) > 1
