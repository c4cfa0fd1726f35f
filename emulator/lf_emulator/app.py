"""The API server: operations at the real V2 paths, spec-driven validation, ProblemDetails, admin endpoints.

Every API request goes through one pipeline, in this order:

1. operation lookup from method and path (unknown path → 404, wrong method → 405, as ProblemDetails);
2. the fault profile (reset before, 429, 5xx bursts, HTML bodies, reset after processing);
3. bearer token (401 for missing, unknown or expired; the v1 password grant needs none);
4. per-token rate limits, all calls and export calls (429 + ``Retry-After``);
5. openapi-core validation against the spec (400 naming field and rule);
6. the operation itself (404 unknown repository or entry, 400 semantic errors, 423 locked, 429 task limit).

Laserfiche Cloud sign-in (outside the base path, see ``signin``): ``POST /oauth/Token`` with an ES256
client assertion issues tokens that live ``cloud_token_seconds`` on the emulator clock; counted in
``counters()["token_requests"]`` and ``["token_responses"]`` (by status). Fault profiles reach it only when
their ``operations`` name ``SignIn``.

Admin endpoints (no auth, outside the base path): ``GET /_emulator/state``, ``POST /_emulator/faults``
(a FaultProfile as JSON), ``POST /_emulator/clock/advance`` (``{"seconds": n}``), ``POST /_emulator/tokens``
(``{"lifetime_seconds": n}`` → ``{"token": …}``), ``POST /_emulator/reset``.
"""

from __future__ import annotations

import json
import logging
import re
import uuid
from collections.abc import Awaitable, Callable, Mapping, MutableMapping
from typing import Any
from urllib.parse import parse_qs, quote, urlencode

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route, Router

from lf_emulator.faults import FaultProfile, RequestFault
from lf_emulator.links import Receive, Send, abort_connection
from lf_emulator.render import ExportSpec, PageRangeError, WatermarkSpec, select_pages
from lf_emulator.repository import Entry
from lf_emulator.signin import SIGN_IN_PATH, SignInRefused, SignInUnavailable, verify_sign_in
from lf_emulator.spec import SpecValidator, load_validator
from lf_emulator.state import EmulatorState
from lf_emulator.tasks import TooManyTasks
from lf_emulator.tree_api import TreeOperations
from lf_emulator.wire import _TITLES, Call, Problem, ProblemResponse, problem_body

__all__ = ["OPERATIONS", "ApiApp", "Problem", "create_api_app"]

_log = logging.getLogger("lf_emulator")
_REPO = r"/v(?P<version>[12])/Repositories/(?P<repositoryId>[^/]+)"

#: operation id, method, path regex (relative to the base path), spec path template.
OPERATIONS: tuple[tuple[str, str, str, str], ...] = (
    (
        "ExportEntry",
        "POST",
        _REPO + r"/Entries/(?P<entryId>[^/]+)/Export",
        "/v2/Repositories/{repositoryId}/Entries/{entryId}/Export",
    ),
    (
        "StartExportEntry",
        "POST",
        _REPO + r"/Entries/(?P<entryId>[^/]+)/ExportAsync",
        "/v2/Repositories/{repositoryId}/Entries/{entryId}/ExportAsync",
    ),
    ("ListTasks", "GET", _REPO + r"/Tasks", "/v2/Repositories/{repositoryId}/Tasks"),
    ("CancelTasks", "DELETE", _REPO + r"/Tasks", "/v2/Repositories/{repositoryId}/Tasks"),
    ("ListAuditReasons", "GET", _REPO + r"/AuditReasons", "/v2/Repositories/{repositoryId}/AuditReasons"),
    (
        "GetEntryByPath",
        "GET",
        _REPO + r"/Entries/ByPath",
        "/v2/Repositories/{repositoryId}/Entries/ByPath",
    ),
    (
        "GetEntry",
        "GET",
        _REPO + r"/Entries/(?P<entryId>[^/]+)",
        "/v2/Repositories/{repositoryId}/Entries/{entryId}",
    ),
    (
        "StartDeleteEntry",
        "DELETE",
        _REPO + r"/Entries/(?P<entryId>[^/]+)",
        "/v2/Repositories/{repositoryId}/Entries/{entryId}",
    ),
    (
        "ListEntries",
        "GET",
        _REPO + r"/Entries/(?P<entryId>[^/]+)/Folder/Children",
        "/v2/Repositories/{repositoryId}/Entries/{entryId}/Folder/Children",
    ),
    (
        "StartCopyEntry",
        "POST",
        _REPO + r"/Entries/(?P<entryId>[^/]+)/Folder/CopyAsync",
        "/v2/Repositories/{repositoryId}/Entries/{entryId}/Folder/CopyAsync",
    ),
    (
        "ListFields",
        "GET",
        _REPO + r"/Entries/(?P<entryId>[^/]+)/Fields",
        "/v2/Repositories/{repositoryId}/Entries/{entryId}/Fields",
    ),
    (
        "ListTags",
        "GET",
        _REPO + r"/Entries/(?P<entryId>[^/]+)/Tags",
        "/v2/Repositories/{repositoryId}/Entries/{entryId}/Tags",
    ),
    (
        "ListLinks",
        "GET",
        _REPO + r"/Entries/(?P<entryId>[^/]+)/Links",
        "/v2/Repositories/{repositoryId}/Entries/{entryId}/Links",
    ),
    (
        "StartSearchEntry",
        "POST",
        _REPO + r"/Searches/SearchAsync",
        "/v2/Repositories/{repositoryId}/Searches/SearchAsync",
    ),
    (
        "ListSearchResults",
        "GET",
        _REPO + r"/Searches/(?P<taskId>[^/]+)/Results",
        "/v2/Repositories/{repositoryId}/Searches/{taskId}/Results",
    ),
    ("CreateAccessToken", "POST", _REPO + r"/Token", "/v1/Repositories/{repositoryId}/Token"),
)
_COMPILED = [(op, method, re.compile(rx + r"/?$"), template) for op, method, rx, template in OPERATIONS]
_VERSION = {"CreateAccessToken": "1"}

_AUDIT_REASON_CODE = 216
_DEFAULT_PAGE_SIZE = 100
_AUDIT_FIELDS = {"id": "id", "name": "name", "auditEventType": "audit_event_type"}
# Emoji as the spec describes them: emoji-presentation characters and pictographs, regional-indicator
# flags, keycaps, skin-tone modifiers and VS16. Ordinary symbols (° № ☐ ♪ ★ ✓) are not emoji.
_EMOJI = re.compile(
    "["
    "\U0001f300-\U0001f64f\U0001f680-\U0001f6ff\U0001f7e0-\U0001f7eb\U0001f90c-\U0001f9ff"
    "\U0001fa70-\U0001faff\U0001f1e6-\U0001f1ff\U0001f004\U0001f0cf\U0001f18e\U0001f191-\U0001f19a"
    "\U0001f201\U0001f21a\U0001f22f\U0001f232-\U0001f236\U0001f238-\U0001f23a\U0001f250\U0001f251"
    "\ufe0f\u20e3\u231a\u231b\u23e9-\u23ec\u23f0\u23f3\u25fd\u25fe\u2614\u2615\u2648-\u2653"
    "\u267f\u2693\u26a1\u26aa\u26ab\u26bd\u26be\u26c4\u26c5\u26ce\u26d4\u26ea\u26f2\u26f3\u26f5"
    "\u26fa\u26fd\u2705\u270a\u270b\u2728\u274c\u274e\u2753-\u2755\u2757\u2795-\u2797\u27b0"
    "\u27bf\u2b1b\u2b1c\u2b50\u2b55"
    "]"
)


def _bool(value: Any, default: bool) -> bool:
    return default if value is None else bool(value)


class ApiApp:
    """The ASGI app of the API server (Starlette requests and responses, own dispatch)."""

    def __init__(self, state: EmulatorState, validator: SpecValidator | None) -> None:
        self.state = state
        self.config = state.config
        self.validator = validator
        self.admin = Router(
            routes=[
                Route("/_emulator/state", self._admin_state, methods=["GET"]),
                Route("/_emulator/faults", self._admin_faults, methods=["POST"]),
                Route("/_emulator/clock/advance", self._admin_clock, methods=["POST"]),
                Route("/_emulator/tokens", self._admin_token, methods=["POST"]),
                Route("/_emulator/reset", self._admin_reset, methods=["POST"]),
            ]
        )
        self._handlers: dict[str, Callable[[Call], Awaitable[Response]]] = {
            "ExportEntry": self._export,
            "StartExportEntry": self._export,
            "ListTasks": self._list_tasks,
            "CancelTasks": self._cancel_tasks,
            "ListAuditReasons": self._audit_reasons,
            "CreateAccessToken": self._token,
        }
        self._handlers.update(TreeOperations(state).handlers)

    # -- dispatch --------------------------------------------------------------------------------------

    async def __call__(self, scope: MutableMapping[str, Any], receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        path: str = scope["path"]
        if path.startswith("/_emulator/"):
            await self.admin(scope, receive, send)
            return
        if path.lower() == SIGN_IN_PATH.lower():
            await self._sign_in(scope, receive, send)
            return
        request_id = uuid.uuid4().hex
        base = self.config.base_path
        relative = path[len(base) :] if path.startswith(base + "/") else None
        matched = self._match(scope["method"], relative) if relative is not None else None
        if not isinstance(matched, tuple):
            status, detail = (
                (405, "Method not allowed on this path") if matched == 405 else (404, "No such path")
            )
            body = problem_body(status, detail, instance=path, request_id=request_id)
            await ProblemResponse(body, status, headers={"x-requestid": request_id})(scope, receive, send)
            return
        operation, params = matched
        self.state.count_request(operation)
        fault = self.state.faults.request(operation)
        if fault is not None and fault.kind == "reset_before":
            await abort_connection(send)
            return
        if fault is not None and fault.kind in ("429", "5xx"):
            self.state.count_status(operation, fault.status)
            await self._fault_response(fault, path, request_id)(scope, receive, send)
            return
        call = Call(operation, params, Request(scope, receive), request_id)
        response = await self._handle(call)
        response.headers["x-requestid"] = request_id
        self.state.count_status(operation, response.status_code)
        if fault is not None and fault.kind == "reset_after":
            await abort_connection(send)
            return
        await response(scope, receive, send)

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return

    @staticmethod
    def _match(method: str, relative: str) -> tuple[str, dict[str, str]] | int:
        path_matched = False
        for operation, op_method, regex, _ in _COMPILED:
            m = regex.match(relative)
            if m is None or m["version"] != _VERSION.get(operation, "2"):
                continue
            path_matched = True
            if op_method == method:
                return operation, {k: v for k, v in m.groupdict().items() if k != "version"}
        return 405 if path_matched else 404

    def _fault_response(self, fault: RequestFault, path: str, request_id: str) -> Response:
        headers = {"x-requestid": request_id}
        if fault.kind == "429":
            headers["Retry-After"] = str(fault.retry_after)
        title = _TITLES.get(fault.status, "Error")
        if fault.html:
            html = (
                f"<html><head><title>{fault.status} {title}</title></head><body><center><h1>{fault.status} "
                f"{title}</h1></center><hr><center>emulated-gateway</center></body></html>"
            )
            if fault.status == 500:
                # The API server itself failing behind a proxy: HTML body, message still in the header.
                headers["x-apiserver-error"] = quote("Injected server fault", safe="")
            return Response(html, fault.status, headers=headers, media_type="text/html")
        detail = "Rate limit exceeded (injected fault)" if fault.kind == "429" else "Injected server fault"
        body = problem_body(fault.status, detail, instance=path, request_id=request_id)
        return ProblemResponse(body, fault.status, headers=headers)

    def _problem(self, call: Call, exc: Problem) -> Response:
        body = problem_body(
            exc.status,
            exc.detail,
            instance=call.request.url.path,
            request_id=call.request_id,
            error_code=exc.error_code,
            source=exc.source,
        )
        return ProblemResponse(body, exc.status, headers=exc.headers)

    async def _handle(self, call: Call) -> Response:
        try:
            if call.operation != "CreateAccessToken":
                call.token = self._authenticate(call.request)
                self._rate_limits(call)
            call.body = await call.request.body()
            self._validate(call)
            if call.params["repositoryId"] != self.config.repository_id:
                raise Problem(
                    404, f"Repository {call.params['repositoryId']!r} not found", source="Repository"
                )
            self.state.settle()
            return await self._handlers[call.operation](call)
        except Problem as exc:
            return self._problem(call, exc)
        except Exception:
            _log.exception("emulator bug while handling %s", call.operation)
            return self._problem(call, Problem(500, "Unexpected emulator error (see the emulator log)"))

    def _rate_limits(self, call: Call) -> None:
        limits = [(self.state.rate, "requests")]
        if call.operation in ("ExportEntry", "StartExportEntry"):
            limits.append((self.state.export_rate, "export calls"))
        for limiter, what in limits:
            wait = limiter.admit(call.token)
            if wait:
                raise Problem(
                    429,
                    f"Rate limit of {limiter.per_minute} {what} per minute exceeded for this access token; "
                    f"retry after {wait} s",
                    headers={"Retry-After": str(wait)},
                )

    def _authenticate(self, request: Request) -> str:
        header = request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        challenge = {"WWW-Authenticate": 'Bearer realm="lf-emulator"'}
        if scheme.lower() != "bearer" or not token.strip():
            raise Problem(401, "Missing bearer token in the Authorization header", headers=challenge)
        verdict = self.state.tokens.check(token.strip())
        if verdict == "expired":
            raise Problem(401, "The access token has expired; get a new one", headers=challenge)
        if verdict == "unknown":
            raise Problem(401, "The access token is not valid", headers=challenge)
        return token.strip()

    def _validate(self, call: Call) -> None:
        template = next(t for op, _, _, t in OPERATIONS if op == call.operation)
        request = call.request
        if self.validator is None or not self.validator.has(request.method, template):
            return
        if call.operation in ("ListTasks", "CancelTasks") and "taskIds" not in request.query_params:
            # The spec demands taskIds (a client must never omit them); the real server treats their
            # absence as "every task of this token", and so does the emulator unless told to be strict.
            self.state.count_request(f"{call.operation} without taskIds")
            if not self.config.strict_task_ids:
                return
        problems = self.validator.validate(
            method=request.method,
            path=request.url.path,
            query=request.query_params.multi_items(),
            headers=dict(request.headers),
            body=call.body,
            content_type=request.headers.get("content-type", ""),
        )
        if problems:
            raise Problem(400, "Invalid request: " + "; ".join(problems))

    # -- operations ------------------------------------------------------------------------------------

    def _entry(self, call: Call) -> Entry:
        raw = call.params["entryId"]
        try:
            entry_id = int(raw)
        except ValueError:
            raise Problem(400, f"path parameter entryId: {raw!r} is not an integer (rule: type)") from None
        entry = self.state.repository.get(entry_id)
        if entry is None:
            raise Problem(404, f"Entry {entry_id} not found", source="Repository")
        return entry

    def _context(self, call: Call, suffix: str) -> str:
        return f"{call.origin}{self.config.base_path}/v2/$metadata#{suffix}"

    def _export_spec(self, call: Call, entry: Entry) -> tuple[ExportSpec, dict[str, Any]]:
        try:
            body = json.loads(call.body or b"null")
        except ValueError as exc:
            raise Problem(400, f"(body): not valid JSON ({exc})") from None
        if not isinstance(body, dict) or body.get("part") not in ("Image", "Text", "Edoc"):
            raise Problem(400, "part: must be one of Image, Text, Edoc (rule: enum)")
        part = body["part"]
        image = body.get("imageOptions") or {}
        text = body.get("textOptions") or {}
        watermark = None
        if (wm := image.get("watermark")) is not None:
            wm_text = str(wm.get("text", ""))
            if _EMOJI.search(wm_text):
                raise Problem(400, "imageOptions.watermark.text: emoji are not supported (rule: no emoji)")
            watermark = WatermarkSpec(
                text=wm_text,
                position=wm.get("position") or "DeadCenter",
                rotation_angle=int(wm.get("rotationAngle", 0) or 0),
                page_span_percentage=int(wm.get("pageSpanPercentage", 50) or 50),
            )
        page_range = call.request.query_params.get("pageRange")
        pages: tuple[int, ...] = ()
        if part == "Edoc":
            if entry.edoc is None:
                raise Problem(400, f"Entry {entry.id} has no electronic document to export as Edoc")
        else:
            if part == "Image" and not entry.pages:
                raise Problem(400, f"Entry {entry.id} has no image pages; export it as Edoc or Text")
            try:
                pages = select_pages(page_range, len(entry.pages))
            except PageRangeError as exc:
                raise Problem(400, str(exc)) from None
        spec = ExportSpec(
            part=part,
            pages=pages,
            image_format=image.get("format") or "MultiPageTIFF",
            jpeg_quality=int(image.get("jPEGCompressionLevel", 70)),
            include_annotations=_bool(image.get("includeAnnotations"), True),
            convert_pdf_annotations=_bool(image.get("convertPdfAnnotations"), True),
            include_redactions=_bool(image.get("includeRedactions"), True),
            page_prefix=image.get("pagePrefix", ", Page "),
            watermark=watermark,
            text_include_redactions=_bool(text.get("includeRedactions"), True),
            redaction_character=text.get("redactionCharacter") or "X",
        )
        return spec, body

    def _audit_problem(self, body: Mapping[str, Any]) -> Problem | None:
        reason = body.get("auditReasonId")
        valid = self.state.repository.export_reason_ids()
        if reason is None and not self.config.require_audit_reason:
            return None
        if reason in valid:
            return None
        names = ", ".join(f"{r.id} ({r.name})" for r in self.state.repository.audit_reasons if r.id in valid)
        return Problem(
            400,
            "Need to provide correct audit reason for exporting this document. "
            f"Valid ExportDocument audit reasons: {names}",
            error_code=_AUDIT_REASON_CODE,
            source="Repository",
        )

    def _duration(self, entry: Entry, spec: ExportSpec) -> float:
        if spec.part == "Edoc" and entry.edoc is not None:
            factor = entry.edoc.size / (10 * 1024 * 1024)
        else:
            factor = len(spec.pages) / 10
        return self.config.task_seconds * min(max(factor, 1.0), 5.0)

    async def _export(self, call: Call) -> Response:
        entry = self._entry(call)
        if entry.entry_type != "Document":
            raise Problem(400, f"Entry {entry.id} is a {entry.entry_type}; only documents can be exported")
        spec, body = self._export_spec(call, entry)
        lock = (
            Problem(423, f"Entry {entry.id} is locked by another user; try again later", source="Repository")
            if entry.locked
            else None
        )
        refusal = lock or self._audit_problem(body)
        repo, links = self.config.repository_id, self.state.links
        if call.operation == "ExportEntry":
            if refusal is not None:
                raise refusal
            return JSONResponse(
                {
                    "@odata.context": self._context(
                        call, f"Repositories('{repo}')/entries({entry.id})/Export"
                    ),
                    "value": links.mint(entry, spec),
                }
            )
        fault = self.state.faults.task()
        error: Problem | None = refusal
        if error is None and fault.fail:
            error = Problem(500, f"Export of entry {entry.id} failed (injected fault)", source="Repository")
        error_body = None
        if error is not None:
            error_body = problem_body(
                error.status,
                error.detail,
                instance=call.request.url.path,
                request_id=call.request_id,
                error_code=error.error_code,
                source=error.source,
            )
        try:
            task = self.state.tasks.start(
                call.token,
                entry.id,
                self._duration(entry, spec),
                outcome="fail" if error_body else ("hang" if fault.hang else "complete"),
                error=error_body,
                unknown_enum=fault.unknown_enum,
                mint_link=lambda: links.mint(entry, spec),
            )
        except TooManyTasks as exc:
            raise Problem(
                429,
                f"Too many concurrent long operations for this access token ({exc.active} running, limit "
                f"{self.config.max_concurrent_tasks}); wait for one to finish",
                headers={"Retry-After": str(exc.retry_after)},
            ) from None
        return JSONResponse(
            {
                "@odata.context": self._context(
                    call, f"Repositories('{repo}')/entries({entry.id})/ExportAsync"
                ),
                "@odata.type": "#Laserfiche.Repository.StartTaskResponse",
                "taskId": task.id,
            },
            status_code=202,
        )

    async def _list_tasks(self, call: Call) -> Response:
        ids = call.request.query_params.getlist("taskIds")
        tasks = self.state.tasks
        released = await tasks.wait_for_change(
            call.token, ids, self.config.long_poll_max_seconds, lambda: self.state.stopping
        )
        self.state.count_long_poll(released)
        value = [tasks.progress(t) for t in tasks.select(call.token, ids)]
        return JSONResponse({"@odata.context": self._context(call, "Tasks"), "value": value})

    async def _cancel_tasks(self, call: Call) -> Response:
        ids = call.request.query_params.getlist("taskIds")
        tasks = self.state.tasks
        value = [
            {"id": t.id, "taskType": tasks.task_type(t), "result": True}
            for t in tasks.cancel(call.token, ids)
        ]
        return JSONResponse({"@odata.context": self._context(call, "Tasks"), "value": value})

    async def _audit_reasons(self, call: Call) -> Response:
        query = call.request.query_params

        def integer(name: str, default: int | None) -> int | None:
            raw = query.get(name)
            if raw is None:
                return default
            try:
                value = int(raw)
            except ValueError:
                raise Problem(
                    400, f"query parameter {name}: {raw!r} is not an integer (rule: type)"
                ) from None
            if value < 0:
                raise Problem(400, f"query parameter {name}: {value} must be >= 0 (rule: minimum)")
            return value

        top = integer("$top", None)
        skip = integer("$skip", 0) or 0
        count = query.get("$count", "false").lower() == "true"
        reasons = list(self.state.repository.audit_reasons)
        orderby = query.get("$orderby")
        if orderby:
            for clause in reversed([c.strip() for c in orderby.split(",") if c.strip()]):
                name, _, direction = clause.partition(" ")
                direction = direction.strip().lower() or "asc"
                if name not in _AUDIT_FIELDS or direction not in ("asc", "desc"):
                    raise Problem(
                        400,
                        f"query parameter $orderby: {clause!r} must be one of {sorted(_AUDIT_FIELDS)} "
                        "optionally followed by asc or desc (rule: orderby)",
                    )
                attribute = _AUDIT_FIELDS[name]
                reasons.sort(key=lambda r: getattr(r, attribute), reverse=direction == "desc")
        select = [s.strip() for s in (query.get("$select") or "").split(",") if s.strip()]
        unknown = [s for s in select if s not in _AUDIT_FIELDS]
        if unknown:
            raise Problem(
                400, f"query parameter $select: unknown field(s) {unknown}; known: {sorted(_AUDIT_FIELDS)}"
            )
        total = len(reasons)
        page_size = _DEFAULT_PAGE_SIZE
        headers = {}
        prefer = re.search(r"maxpagesize\s*=\s*(\d+)", call.request.headers.get("prefer", ""))
        if prefer and int(prefer[1]) > 0:
            page_size = int(prefer[1])
            headers["Preference-Applied"] = f"odata.maxpagesize={page_size}"
        wanted = total - skip if top is None else min(top, max(total - skip, 0))
        take = max(min(page_size, wanted), 0)
        page = reasons[skip : skip + take]
        fields = select or list(_AUDIT_FIELDS)
        body: dict[str, Any] = {
            "@odata.context": self._context(call, "AuditReasons"),
            "value": [{f: getattr(r, _AUDIT_FIELDS[f]) for f in fields} for r in page],
        }
        if count:
            body["@odata.count"] = total
        if take < wanted:
            params = [
                (k, v) for k, v in parse_qs(call.request.url.query).items() if k not in ("$skip", "$top")
            ]
            next_query = [(k, v[-1]) for k, v in params] + [("$skip", str(skip + take))]
            if top is not None:
                next_query.append(("$top", str(top - take)))
            body["@odata.nextLink"] = (
                f"{call.origin}{call.request.url.path}?{urlencode(next_query, safe='$,')}"
            )
        return JSONResponse(body, headers=headers)

    async def _token(self, call: Call) -> Response:
        form = {k: v[-1] for k, v in parse_qs(call.body.decode("utf-8", "replace")).items()}
        if form.get("grant_type") != "password":
            raise Problem(400, f"grant_type: {form.get('grant_type')!r} is not supported; use password")
        username, password = form.get("username", ""), form.get("password", "")
        if not username or self.config.users.get(username) != password:
            raise Problem(401, "Invalid username or password")
        lifetime = self.config.issued_token_seconds
        token = self.state.tokens.issue(lifetime)
        return JSONResponse({"access_token": token, "token_type": "bearer", "expires_in": int(lifetime)})

    # -- Cloud sign-in ---------------------------------------------------------------------------------

    async def _sign_in(self, scope: MutableMapping[str, Any], receive: Receive, send: Send) -> None:
        request_id = uuid.uuid4().hex
        path: str = scope["path"]
        fault = None
        if "SignIn" in self.state.faults.profile.operations:
            fault = self.state.faults.request("SignIn")
        if fault is not None and fault.kind == "reset_before":
            self.state.count_token_request(0)
            await abort_connection(send)
            return
        if fault is not None and fault.kind in ("429", "5xx"):
            response = self._fault_response(fault, path, request_id)
        else:
            response = await self._sign_in_response(Request(scope, receive), request_id)
        response.headers["x-requestid"] = request_id
        response.headers["Cache-Control"] = "no-store"
        self.state.count_token_request(response.status_code)
        if fault is not None and fault.kind == "reset_after":
            await abort_connection(send)
            return
        await response(scope, receive, send)

    async def _sign_in_response(self, request: Request, request_id: str) -> Response:
        def refusal(status: int, error: str, title: str) -> Response:
            body = problem_body(
                status, title, instance=request.url.path, request_id=request_id, source="SignIn"
            )
            body.update({"type": f"https://signin.laserfiche.com/errors/{error}", "title": title})
            body["error"] = error
            return ProblemResponse(body, status)

        if request.method != "POST":
            return refusal(405, "method_not_allowed", "method_not_allowed: use POST")
        raw = await request.body()
        form = {k: v[-1] for k, v in parse_qs(raw.decode("utf-8", "replace")).items()}
        try:
            grant = verify_sign_in(
                form,
                request.headers.get("authorization", ""),
                self.config.service_principals,
                now=self.state.clock.epoch(),
                leeway=self.config.assertion_leeway_seconds,
            )
        except SignInRefused as exc:
            _log.info("sign-in refused: %s", exc.title)
            return refusal(exc.status, exc.error, exc.title)
        except SignInUnavailable as exc:
            return refusal(501, "server_error", f"server_error: {exc}")
        lifetime = self.config.cloud_token_seconds
        token = self.state.tokens.issue(lifetime)
        answer: dict[str, Any] = {"access_token": token, "token_type": "bearer", "expires_in": int(lifetime)}
        if grant.scope:
            answer["scope"] = grant.scope
        return JSONResponse(answer)

    # -- admin -----------------------------------------------------------------------------------------

    async def _admin_state(self, request: Request) -> Response:
        return JSONResponse(self.state.snapshot())

    async def _admin_faults(self, request: Request) -> Response:
        try:
            profile = FaultProfile.from_dict(await request.json())
        except (ValueError, TypeError) as exc:
            return JSONResponse({"error": str(exc)}, status_code=400)
        self.state.set_faults(profile)
        return JSONResponse(profile.to_dict())

    async def _admin_clock(self, request: Request) -> Response:
        try:
            seconds = float((await request.json())["seconds"])
            self.state.advance_clock(seconds)
        except (ValueError, TypeError, KeyError) as exc:
            return JSONResponse({"error": f"seconds: {exc}"}, status_code=400)
        return JSONResponse({"now": self.state.clock.wall().isoformat()})

    async def _admin_token(self, request: Request) -> Response:
        try:
            data = await request.json() if await request.body() else {}
            lifetime = float(data.get("lifetime_seconds", self.config.issued_token_seconds))
            token = self.state.tokens.issue(lifetime)
        except (ValueError, TypeError, AttributeError) as exc:
            return JSONResponse({"error": f"lifetime_seconds: {exc}"}, status_code=400)
        return JSONResponse({"token": token, "expires_in": lifetime})

    async def _admin_reset(self, request: Request) -> Response:
        self.state.reset()
        return JSONResponse({"reset": True})


def create_api_app(state: EmulatorState, *, validate: bool = True) -> ApiApp:
    """The API ASGI app for ``state``; ``validate=False`` skips spec validation (not recommended)."""
    validator = load_validator(state.config.base_path) if validate else None
    return ApiApp(state, validator)
