"""`lf-export` signed in as a Laserfiche Cloud service principal (the emulator's test principal), in a
subprocess: environment variables, flags and config-file keys; clear errors for a wrong or broken key; no
secret (service principal key, access key, private key, client assertion, issued token) in any output."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from lf_emulator.testing import AccessKeyInfo, EmulatorServer
from lf_export.cli._config import ConfigError, ConnectionFlags, resolve_connection

from .conftest import Cli, Result


def cloud_env(emulator: EmulatorServer, key: AccessKeyInfo | None = None) -> dict[str, str | None]:
    key = key or emulator.generate_access_key()
    return {
        "LF_ACCESS_TOKEN": None,
        "LF_SERVICE_PRINCIPAL_KEY": key.service_principal_key,
        "LF_ACCESS_KEY": key.access_key,
        "LF_TOKEN_URL": emulator.token_url,
    }


def assert_no_cloud_secrets(result: Result, key: AccessKeyInfo) -> None:
    text = result.stdout + result.stderr
    private = json.loads(base64.b64decode(key.access_key))["jwk"]["d"]
    for secret in (key.service_principal_key, key.access_key, private):
        assert secret not in text, f"a secret leaked: {result}"
    assert "eyJ" not in text, f"a JWT (client assertion) or key leaked: {result}"
    assert "lfe-" not in text, f"an issued access token leaked: {result}"


def test_env_variables_sign_in_and_export(own_cli: Cli) -> None:
    emulator = own_cli.emulator
    key = emulator.generate_access_key()
    result = own_cli.run(
        "export", "10", "11", "--format", "pdf", "--out", "out", "--json", env=cloud_env(emulator)
    )
    assert result.returncode == 0, result
    doc = result.json()
    assert [row["status"] for row in doc["results"]] == ["ok", "ok"]
    assert all(Path(own_cli.cwd, row["path"]).read_bytes().startswith(b"%PDF") for row in doc["results"])
    assert emulator.counters()["token_requests"] == 1  # one sign-in for the whole run
    assert_no_cloud_secrets(result, key)


def test_no_secret_in_output_even_with_vv(own_cli: Cli) -> None:
    emulator = own_cli.emulator
    key = emulator.generate_access_key()
    result = own_cli.run("-vv", "export", "12", "--out", "out", "--mode", "async", env=cloud_env(emulator))
    assert result.returncode == 0, result
    assert "signed in as client emulator-client" in result.stderr  # the logs really were on
    assert "/oauth/Token" in result.stderr
    assert "credentials from LF_ACCESS_KEY" in result.stderr
    assert_no_cloud_secrets(result, key)


def test_base_url_comes_from_the_key_unless_given(tmp_path: Path) -> None:
    from lf_emulator.testing import EmulatorConfig, generate_access_key

    key = generate_access_key(EmulatorConfig(), domain="laserfiche.ca")
    env = {
        "LF_REPOSITORY_ID": "r-1",
        "LF_ACCESS_KEY": key.access_key,
        "LF_SERVICE_PRINCIPAL_KEY": key.service_principal_key,
        "LF_EXPORT_CONFIG": str(tmp_path / "none.toml"),
    }
    (tmp_path / "none.toml").write_text("", encoding="utf-8")
    conn = resolve_connection(ConnectionFlags(), env)
    assert conn.cloud
    assert conn.base_url == "https://api.laserfiche.ca/repository"
    assert conn.sources["base_url"] == "LF_ACCESS_KEY (its domain)"
    assert conn.token_url is None
    assert key.access_key not in repr(conn)
    assert key.service_principal_key not in repr(conn)
    given = resolve_connection(
        ConnectionFlags(base_url="http://127.0.0.1:9/repository"),
        env | {"LF_TOKEN_URL": "http://127.0.0.1:9/oauth/Token"},
    )
    assert given.base_url == "http://127.0.0.1:9/repository"
    assert given.token_url == "http://127.0.0.1:9/oauth/Token"
    # Within one layer a token wins over an access key, which wins over a username.
    token_too = resolve_connection(
        ConnectionFlags(base_url="https://b.example/r"), env | {"LF_ACCESS_TOKEN": "t", "LF_USERNAME": "u"}
    )
    assert (token_too.token, token_too.access_key, token_too.sources["credentials"]) == (
        "t",
        None,
        "LF_ACCESS_TOKEN",
    )
    assert "token_url" not in token_too.sources
    user_too = resolve_connection(ConnectionFlags(), env | {"LF_USERNAME": "u"})
    assert (user_too.username, user_too.cloud) == (None, True)


def test_flags_work_and_warn_about_shell_history(own_cli: Cli) -> None:
    emulator = own_cli.emulator
    key = emulator.generate_access_key()
    env: dict[str, str | None] = {"LF_ACCESS_TOKEN": None}
    result = own_cli.run(
        "audit-reasons",
        "--access-key",
        key.access_key,
        "--service-principal-key",
        key.service_principal_key,
        "--token-url",
        emulator.token_url,
        env=env,
    )
    assert result.returncode == 0, result
    assert "--access-key puts a secret in your shell history" in result.stderr
    assert "--service-principal-key puts a secret in your shell history" in result.stderr
    assert "ExportDocument" in result.stdout
    assert emulator.counters()["token_requests"] == 1


def test_config_file_keys(own_cli: Cli, tmp_path: Path) -> None:
    emulator = own_cli.emulator
    key = emulator.generate_access_key()
    config = tmp_path / "cloud.toml"
    config.write_text(
        f'access_key = "{key.access_key}"\n'
        f'service_principal_key = "{key.service_principal_key}"\n'
        f'token_url = "{emulator.token_url}"\n',
        encoding="utf-8",
    )
    result = own_cli.run(
        "-v",
        "tasks",
        "status",
        "0f9c0000-0000-0000-0000-000000000000",
        "--config",
        str(config),
        env={"LF_ACCESS_TOKEN": None},
    )
    assert result.returncode == 0, result
    assert "unknown" in result.stdout
    assert f"credentials from --config {config}" in result.stderr
    assert emulator.counters()["token_requests"] == 1
    assert_no_cloud_secrets(result, key)


@pytest.mark.parametrize("json_mode", [False, True])
def test_wrong_service_principal_key_is_exit_3_with_advice(own_cli: Cli, json_mode: bool) -> None:
    emulator = own_cli.emulator
    key = emulator.generate_access_key()
    wrong = "wrong-service-principal-key-0123"
    env = cloud_env(emulator) | {"LF_SERVICE_PRINCIPAL_KEY": wrong}
    runs = [
        own_cli.run("-vv", "export", "10", "--out", "out", *(["--json"] if json_mode else []), env=env),
        own_cli.run("-vv", "audit-reasons", *(["--json"] if json_mode else []), env=env),
    ]
    for result in runs:
        assert result.returncode == 3, result
        assert "Laserfiche Cloud sign-in was refused: HTTP 401" in result.stderr
        assert "service principal key does not match" in result.stderr
        assert wrong not in result.stdout + result.stderr
        assert_no_cloud_secrets(result, key)
    export, audit = runs
    if json_mode:
        (row,) = export.json()["results"]
        assert (row["status"], row["error"]["type"], row["error"]["exit_code"]) == (
            "failed",
            "AuthenticationError",
            3,
        )
        assert audit.json()["error"]["type"] == "AuthenticationError"
    else:
        # The command's advice names the variables in use, not LF_ACCESS_TOKEN.
        assert "check the service principal key (LF_SERVICE_PRINCIPAL_KEY)" in audit.stderr
        assert "LF_ACCESS_TOKEN" not in audit.stderr
    assert emulator.counters()["token_responses"] == {"401": 2}


def test_a_broken_access_key_is_exit_2_before_any_request(own_cli: Cli) -> None:
    emulator = own_cli.emulator
    key = emulator.generate_access_key()
    data = json.loads(base64.b64decode(key.access_key))
    del data["jwk"]["kid"]
    broken = base64.b64encode(json.dumps(data).encode()).decode()
    result = own_cli.run("export", "10", env=cloud_env(emulator) | {"LF_ACCESS_KEY": broken})
    assert result.returncode == 2, result
    assert "LF_ACCESS_KEY: not a usable access key: accessKey.jwk.kid: is required" in result.stderr
    assert data["jwk"]["d"] not in result.stderr
    garbage = own_cli.run("export", "10", env=cloud_env(emulator) | {"LF_ACCESS_KEY": "%%% not base64 %%%"})
    assert garbage.returncode == 2, garbage
    assert "must be base64" in garbage.stderr
    assert "%%% not base64" not in garbage.stderr
    assert emulator.counters()["token_requests"] == 0


def test_half_a_service_principal_is_exit_2(own_cli: Cli) -> None:
    emulator = own_cli.emulator
    no_key = own_cli.run("export", "10", env=cloud_env(emulator) | {"LF_ACCESS_KEY": None})
    assert no_key.returncode == 2, no_key
    assert "no access key: LF_SERVICE_PRINCIPAL_KEY is set but LF_ACCESS_KEY is not" in no_key.stderr
    no_secret = own_cli.run("export", "10", env=cloud_env(emulator) | {"LF_SERVICE_PRINCIPAL_KEY": None})
    assert no_secret.returncode == 2, no_secret
    assert "no service principal key for the access key from LF_ACCESS_KEY" in no_secret.stderr
    assert emulator.counters()["token_requests"] == 0


def test_missing_credentials_mention_the_service_principal(tmp_path: Path) -> None:
    (tmp_path / "empty.toml").write_text("", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        resolve_connection(ConnectionFlags(), {"LF_EXPORT_CONFIG": str(tmp_path / "empty.toml")})
    assert "LF_SERVICE_PRINCIPAL_KEY and LF_ACCESS_KEY" in str(caught.value)


def test_a_missing_cloud_extra_is_reported_once_up_front(own_cli: Cli, tmp_path: Path) -> None:
    """Issue 14 item 9: without PyJWT (the `cloud` extra) a service principal's run stops before any request,
    with one install line (exit 2), not one failure per entry (exit 1)."""
    emulator = own_cli.emulator
    shadow = tmp_path / "no-jwt"
    (shadow / "jwt").mkdir(parents=True)
    (shadow / "jwt" / "__init__.py").write_text(
        "raise ImportError('no jwt here', name='jwt')\n", encoding="utf-8"
    )
    env = {**cloud_env(emulator), "PYTHONPATH": str(shadow)}
    result = own_cli.run("export", "10", "11", "12", "--out", "out", "--json", env=env)
    assert result.returncode == 2, result
    assert result.stderr.count("pip install 'lf-export[cloud]'") == 1, result
    assert result.json()["error"]["type"] == "ConfigError"
    assert emulator.counters()["requests"] == {}
    assert emulator.counters()["token_requests"] == 0
