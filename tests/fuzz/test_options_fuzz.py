"""Hostile input through the wrapper's option and page-range validation, checked against the emulator.

1. Whatever arrives (any JSON-like value, any text), the wrapper raises nothing but `OptionsError`.
2. Everything the wrapper accepts, the emulator — which validates against the spec — accepts too, exactly as
   the wrapper sends it (`to_request_body()` and `query_page_range()`, posted raw with httpx).
3. Vice versa: what the wrapper rejects, the emulator rejects too (sent raw, as a careless client would),
   except for the documented places where the wrapper is deliberately stricter than JSON Schema can be
   (`KNOWN_STRICTER`). A fixed corpus pins the interesting cases; hypothesis explores around them.

The emulator answers 400 for two reasons the wrapper cannot know (the document's page count, the
repository's audit reasons); those are recognised precisely and never counted as disagreements.
``LF_FUZZ_EXAMPLES=5000`` explores further (default 250 examples per property).
"""

from __future__ import annotations

import json
import os
import warnings
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st
from lf_emulator.testing import EmulatorServer
from lf_export import ExportOptions, OptionsError, PageRange, TextOptions, Watermark
from lf_export._options import ImageOptions

PAGES = 40  # the "forty_pages" sample document
EXPORT_REASONS = {1, 2, 3, 4, 5, 6, 7, 11}  # ExportDocument audit reasons of the sample repository
FUZZ = settings(
    max_examples=int(os.environ.get("LF_FUZZ_EXAMPLES", "250")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

# ------------------------------------------------------------------------------------------ strategies

#: Characters that stress text rules: controls, .NET-vs-Python whitespace, file-name specials, emoji and
#: their components, symbols that are not emoji, astral letters (2 UTF-16 units), lone surrogates.
TRICKY = (
    "\x00\x01\x1c\x1f\x7f\x85\x9f\t\n\r \xa0\u1680\u180e\u2000\u200b\u2028\u3000\ufeff"
    '<>:"/\\|?*.,-_ #X\u00a7\u2192'
    "\u00a9\u00ae\u00b0\u2122\u2116\u2610\u2615\u2764\ufe0f\u200d\u20e3\u2b50"
    "\U0001f600\U0001f1fa\U0001f3fb\U0001d400\U00010348\ud800\udfff"
)
texts = st.text(alphabet=st.one_of(st.sampled_from(TRICKY), st.characters(codec="utf-8")), max_size=12)
long_texts = st.one_of(
    texts,
    st.builds(lambda c, n, tail: c * n + tail, st.sampled_from("aé\U0001d400 "), st.integers(95, 106), texts),
)
json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**40), 2**40),
    st.floats(allow_nan=False, allow_infinity=False),
    texts,
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(texts, inner, max_size=3)),
    max_leaves=8,
)


def bounded_int(lo: int, hi: int) -> st.SearchStrategy[Any]:
    """Mostly in and around the bounds, sometimes the wrong type."""
    return st.one_of(
        st.integers(lo - 2, hi + 2),
        st.sampled_from([lo, hi, lo - 1, hi + 1, 2**31, -(2**31) - 1]),
        st.sampled_from([True, 1.0, 50.5, "50", None]),
    )


def enum_value(values: list[str]) -> st.SearchStrategy[Any]:
    return st.one_of(st.sampled_from(values), st.sampled_from([v.lower() for v in values] + ["", "Gif", 3]))


booleans = st.one_of(st.booleans(), st.sampled_from([0, 1, "true", None]))
watermarks = st.fixed_dictionaries(
    {"text": long_texts},
    optional={
        "position": enum_value(["TopLeft", "DeadCenter", "BottomRight", "MiddleLeft"]),
        "rotationAngle": bounded_int(0, 360),
        "pageSpanPercentage": bounded_int(1, 100),
        "color": st.just("red"),
    },
)
image_options = st.fixed_dictionaries(
    {},
    optional={
        "format": enum_value(["MultiPageTIFF", "SinglePageTIFF", "PNG", "PDF", "JPEG"]),
        "jPEGCompressionLevel": bounded_int(0, 100),
        "includeAnnotations": booleans,
        "convertPdfAnnotations": booleans,
        "includeRedactions": booleans,
        "pagePrefix": long_texts.map(lambda t: t[:12]),
        "watermark": st.one_of(watermarks, st.just(None), st.just("CONFIDENTIAL")),
        "jpegCompressionLevel": st.just(70),  # the guide's spelling: not a wire member
    },
)
text_options = st.fixed_dictionaries(
    {}, optional={"includeRedactions": booleans, "redactionCharacter": texts.map(lambda t: t[:2])}
)
bodies = st.builds(
    lambda part, rest: {"part": part, **rest} if part is not None else rest,
    st.one_of(enum_value(["Image", "Text", "Edoc"]), st.just(None)),
    st.fixed_dictionaries(
        {},
        optional={
            "auditReasonId": st.one_of(st.sampled_from(sorted(EXPORT_REASONS)), bounded_int(1, 2**31 - 1)),
            "auditReasonComment": long_texts.map(lambda t: t * 3),
            "imageOptions": image_options,
            "textOptions": text_options,
        },
    ),
)
page_items = st.one_of(
    st.integers(1, PAGES).map(str),
    st.tuples(st.integers(1, PAGES), st.integers(1, PAGES)).map(lambda p: f"{min(p)}-{max(p)}"),
    st.tuples(st.integers(1, PAGES), st.integers(1, PAGES)).map(lambda p: f"{max(p)}-{min(p)}"),
    st.sampled_from(["0", "01", "41", "2147483647", "2147483648", "99999999999", "+3", "3-", "-3", "1--2"]),
    st.sampled_from(["\u0663", "1_0", " 2 ", "2\t-\t4", "1\n", "\xa03", "1-3-5", "", "x"]),
)
page_ranges = st.one_of(
    st.none(),
    st.lists(page_items, min_size=1, max_size=6).flatmap(
        lambda items: st.sampled_from([",", ", ", " ,", ",,"]).map(lambda sep: sep.join(items))
    ),
    texts,
)

# ------------------------------------------------------------------------------------------ the oracle


class Oracle:
    """Posts raw Export requests to the emulator; returns (status, ProblemDetails detail)."""

    def __init__(self, emu: EmulatorServer) -> None:
        self.emu = emu
        self.http = httpx.Client(headers={"Authorization": f"Bearer {emu.token}"}, timeout=10)

    def export(self, body: object, page_range: str | None) -> tuple[int, str]:
        part = body.get("part") if isinstance(body, dict) else None
        entry = self.emu.documents["edoc_pdf" if part == "Edoc" else "forty_pages"]
        params = {} if page_range is None else {"pageRange": page_range}
        # json.dumps escapes lone surrogates (\ud800) instead of failing, like a careless client would send.
        content = json.dumps(body).encode()
        response = self.http.post(
            self.emu.api_url(f"Entries/{entry}/Export"),
            params=params,
            content=content,
            headers={"Content-Type": "application/json"},
        )
        detail = ""
        if response.status_code >= 400:
            problem = response.json()
            detail = f"{problem.get('detail') or problem.get('title')} (errorCode {problem.get('errorCode')})"
        return response.status_code, detail


@pytest.fixture(scope="module")
def oracle(emulator_session: EmulatorServer) -> Iterator[Oracle]:
    o = Oracle(emulator_session)
    yield o
    o.http.close()


def parse(body: object, page_range: str | None) -> ExportOptions | OptionsError:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return ExportOptions.from_request_body(body, page_range)  # type: ignore[arg-type]
        except OptionsError as error:
            return error


def _attempt(build: Callable[[], object]) -> OptionsError | None:
    """Run `build`; None when it succeeded, the OptionsError when it refused. Anything else propagates."""
    try:
        build()
    except OptionsError as error:
        return error
    return None


def semantic_refusal(detail: str, options: ExportOptions) -> bool:
    """A 400 about this repository's data, which validation cannot know: pages beyond the document, or an
    audit reason that is not one of the repository's ExportDocument reasons."""
    if "beyond the document" in detail and options.pages is not None:
        return options.pages.max_page > PAGES
    if "errorCode 216" in detail:
        return options.audit_reason_id not in EXPORT_REASONS
    return False


def utf16_units(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


#: Where the wrapper is deliberately stricter than the spec's JSON Schema can be (spec and options module
#: document each): lengths counted in UTF-16 code units (JSON Schema counts code points); lone surrogates
#: (valid as JSON escapes, but not text the wrapper can encode); an options block that belongs to another part
#: (the spec allows it and the server ignores it; the wrapper calls it a mistake); a page range the server
#: ignores (part Edoc) is still checked in full, so a backwards range is refused there too.
def known_stricter(error: OptionsError, body: dict[str, Any]) -> bool:
    def one(issue: Any) -> bool:
        rule = str(issue.rule)
        if issue.field == "pageRange" and body.get("part") == "Edoc":
            return True
        if "UTF-16" in rule and isinstance(issue.value, str):
            return len(issue.value) != utf16_units(issue.value)
        return "surrogate" in rule or "are only allowed with part" in rule

    return all(one(issue) for issue in error.issues)


# ------------------------------------------------------------------------------------------ properties


@FUZZ
@given(value=json_values, page_range=st.one_of(st.none(), texts, json_values))
def test_any_json_through_the_wrapper_raises_only_options_error(value: object, page_range: object) -> None:
    result = parse(value, page_range)  # type: ignore[arg-type]
    assert isinstance(result, ExportOptions | OptionsError)
    if isinstance(result, OptionsError):
        assert result.issues
        assert all(issue.field is not None for issue in result.issues)


@FUZZ
@given(kwargs=st.dictionaries(st.sampled_from(["pages", "watermark", "page_prefix", "quality"]), json_values))
def test_named_constructors_raise_only_options_error(kwargs: dict[str, Any]) -> None:
    for build in (ExportOptions.jpeg, ExportOptions.single_page_tiff):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            allowed = {k: v for k, v in kwargs.items() if build is ExportOptions.jpeg or k != "quality"}
            outcome = _attempt(lambda build=build, allowed=allowed: build(**allowed))
            assert outcome is None or outcome.issues


@FUZZ
@given(args=st.tuples(json_values, json_values, json_values, json_values))
def test_value_classes_raise_only_options_error(args: tuple[Any, Any, Any, Any]) -> None:
    for build in (Watermark, TextOptions, ImageOptions):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            outcome = _attempt(lambda build=build: build(*args[: 4 if build is Watermark else 2]))
            assert outcome is None or outcome.issues


@FUZZ
@given(text=page_ranges.filter(lambda t: t is not None))
def test_page_range_canonical_form_round_trips(text: str) -> None:
    error = _attempt(lambda: PageRange.parse(text))
    if error is not None:
        assert [i.field for i in error.issues] == ["pageRange"] * len(error.issues)
        return
    pages = PageRange.parse(text)
    assert PageRange.parse(str(pages)) == pages
    assert str(PageRange.parse(str(pages))) == str(pages)


@FUZZ
@given(body=bodies, page_range=page_ranges)
def test_wrapper_and_emulator_agree(oracle: Oracle, body: dict[str, Any], page_range: str | None) -> None:
    result = parse(body, page_range)
    if isinstance(result, ExportOptions):
        wire_body, wire_range = result.to_request_body(), result.query_page_range()
        status, detail = oracle.export(wire_body, wire_range)
        note(f"wrapper accepted; sent {wire_body!r} pageRange={wire_range!r}; emulator {status} {detail}")
        if status == 400 and semantic_refusal(detail, result):
            return
        assert status == 200, f"the emulator refused what the wrapper accepted: {detail}"
    else:
        note(f"wrapper refused: {result}")
        if known_stricter(result, body):
            return
        status, detail = oracle.export(body, page_range)
        note(f"emulator {status} {detail}")
        assert status == 400, "the emulator accepted what the wrapper refused"


NOT_EMOJI = ["20\u00b0 C", "\u2116 5", "\u2610 Approved", "\u266a Draft", "\u2605 Top \u2605", "\u2713 OK"]


def test_emulator_accepts_symbols_that_are_not_emoji(oracle: Oracle) -> None:
    """Regression: the emulator once refused every Unicode So symbol (degree sign, numero ...) as emoji."""
    refused = []
    for text in NOT_EMOJI:
        body = {"part": "Image", "imageOptions": {"watermark": {"text": text}}}
        assert isinstance(parse(body, None), ExportOptions)
        status, detail = oracle.export(body, None)
        if status != 200:
            refused.append((text, detail))
    assert refused == []


def test_emulator_refuses_a_trailing_newline_in_patterned_values(oracle: Oracle) -> None:
    """Regression: Python's `$` matches before a final newline, so '1\\n' once passed the spec's pattern."""
    cases = [({"part": "Image"}, "1\n"), ({"part": "Image", "imageOptions": {"pagePrefix": "p\n"}}, None)]
    answers = []
    for body, page_range in cases:
        assert isinstance(parse(body, page_range), OptionsError)
        answers.append(oracle.export(body, page_range)[0])
    assert answers == [400, 400]


def test_spec_and_wrapper_agree_on_control_redaction_characters(oracle: Oracle) -> None:
    """Regression: the spec once allowed control and format redaction characters that the wrapper refused."""
    answers = []
    for char in ("\x1b", "\x07", "\u200b"):
        body = {"part": "Text", "textOptions": {"redactionCharacter": char}}
        assert isinstance(parse(body, None), OptionsError)
        answers.append(oracle.export(body, None)[0])
    assert answers == [400, 400, 400]


# ------------------------------------------------------------------------------------------ the corpus

#: Inputs the wrapper refuses; the emulator must refuse each one too (sent raw).
REJECTED: list[tuple[str, dict[str, Any], str | None]] = [
    ("no part", {}, None),
    ("unknown part", {"part": "Pages"}, None),
    ("unknown member", {"part": "Image", "pages": "1-3"}, None),
    (
        "guide spelling of jPEGCompressionLevel",
        {"part": "Image", "imageOptions": {"jpegCompressionLevel": 70}},
        None,
    ),
    (
        "jpeg level 101",
        {"part": "Image", "imageOptions": {"format": "JPEG", "jPEGCompressionLevel": 101}},
        None,
    ),
    (
        "jpeg level -1",
        {"part": "Image", "imageOptions": {"format": "JPEG", "jPEGCompressionLevel": -1}},
        None,
    ),
    ("jpeg level as a string", {"part": "Image", "imageOptions": {"jPEGCompressionLevel": "70"}}, None),
    (
        "rotation 361",
        {"part": "Image", "imageOptions": {"watermark": {"text": "A", "rotationAngle": 361}}},
        None,
    ),
    (
        "span 0",
        {"part": "Image", "imageOptions": {"watermark": {"text": "A", "pageSpanPercentage": 0}}},
        None,
    ),
    (
        "watermark without text",
        {"part": "Image", "imageOptions": {"watermark": {"position": "TopLeft"}}},
        None,
    ),
    ("blank watermark", {"part": "Image", "imageOptions": {"watermark": {"text": " \t "}}}, None),
    ("emoji watermark", {"part": "Image", "imageOptions": {"watermark": {"text": "OK \U0001f600"}}}, None),
    ("101-char watermark", {"part": "Image", "imageOptions": {"watermark": {"text": "W" * 101}}}, None),
    ("11-char prefix", {"part": "Image", "imageOptions": {"pagePrefix": "p" * 11}}, None),
    ("slash in prefix", {"part": "Image", "imageOptions": {"pagePrefix": "a/b"}}, None),
    ("control char in prefix", {"part": "Image", "imageOptions": {"pagePrefix": "a\x07"}}, None),
    ("two redaction chars", {"part": "Text", "textOptions": {"redactionCharacter": "##"}}, None),
    ("blank redaction char", {"part": "Text", "textOptions": {"redactionCharacter": " "}}, None),
    ("empty redaction char", {"part": "Text", "textOptions": {"redactionCharacter": ""}}, None),
    ("audit reason 0", {"part": "Image", "auditReasonId": 0}, None),
    ("audit reason beyond int32", {"part": "Image", "auditReasonId": 2**31}, None),
    ("256-char comment", {"part": "Image", "auditReasonComment": "c" * 256}, None),
    ("annotations as a string", {"part": "Image", "imageOptions": {"includeAnnotations": "yes"}}, None),
    ("page 0", {"part": "Image"}, "0"),
    ("leading zero", {"part": "Image"}, "01"),
    ("descending range", {"part": "Image"}, "5-3"),
    ("empty page range", {"part": "Image"}, ""),
    ("trailing comma", {"part": "Image"}, "1,"),
    ("page beyond int32", {"part": "Image"}, "2147483648"),
    ("arabic-indic digit", {"part": "Image"}, "\u0663"),
    ("open range", {"part": "Image"}, "3-"),
]


@pytest.mark.parametrize(("case", "body", "page_range"), REJECTED, ids=[c[0] for c in REJECTED])
def test_rejected_corpus_is_rejected_by_both(
    oracle: Oracle, case: str, body: dict[str, Any], page_range: str | None
) -> None:
    result = parse(body, page_range)
    assert isinstance(result, OptionsError), f"{case}: the wrapper accepted it"
    status, detail = oracle.export(body, page_range)
    assert status == 400, f"{case}: the emulator answered {status}"
    assert detail
