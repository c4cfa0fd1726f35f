"""Configuration resolution, durations, entry ids and flag → option building, in-process (no server)."""

from __future__ import annotations

from pathlib import Path

import pytest
from lf_export._errors import (
    AuthenticationError,
    EntryLockedError,
    ExportTimeoutError,
    NetworkError,
    OptionsError,
    ServerError,
    TaskFailedError,
)
from lf_export.cli._config import ConfigError, ConnectionFlags, resolve_connection
from lf_export.cli._options import OptionFlags, build_options, flag_for_field
from lf_export.cli._output import exit_code_for
from lf_export.cli._params import (
    DURATION,
    MODE,
    POSITIVE_INT,
    TASK_ID,
    collect,
    collect_each,
    parse_duration,
    parse_entry_ids,
)


@pytest.fixture
def config_file(tmp_path: Path) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(
        'base_url = "https://file.example/repository"\nrepository_id = "r-file"\nusername = "fileuser"\n',
        encoding="utf-8",
    )
    return path


def test_flags_beat_env_beat_file(config_file: Path) -> None:
    env = {"LF_BASE_URL": "https://env.example/repository", "LF_ACCESS_TOKEN": "env-token"}
    conn = resolve_connection(ConnectionFlags(config=config_file), env)
    assert conn.base_url == "https://env.example/repository"
    assert conn.repository_id == "r-file"
    assert conn.token == "env-token"
    assert conn.username is None
    assert conn.sources == {
        "base_url": "LF_BASE_URL",
        "repository_id": f"--config {config_file}",
        "credentials": "LF_ACCESS_TOKEN",
    }
    flagged = resolve_connection(
        ConnectionFlags(base_url="https://flag.example/r", username="me", config=config_file), env
    )
    assert flagged.base_url == "https://flag.example/r"
    assert flagged.token is None
    assert flagged.username == "me"
    assert flagged.needs_password


def test_credentials_come_whole_from_one_layer(config_file: Path) -> None:
    env = {"LF_USERNAME": "envuser", "LF_PASSWORD": "envpw"}
    conn = resolve_connection(ConnectionFlags(config=config_file), env)
    assert (conn.username, conn.password) == ("envuser", "envpw")
    from_file = resolve_connection(ConnectionFlags(config=config_file), {})
    assert from_file.username == "fileuser"
    assert from_file.password is None  # asked for at the prompt, never mixed from another layer
    assert "envpw" not in repr(conn)


def test_missing_settings_are_all_reported(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        resolve_connection(ConnectionFlags(), {"LF_EXPORT_CONFIG": str(tmp_path / "absent.toml")})
    assert "does not exist" in str(caught.value)
    with pytest.raises(ConfigError) as caught:
        resolve_connection(ConnectionFlags(config=None), {"XDG_CONFIG_HOME": str(tmp_path)} | {"LF_X": "1"})
    problems = " ".join(caught.value.problems)
    assert "no server" in problems
    assert "no repository" in problems
    assert "no credentials" in problems


def test_bad_config_file(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text('base_url = 3\ncolour = "red"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        resolve_connection(ConnectionFlags(config=path), {})
    assert len(caught.value.problems) == 2


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("90", 90.0), ("90s", 90.0), ("10m", 600.0), ("1h30m", 5400.0), ("1.5m", 90.0), ("500ms", 0.5)],
)
def test_durations(text: str, seconds: float) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "m", "10x", "-5s", "0s", "1m-2s", "1.m"])
def test_bad_durations(text: str) -> None:
    with pytest.raises(ValueError, match=r"duration|longer than zero"):
        parse_duration(text)


def test_entry_ids_from_arguments_and_file() -> None:
    assert parse_entry_ids(["3", "1"], "2, 3 # comment\n\n1\n") == [3, 1, 2]
    with pytest.raises(OptionsError) as caught:
        parse_entry_ids(["0", "x"], "4\n2147483648\n")
    assert [issue.field for issue in caught.value.issues] == ["ENTRY_ID", "ENTRY_ID", "--from-file line 2"]
    with pytest.raises(OptionsError):
        parse_entry_ids([], None)


def test_flags_become_the_wire_body() -> None:
    options, warnings = build_options(
        OptionFlags(
            format="single-tiff",
            pages="3,1-2",
            page_prefix="_p",
            watermark="DRAFT",
            watermark_position="bottom-right",
            watermark_angle="45",
            no_annotations=True,
            audit_reason="4",
        )
    )
    assert warnings == []
    assert options.to_request_body() == {
        "part": "Image",
        "auditReasonId": 4,
        "imageOptions": {
            "format": "SinglePageTIFF",
            "includeAnnotations": False,
            "pagePrefix": "_p",
            "watermark": {"text": "DRAFT", "position": "BottomRight", "rotationAngle": 45},
        },
    }
    assert options.query_page_range() == "1-3"
    text, _ = build_options(OptionFlags(part="TEXT", no_redactions=True, redaction_char="*"))
    assert text.to_request_body() == {
        "part": "Text",
        "textOptions": {"includeRedactions": False, "redactionCharacter": "*"},
    }


def test_audit_reason_by_name_is_validated_then_resolved() -> None:
    flags = OptionFlags(part="edoc", audit_reason="Legal request", audit_comment="case 7")
    assert flags.audit_reason_name == "Legal request"
    _placeholder, warnings = build_options(flags)
    assert warnings == []  # the comment is not reported as "without an audit reason"
    resolved, _ = build_options(flags, audit_reason_id=11)
    assert resolved.audit_reason_id == 11


def test_every_problem_in_one_error_named_by_flag() -> None:
    with pytest.raises(OptionsError) as caught:
        build_options(
            OptionFlags(
                part="image",
                format="gif",
                jpeg_quality="high",
                watermark_angle="400",
                redaction_char="#",
                pages="1-",
                audit_comment="x" * 300,
            )
        )
    fields = [issue.field for issue in caught.value.issues]
    assert fields[:4] == ["--format", "--jpeg-quality", "--watermark-angle", "--redaction-char"]
    assert "pageRange" in fields
    assert "auditReasonComment" in fields
    assert flag_for_field("pageRange") == "--pages"
    assert flag_for_field("imageOptions.watermark.pageSpanPercentage") == "--watermark-span"


def test_exit_codes_per_failure_class() -> None:
    assert exit_code_for(OptionsError([])) == 2
    assert exit_code_for(ConfigError(["x"])) == 2
    assert exit_code_for(AuthenticationError(status=401)) == 3
    assert exit_code_for(ServerError(status=503)) == 4
    assert exit_code_for(NetworkError("refused")) == 4
    assert exit_code_for(EntryLockedError(status=423)) == 4
    assert exit_code_for(EntryLockedError(status=423), exporting=True) == 1
    assert exit_code_for(TaskFailedError("t", [])) == 1
    assert exit_code_for(ExportTimeoutError(["t"])) == 5
    assert exit_code_for(KeyboardInterrupt()) == 130


def test_typed_parameters_collect_every_problem() -> None:
    guid = "0f9c2a6e-1111-4222-8333-944445555666"
    assert TASK_ID.convert("{" + guid.upper() + "}", None, None).get() == guid  # the server's form
    assert MODE.convert(" ASYNC", None, None).get() == "async"
    assert collect(DURATION.convert("1h30m", None, None), None, lambda: 7) == [5400.0, None, 7]
    with pytest.raises(OptionsError) as caught:
        collect(
            DURATION.convert("soon", None, None),
            POSITIVE_INT.convert("0", None, None),
            lambda: collect_each([TASK_ID.convert("x", None, None), TASK_ID.convert(guid, None, None)]),
        )
    assert [(issue.value, issue.rule) for issue in caught.value.issues] == [
        ("soon", "'soon' is not a duration; use e.g. 90s, 10m, 1h30m"),
        ("0", "must be a whole number of at least 1"),
        ("x", "must be a task id (a GUID)"),
    ]
