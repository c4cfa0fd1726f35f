"""Typed errors: response mapping, Retry-After, task/timeout/download errors, redaction, pickling."""

from __future__ import annotations

import json
import pickle
from datetime import UTC, datetime

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st
from lf_export._errors import (
    AccessDeniedError,
    ApiError,
    AuditReasonRequiredError,
    AuthenticationError,
    BadRequestError,
    DownloadError,
    EntryLockedError,
    ExportInterrupted,
    ExportTimeoutError,
    LaserficheError,
    NetworkError,
    NotFoundError,
    OptionIssue,
    OptionsError,
    RateLimitedError,
    RequestTooLargeError,
    ServerError,
    TaskCancelledError,
    TaskError,
    TaskExpiredError,
    TaskFailedError,
    redact_url,
)
from lf_export._responses import error_from_response, network_error, parse_retry_after

URL = "https://api.laserfiche.com/repository/v2/Repositories/r-abc123/Entries/2161949/Export?pageRange=1-3"
PATH = "/repository/v2/Repositories/r-abc123/Entries/2161949/Export"
SECRET_LINK = "https://store.example.com/exports/2161949.pdf?sig=SECRET123&exp=1700000000"


def response(
    status: int,
    content: bytes = b"",
    headers: dict[str, str] | None = None,
    *,
    method: str = "POST",
    url: str = URL,
) -> httpx.Response:
    return httpx.Response(status, content=content, headers=headers, request=httpx.Request(method, url))


def problem(status: int, **extra: object) -> httpx.Response:
    body = {"status": status, **extra}
    return response(status, json.dumps(body).encode(), {"content-type": "application/problem+json"})


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, BadRequestError),
        (401, AuthenticationError),
        (403, AccessDeniedError),
        (404, NotFoundError),
        (413, RequestTooLargeError),
        (423, EntryLockedError),
        (429, RateLimitedError),
        (500, ServerError),
        (502, ServerError),
        (503, ServerError),
        (504, ServerError),
        (520, ServerError),
        (499, ServerError),
        (418, ServerError),
    ],
)
def test_status_maps_to_class(status: int, cls: type[ApiError]) -> None:
    err = error_from_response(problem(status, title="Something happened."))
    assert type(err) is cls
    assert isinstance(err, ApiError)
    assert isinstance(err, LaserficheError)
    assert err.status == status


def test_problem_details_fields() -> None:
    resp = problem(
        404,
        type="https://api.laserfiche.com/repository/errors/not-found",
        title="Entry not found.",
        detail="Entry 99999 was not found in repository r-abc123.",
        operationId="7c1a3f4e9d2b4c0a",
        errorSource="Repository",
        errorCode=9013,
        traceId="00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        extraMember={"nested": [1, 2]},
    )
    err = error_from_response(resp)
    assert isinstance(err, NotFoundError)
    assert err.title == "Entry not found."
    assert err.detail == "Entry 99999 was not found in repository r-abc123."
    assert err.error_code == 9013
    assert err.operation_id == "7c1a3f4e9d2b4c0a"
    assert err.trace_id == "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
    assert err.problem["extraMember"] == {"nested": [1, 2]}
    assert err.problem["errorSource"] == "Repository"
    assert err.method == "POST"
    assert err.url == PATH
    assert str(err) == (
        f"POST {PATH} -> HTTP 404: Entry not found. Entry 99999 was not found in repository r-abc123. "
        "(errorCode 9013, operation id 7c1a3f4e9d2b4c0a)"
    )
    assert "pageRange" not in str(err)
    assert "pageRange" not in repr(err)
    assert repr(err) == (
        "NotFoundError(status=404, title='Entry not found.', error_code=9013, "
        f"operation_id='7c1a3f4e9d2b4c0a', method='POST', url='{PATH}')"
    )


def test_audit_reason_required_is_a_bad_request() -> None:
    err = error_from_response(problem(400, title="Need to provide correct audit reason.", errorCode=216))
    assert type(err) is AuditReasonRequiredError
    assert isinstance(err, BadRequestError)
    assert "audit_reason_id" in str(err)
    assert "ListAuditReasons" in str(err)


def test_html_from_gateway() -> None:
    page = b"<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>"
    err = error_from_response(response(502, page, {"content-type": "text/html"}))
    assert type(err) is ServerError
    assert err.problem == {}
    assert err.detail == "the server answered with an HTML page (502 Bad Gateway)"
    assert (
        str(err)
        == f"POST {PATH} -> HTTP 502: Bad Gateway: the server answered with an HTML page (502 Bad Gateway)"
    )


def test_empty_503() -> None:
    err = error_from_response(response(503))
    assert type(err) is ServerError
    assert err.title == "Service Unavailable"
    assert err.detail == "empty response body"
    assert err.problem == {}
    assert str(err) == f"POST {PATH} -> HTTP 503: Service Unavailable: empty response body"


def test_apiserver_error_and_request_id_headers() -> None:
    headers = {"x-apiserver-error": "Entry%20not%20found.+Try+again", "x-requestid": "req-42"}
    err = error_from_response(response(404, b"", headers))
    assert isinstance(err, NotFoundError)
    assert err.title == "Entry not found. Try again"
    assert err.request_id == "req-42"
    assert err.operation_id == "req-42"
    assert str(err) == f"POST {PATH} -> HTTP 404: Entry not found. Try again (operation id req-42)"


def test_header_message_complements_problem_without_detail() -> None:
    resp = response(
        400,
        json.dumps({"status": 400, "title": "Bad request."}).encode(),
        {"content-type": "application/problem+json", "x-apiserver-error": "Page%2041%20is%20beyond."},
    )
    err = error_from_response(resp)
    assert err.title == "Bad request."
    assert err.detail == "Page 41 is beyond."


@pytest.mark.parametrize(
    "content",
    [
        b"[1, 2, 3]",
        b"42",
        b"null",
        b"true",
        b"\xff\xfe{not utf-8",
        b'{"status": 400, "title": ',
        b"{" * 100_000,
        b"[" * 100_000 + b"]" * 100_000,
        b'{"title": ["not", "a", "string"], "errorCode": "abc", "status": "x"}',
        b'{"errorCode": true, "detail": 5}',
    ],
)
def test_non_problem_bodies_never_raise(content: bytes) -> None:
    err = error_from_response(response(400, content, {"content-type": "application/json"}))
    assert isinstance(err, BadRequestError)
    assert err.status == 400
    assert err.error_code is None
    assert "\n" not in str(err)
    assert len(str(err)) < 1200


def test_json_string_body_becomes_detail() -> None:
    err = error_from_response(response(500, b'"database unavailable"', {"content-type": "application/json"}))
    assert err.detail == "database unavailable"


def test_plain_text_body_first_line() -> None:
    err = error_from_response(
        response(500, b"upstream timed out\nstack trace...", {"content-type": "text/plain"})
    )
    assert err.detail == "upstream timed out"


@pytest.mark.parametrize(
    ("header", "expected"),
    [("5", 5.0), ("0", 0.0), (" 12 ", 12.0), ("1.5", 1.5), ("Wed, 21 Oct 2015 07:28:30 GMT", 30.0)],
)
def test_retry_after_parsing(header: str, expected: float) -> None:
    now = datetime(2015, 10, 21, 7, 28, 0, tzinfo=UTC)
    assert parse_retry_after(header, now=now) == expected


@pytest.mark.parametrize(
    "header", [None, "", "soon", "-5", "5s", "1e3", "inf", "nan", "1" * 100, "Wed, 99 Foo 2015 07:28:30 GMT"]
)
def test_retry_after_unparseable_is_none(header: str | None) -> None:
    assert parse_retry_after(header) is None


def test_retry_after_in_the_past_is_zero() -> None:
    now = datetime(2020, 1, 1, tzinfo=UTC)
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=now) == 0.0


def test_retry_after_naive_now_is_utc() -> None:
    now = datetime(2015, 10, 21, 7, 28, 0)
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:10 GMT", now=now) == 10.0


def test_rate_limited_with_seconds() -> None:
    resp = response(
        429, json.dumps({"status": 429, "title": "Too many requests."}).encode(), {"Retry-After": "7"}
    )
    err = error_from_response(resp)
    assert isinstance(err, RateLimitedError)
    assert err.retry_after == 7.0
    assert str(err).endswith("the server asked to retry after 7 s")


def test_rate_limited_with_http_date() -> None:
    future = datetime.now(UTC).timestamp() + 120
    date = datetime.fromtimestamp(future, UTC).strftime("%a, %d %b %Y %H:%M:%S GMT")
    err = error_from_response(response(429, b"", {"Retry-After": date}))
    assert isinstance(err, RateLimitedError)
    assert err.retry_after is not None
    assert 100 < err.retry_after <= 120


def test_rate_limited_without_header() -> None:
    err = error_from_response(response(429))
    assert isinstance(err, RateLimitedError)
    assert err.retry_after is None


def test_streamed_response_with_body_passed() -> None:
    payload = json.dumps({"status": 423, "title": "The entry is locked."}).encode()
    resp = httpx.Response(423, stream=httpx.ByteStream(payload), request=httpx.Request("POST", URL))
    err = error_from_response(resp, body=payload)
    assert isinstance(err, EntryLockedError)
    assert err.title == "The entry is locked."


def test_streamed_response_not_read_does_not_raise() -> None:
    resp = httpx.Response(500, stream=httpx.ByteStream(b"{}"), request=httpx.Request("GET", URL))
    err = error_from_response(resp)
    assert isinstance(err, ServerError)
    assert err.title == "Internal Server Error"


def test_response_without_request() -> None:
    err = error_from_response(httpx.Response(401))
    assert isinstance(err, AuthenticationError)
    assert err.method is None
    assert err.url is None
    assert str(err).startswith("HTTP 401: Unauthorized")


def test_server_text_is_scrubbed_of_links_and_tokens() -> None:
    resp = problem(
        500,
        title="Failure",
        detail=f"fetching {SECRET_LINK} with Authorization: Bearer eyJhbGciOiJFUzI1NiJ9.payload.sig\nline2",
    )
    err = error_from_response(resp)
    text = str(err) + repr(err)
    assert "SECRET123" not in text
    assert "eyJhbGci" not in text
    assert "https://store.example.com/exports/2161949.pdf" in str(err)
    assert "Bearer [redacted]" in str(err)
    assert "\n" not in str(err)


def test_api_error_url_argument_is_redacted() -> None:
    err = NotFoundError(status=404, url=SECRET_LINK)
    assert err.url == "https://store.example.com/exports/2161949.pdf"
    assert "SECRET123" not in str(err) + repr(err)


@given(
    st.integers(min_value=100, max_value=599),
    st.binary(max_size=300),
    st.dictionaries(
        st.sampled_from(["content-type", "x-apiserver-error", "x-requestid", "retry-after"]),
        st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=40),
    ),
)
def test_any_response_maps_without_raising(status: int, content: bytes, headers: dict[str, str]) -> None:
    err = error_from_response(response(status, content, headers))
    assert isinstance(err, ApiError)
    assert err.status == status
    assert "\n" not in str(err)
    assert "\n" not in repr(err)


# ----------------------------------------------------------------------------------------------- redaction


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (SECRET_LINK, "https://store.example.com/exports/2161949.pdf"),
        ("https://user:pw@host.example:8443/a/b?x=1#frag", "https://host.example:8443/a/b"),
        ("http://[::1]:8080/p?q", "http://[::1]:8080/p"),
        ("/v2/Repositories/r-1/Entries/5/Export?pageRange=1-3", "/v2/Repositories/r-1/Entries/5/Export"),
        ("https://host/path#only-fragment", "https://host/path"),
        ("https://host:notaport/x?sig=1", "https://host:notaport/x"),
        ("https://u:p@host:99999/x?sig=1", "https://host:99999/x"),
    ],
)
def test_redact_url(url: str, expected: str) -> None:
    assert redact_url(url) == expected


@given(st.text(max_size=60))
def test_redact_url_never_keeps_a_query(text: str) -> None:
    redacted = redact_url(f"https://h.example/p?sig={text}")
    assert "?" not in redacted
    assert "sig=" not in redacted


# ---------------------------------------------------------------------------------------- other error kinds


def test_download_error_redacts_url() -> None:
    err = DownloadError("connection reset after 3 MiB", url=SECRET_LINK, status=None)
    # A link is a credential, and some hosts carry the secret in the path: only host and file name show.
    assert err.url == "https://store.example.com/…/2161949.pdf"
    assert err.reason == "connection reset after 3 MiB"
    assert (
        str(err) == "download failed (https://store.example.com/…/2161949.pdf): connection reset after 3 MiB"
    )
    assert "exports" not in str(err) + repr(err)
    assert "SECRET123" not in repr(err)
    assert "sig=" not in str(err) + repr(err)


def test_download_error_with_status_and_no_url() -> None:
    err = DownloadError("link expired", status=403)
    assert err.url is None
    assert str(err) == "download failed: HTTP 403: link expired"


def test_network_error_from_httpx() -> None:
    request = httpx.Request("GET", SECRET_LINK)
    cause = httpx.ConnectError("[Errno 111] Connection refused", request=request)
    err = network_error(cause)
    assert isinstance(err, LaserficheError)
    assert err.method == "GET"
    assert err.url == "https://store.example.com/exports/2161949.pdf"
    assert str(err) == (
        "GET https://store.example.com/exports/2161949.pdf failed: connection refused (ConnectError); "
        "is the server running there? check base_url"
    )
    assert "SECRET123" not in str(err) + repr(err)


def test_network_error_without_request() -> None:
    err = network_error(httpx.ReadTimeout("timed out"))
    assert str(err).startswith("request timed out: no answer within the timeout (ReadTimeout)")
    assert err.url is None


@pytest.mark.parametrize(
    ("exc", "cause"),
    [
        (httpx.ConnectError("[Errno 111] Connection refused"), "connection refused"),
        (httpx.ConnectError("[Errno -2] Name or service not known"), "the host name could not be resolved"),
        (
            httpx.ConnectError("[SSL: WRONG_VERSION_NUMBER] wrong version number"),
            "TLS to a port that does not",
        ),
        (
            httpx.RemoteProtocolError("Server disconnected without sending a response."),
            "closed the connection",
        ),
        (httpx.ReadError("[Errno 104] Connection reset by peer"), "the connection was reset"),
        (httpx.ConnectTimeout(""), "no connection within the connect timeout"),
    ],
)
def test_network_errors_say_where_what_and_what_to_do(exc: httpx.HTTPError, cause: str) -> None:
    exc.request = httpx.Request("GET", "https://api.example.test:8443/repository/v2/x?secret=1")
    err = network_error(exc, what="GetEntry")
    assert str(err).startswith("GetEntry to api.example.test:8443 ")
    assert cause in str(err)
    assert type(exc).__name__ in str(err)
    assert "secret" not in str(err)


def test_network_error_says_whether_it_timed_out() -> None:
    assert network_error(httpx.ReadTimeout("timed out")).timed_out is True
    assert network_error(httpx.PoolTimeout("pool")).timed_out is True
    assert network_error(httpx.ConnectError("refused")).timed_out is False
    assert NetworkError("refused").timed_out is False
    err = NetworkError("deadline", timed_out=True)
    assert err.timed_out is True
    assert pickle.loads(pickle.dumps(err)).timed_out is True


def test_export_interrupted_names_the_tasks() -> None:
    err = ExportInterrupted({"a": 1, "b": None, "c": 3}, cancelled=["b", "a"], outcomes=["o1"])
    assert isinstance(err, KeyboardInterrupt)
    assert not isinstance(err, Exception)
    assert err.tasks == {"a": 1, "b": None, "c": 3}
    assert err.cancelled == ("a", "b")
    assert err.left_running == ("c",)
    assert err.outcomes == ("o1",)
    assert str(err) == "interrupted; remote task(s) cancelled: a, b; left running: c"
    assert "\n" not in repr(err)
    assert "left_running=('c',)" in repr(err)
    clone = pickle.loads(pickle.dumps(err))
    assert type(clone) is ExportInterrupted
    assert clone.__dict__ == err.__dict__
    assert str(clone) == str(err)
    assert clone.left_running == ("c",)


def test_export_interrupted_edge_cases() -> None:
    assert str(ExportInterrupted({})) == "interrupted; no remote task was running"
    none_cancelled = ExportInterrupted({"x": None})
    assert none_cancelled.cancelled == ()
    assert none_cancelled.left_running == ("x",)
    assert str(none_cancelled) == "interrupted; left running: x"
    all_cancelled = ExportInterrupted({"x": 7}, cancelled=("x",))
    assert str(all_cancelled) == "interrupted; remote task(s) cancelled: x"
    assert all_cancelled.left_running == ()
    with pytest.raises(KeyboardInterrupt):
        raise ExportInterrupted({"x": 7})


def test_network_error_chains_with_from() -> None:
    cause = httpx.ConnectError("refused")

    def fetch() -> None:
        try:
            raise cause
        except httpx.HTTPError as exc:
            raise network_error(exc) from exc

    with pytest.raises(NetworkError) as info:
        fetch()
    assert info.value.__cause__ is cause


def test_task_failed_error() -> None:
    errors: list[dict[str, object]] = [
        {
            "title": "Need to provide correct audit reason.",
            "detail": "Export requires one.",
            "errorCode": 216,
        },
        {"title": "Second."},
    ]
    err = TaskFailedError("98b07b1d", errors)
    assert isinstance(err, TaskError)
    assert err.task_id == "98b07b1d"
    assert err.errors == errors
    assert err.error_code == 216
    assert str(err) == (
        "task 98b07b1d failed: Need to provide correct audit reason. Export requires one. (errorCode 216) "
        "and 1 more error(s). Pass audit_reason_id with one of the repository's ExportDocument audit reasons "
        "(ListAuditReasons)"
    )
    assert repr(err) == "TaskFailedError(task_id='98b07b1d')"


def test_task_failed_error_without_details() -> None:
    err = TaskFailedError("t1", [])
    assert str(err) == "task t1 failed"
    assert err.error_code is None


def test_task_cancelled_and_expired() -> None:
    cancelled = TaskCancelledError("t1")
    assert cancelled.task_id == "t1"
    assert str(cancelled) == "task t1 was cancelled; partial results may remain"
    expired = TaskExpiredError("t2")
    assert expired.task_id == "t2"
    assert str(expired) == (
        "task t2 is unknown to the server: it expired 15 minutes after completion "
        "or never existed under this access token; start the export again"
    )


def test_export_timeout_error() -> None:
    err = ExportTimeoutError(["a", "b"], cancelled=False)
    assert err.task_ids == ("a", "b")
    assert err.cancelled is False
    assert str(err) == (
        "export deadline passed; task(s) still running on the server: a, b; "
        "resume by waiting on these task ids, within 15 minutes of their completion"
    )
    custom = ExportTimeoutError(["a"], cancelled=False, resume_hint="run `lf-export resume a`")
    assert str(custom).endswith("run `lf-export resume a`")
    done = ExportTimeoutError(("a",), cancelled=True)
    assert done.cancelled is True
    assert (
        str(done) == "export deadline passed; the remote task(s) were cancelled (a); start the export again"
    )


def test_options_error_lists_every_issue() -> None:
    issues = [
        OptionIssue("imageOptions.watermark.rotationAngle", 361, "must be between 0 and 360 inclusive"),
        OptionIssue("imageOptions.jPEGCompressionLevel", -1, "must be between 0 and 100 inclusive"),
    ]
    err = OptionsError(issues)
    assert isinstance(err, ValueError)
    assert isinstance(err, LaserficheError)
    assert err.issues == tuple(issues)
    assert str(err) == (
        "invalid export options: imageOptions.watermark.rotationAngle: must be between 0 and 360 inclusive "
        "(got 361); imageOptions.jPEGCompressionLevel: must be between 0 and 100 inclusive (got -1)"
    )
    assert "\n" not in repr(err)


@pytest.mark.parametrize(
    "err",
    [
        NotFoundError(status=404, title="Entry not found.", url=SECRET_LINK, problem={"status": 404}),
        RateLimitedError(status=429, retry_after=3.0),
        TaskFailedError("t", [{"title": "x", "errorCode": 1}]),
        TaskExpiredError("t"),
        ExportTimeoutError(["a"], cancelled=True),
        DownloadError("boom", url=SECRET_LINK),
        NetworkError("refused", method="GET", url=SECRET_LINK),
        OptionsError([OptionIssue("part", "x", "must be one of Image, Text, Edoc")]),
    ],
)
def test_errors_pickle_and_stay_one_line(err: LaserficheError) -> None:
    clone = pickle.loads(pickle.dumps(err))
    assert type(clone) is type(err)
    assert str(clone) == str(err)
    assert clone.__dict__ == err.__dict__
    assert "\n" not in str(err)
    assert "\n" not in repr(err)
    assert "SECRET123" not in str(err) + repr(err)


@pytest.mark.parametrize(
    ("fields", "head"),
    [
        (["pageRange"], "invalid page range"),
        (["pageRange", "part"], "invalid export options"),
        (["imageOptions.watermark.text", "auditReasonId"], "invalid export options"),
        (["base_url"], "invalid arguments"),
        (["part", "username"], "invalid arguments"),
    ],
)
def test_options_error_headline(fields: list[str], head: str) -> None:
    err = OptionsError([OptionIssue(f, 1, "is wrong") for f in fields])
    assert str(err).startswith(f"{head}: {fields[0]}: is wrong (got 1)")
