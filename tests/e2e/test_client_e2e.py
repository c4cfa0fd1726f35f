"""The wrapper against the emulator over real HTTP (uvicorn on loopback): real files, opened page by page."""

from __future__ import annotations

import asyncio
import contextlib
import io
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pypdf
import pytest
from lf_emulator.testing import EmulatorServer
from lf_export import (
    AsyncExportClient,
    AuditReasonRequiredError,
    EntryLockedError,
    ExportClient,
    ExportOptions,
    ExportTimeoutError,
    PollPolicy,
    ProgressEvent,
    TaskExpiredError,
    TaskFailedError,
)
from PIL import Image

pytestmark = pytest.mark.e2e

FAST_POLL = PollPolicy(initial_wait=0.01, max_wait=0.05, quick_answer=0.5)


def client(emu: EmulatorServer, **kwargs: Any) -> ExportClient:
    options: dict[str, Any] = {"token": emu.token, "poll": FAST_POLL} | kwargs
    return ExportClient(emu.base_url, emu.repository_id, **options)


def tiff_pages(path: Path) -> int:
    with Image.open(path) as image:
        return int(getattr(image, "n_frames", 1))


def pdf_pages(path: Path) -> int:
    return len(pypdf.PdfReader(str(path)).pages)


def zip_names(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as archive:
        return sorted(archive.namelist())


CASES: list[tuple[str, str, ExportOptions, Callable[[Path], None]]] = [
    (
        "multi-page tiff, all pages",
        "forty_pages",
        ExportOptions.tiff(),
        lambda p: (assert_equal(p.suffix, ".tif"), assert_equal(tiff_pages(p), 40)),
    ),
    (
        "pdf with page range and watermark",
        "annotated",
        ExportOptions.pdf(pages="2-4,7", watermark="CONFIDENTIAL"),
        lambda p: assert_equal(pdf_pages(p), 4),
    ),
    (
        "single-page tiff zip with prefix",
        "three_pages",
        ExportOptions.single_page_tiff(page_prefix="_p"),
        lambda p: assert_equal(
            zip_names(p), ["Invoice 1002_p1.tif", "Invoice 1002_p2.tif", "Invoice 1002_p3.tif"]
        ),
    ),
    (
        "one-page png",
        "one_page",
        ExportOptions.png(),
        lambda p: assert_equal(Image.open(p).format, "PNG"),
    ),
    (
        "jpeg of several pages is a zip",
        "three_pages",
        ExportOptions.jpeg(quality=30, pages="1-2"),
        lambda p: assert_equal(len(zip_names(p)), 2),
    ),
    (
        "text with redactions",
        "letter",
        ExportOptions.text(redaction_character="#"),
        lambda p: assert_true("###" in p.read_text(encoding="utf-8")),
    ),
    (
        "edoc pdf",
        "edoc_pdf",
        ExportOptions.edoc(),
        lambda p: assert_equal(pdf_pages(p), 1),
    ),
]


def assert_equal(actual: object, expected: object) -> None:
    assert actual == expected


def assert_true(value: bool) -> None:
    assert value


@pytest.mark.parametrize("mode", ["sync", "async", "auto"])
@pytest.mark.parametrize(("name", "document", "options", "check"), CASES, ids=[c[0] for c in CASES])
def test_every_part_and_format_in_every_mode(
    emulator_session: EmulatorServer,
    tmp_path: Path,
    mode: str,
    name: str,
    document: str,
    options: ExportOptions,
    check: Callable[[Path], None],
) -> None:
    with client(emulator_session) as lf:
        result = lf.export(emulator_session.documents[document], options, tmp_path, mode=mode)  # type: ignore[arg-type]
    assert result.path.parent == tmp_path
    assert result.path.stat().st_size == result.size > 0
    assert [p.name for p in tmp_path.iterdir()] == [result.path.name]  # no temp files left behind
    check(result.path)
    if mode == "async":
        assert result.task_id is not None
    if mode == "sync":
        assert result.task_id is None


def test_auto_mode_uses_the_simple_export_for_small_and_async_for_large(
    emulator: EmulatorServer, tmp_path: Path
) -> None:
    with client(emulator) as lf:
        small = lf.export(emulator.documents["one_page"], ExportOptions.tiff(), tmp_path)
        large = lf.export(emulator.documents["forty_pages"], ExportOptions.tiff(), tmp_path)
        ranged = lf.export(emulator.documents["forty_pages"], ExportOptions.pdf(pages="1-3"), tmp_path)
    assert (small.mode, large.mode, ranged.mode) == ("sync", "async", "sync")
    requests = emulator.counters()["requests"]
    assert requests["ExportEntry"] == 2
    assert requests["StartExportEntry"] == 1


def test_same_export_is_byte_identical_through_both_modes(
    emulator_session: EmulatorServer, tmp_path: Path
) -> None:
    options = ExportOptions.pdf(pages="1-2", watermark="DRAFT")
    with client(emulator_session) as lf:
        a = lf.export(emulator_session.documents["annotated"], options, tmp_path / "a.pdf", mode="sync")
        b = lf.export(emulator_session.documents["annotated"], options, tmp_path / "b.pdf", mode="async")
    assert a.path.read_bytes() == b.path.read_bytes()


def test_extract_unpacks_a_single_page_tiff_zip(emulator_session: EmulatorServer, tmp_path: Path) -> None:
    with client(emulator_session) as lf:
        result = lf.export(
            emulator_session.documents["three_pages"],
            ExportOptions.single_page_tiff(),
            tmp_path,
            extract=True,
        )
    assert len(result.extracted) == 3
    for page in result.extracted:
        assert tiff_pages(page) == 1


@pytest.mark.parametrize("limit", [1, 3])
def test_export_many_never_exceeds_the_concurrency_limit_and_batches_polls(
    emulator: EmulatorServer, tmp_path: Path, limit: int
) -> None:
    docs = emulator.documents
    ids = [docs[k] for k in ("one_page", "three_pages", "annotated", "non_ascii", "letter")] * 4
    jobs = [(entry, ExportOptions.pdf()) for entry in ids]
    events: list[ProgressEvent] = []
    with client(emulator) as lf:
        outcomes = lf.export_many(
            jobs, tmp_path, max_concurrent_tasks=limit, overwrite=True, on_progress=events.append
        )
    assert all(o.ok for o in outcomes), [str(o.error) for o in outcomes if not o.ok]
    assert len(outcomes) == 20
    counters = emulator.counters()
    assert counters["concurrent_tasks_high_water"] <= limit
    if limit > 1:
        assert counters["concurrent_tasks_high_water"] > 1
    assert counters["requests"]["StartExportEntry"] == 20
    assert counters["requests"]["ListTasks"] <= 20 * 3  # one poll per round covers every running task
    assert counters["download_auth_headers"] == 0
    for outcome in outcomes:
        assert outcome.result is not None
        assert outcome.result.path.exists()
    assert {e.phase.value for e in events} >= {"submitted", "task", "download", "done"}


def test_async_client_end_to_end(emulator: EmulatorServer, tmp_path: Path) -> None:
    async def main() -> Any:
        async with AsyncExportClient(
            emulator.base_url, emulator.repository_id, token=emulator.token, poll=FAST_POLL
        ) as lf:
            single = await lf.export(
                emulator.documents["forty_pages"], ExportOptions.pdf(), tmp_path, mode="async"
            )
            many = await lf.export_many(
                [emulator.documents["one_page"], emulator.documents["three_pages"]],
                tmp_path / "many",
                max_concurrent_tasks=2,
            )
            reasons = await lf.audit_reasons("ExportDocument")
            return single, many, reasons

    single, many, reasons = asyncio.run(main())
    assert pdf_pages(single.path) == 40
    assert [tiff_pages(o.result.path) for o in many] == [1, 3]
    assert {r.reason_id for r in reasons} == {1, 2, 3, 4, 5, 6, 7, 11}


def test_locked_entry(emulator_session: EmulatorServer, tmp_path: Path) -> None:
    with client(emulator_session) as lf:
        with pytest.raises(EntryLockedError):
            lf.export(emulator_session.documents["locked"], None, tmp_path, mode="sync")
        with pytest.raises(TaskFailedError) as caught:
            lf.export(emulator_session.documents["locked"], None, tmp_path, mode="async")
    assert caught.value.errors[0]["status"] == 423
    assert list(tmp_path.iterdir()) == []


@pytest.mark.emulator_config(require_audit_reason=True)
def test_audit_reason_required(emulator: EmulatorServer, tmp_path: Path) -> None:
    with client(emulator) as lf:
        with pytest.raises(AuditReasonRequiredError):
            lf.export(emulator.documents["one_page"], ExportOptions.tiff(), tmp_path, mode="sync")
        with pytest.raises(TaskFailedError) as caught:
            lf.export(emulator.documents["one_page"], ExportOptions.tiff(), tmp_path, mode="async")
        assert caught.value.errors[0]["errorCode"] == 216
        reason = lf.audit_reasons("ExportDocument")[0]
        options = ExportOptions.tiff(audit_reason_id=reason.reason_id, audit_reason_comment="e2e")
        assert lf.export(emulator.documents["one_page"], options, tmp_path, mode="async").path.exists()


def test_expired_task_id_raises_instead_of_hanging(emulator: EmulatorServer, tmp_path: Path) -> None:
    with client(emulator) as lf:
        task_id = lf.start_export(emulator.documents["one_page"]).task_id
        lf.wait([task_id])
        emulator.advance_clock(15 * 60 + 1)
        assert lf.tasks([task_id]) == []
        with pytest.raises(TaskExpiredError) as caught:
            lf.resume(task_id, tmp_path)
    assert caught.value.task_id == task_id


@pytest.mark.emulator_config(task_seconds=30.0)
def test_deadline_cancels_the_remote_task(emulator: EmulatorServer, tmp_path: Path) -> None:
    with client(emulator) as lf, pytest.raises(ExportTimeoutError) as caught:
        lf.export(emulator.documents["three_pages"], None, tmp_path, mode="async", deadline=0.5)
    assert caught.value.cancelled is True
    assert len(caught.value.task_ids) == 1
    assert emulator.counters()["tasks_cancelled"] == 1
    assert list(tmp_path.iterdir()) == []


def test_resume_from_another_client(emulator: EmulatorServer, tmp_path: Path) -> None:
    with client(emulator) as first:
        task_id = first.start_export(emulator.documents["annotated"], ExportOptions.pdf())
    with client(emulator) as second:
        result = second.resume(task_id, tmp_path)
    assert result.entry_id == emulator.documents["annotated"]
    assert pdf_pages(result.path) == 12


def test_password_grant_against_the_emulator(emulator: EmulatorServer, tmp_path: Path) -> None:
    with ExportClient(
        emulator.base_url, emulator.repository_id, username="admin", password="admin", poll=FAST_POLL
    ) as lf:
        entry = lf.entry(emulator.documents["forty_pages"])
        result = lf.export(entry.entry_id, ExportOptions.text(), tmp_path)
    assert entry.page_count == 40
    assert "Page 40 of 40" in result.path.read_text(encoding="utf-8")


def test_non_ascii_names_survive(emulator_session: EmulatorServer, tmp_path: Path) -> None:
    with client(emulator_session) as lf:
        result = lf.export(emulator_session.documents["non_ascii"], ExportOptions.pdf(), tmp_path)
    assert result.path.name == "Résumé – Zoë Ångström.pdf"
    assert pdf_pages(result.path) == 2
    data = io.BytesIO(result.path.read_bytes())
    assert pypdf.PdfReader(data).pages[0] is not None


def test_iter_export_many_streams_outcomes_as_jobs_finish(emulator: EmulatorServer, tmp_path: Path) -> None:
    docs = emulator.documents
    ids = [docs["forty_pages"], docs["one_page"], docs["three_pages"]]
    with client(emulator) as lf:
        outcomes = list(lf.iter_export_many(ids, tmp_path, max_concurrent_tasks=3))
    assert sorted(o.index for o in outcomes) == [0, 1, 2]
    assert all(o.ok for o in outcomes)
    assert {o.job.entry_id for o in outcomes} == set(ids)
    assert outcomes[-1].job.entry_id == docs["forty_pages"]  # the biggest finishes last, and arrives last


def test_leaving_the_stream_early_cancels_the_tasks_still_running(
    emulator: EmulatorServer, tmp_path: Path
) -> None:
    docs = emulator.documents
    with client(emulator) as lf:
        stream = lf.iter_export_many(
            [docs["one_page"], docs["forty_pages"]], tmp_path, max_concurrent_tasks=2
        )
        first = next(stream)  # the one-page export finishes first
        stream.close()
        assert emulator.counters()["tasks_cancelled"] == 1  # the forty-page one, still running
    assert first.job.entry_id == docs["one_page"]
    assert first.ok


@pytest.mark.emulator_config(task_seconds=30.0)
def test_closing_an_async_stream_early_cancels_the_tasks_still_running(
    emulator: EmulatorServer, tmp_path: Path
) -> None:
    async def main() -> None:
        async with AsyncExportClient(
            emulator.base_url, emulator.repository_id, token=emulator.token, poll=FAST_POLL
        ) as lf:
            stream = lf.iter_export_many([emulator.documents["three_pages"]], tmp_path)
            async with contextlib.aclosing(stream):
                with pytest.raises(TimeoutError):
                    async with asyncio.timeout(0.5):
                        await anext(stream)

    asyncio.run(main())
    assert emulator.counters()["tasks_cancelled"] == 1
    assert list(tmp_path.iterdir()) == []
