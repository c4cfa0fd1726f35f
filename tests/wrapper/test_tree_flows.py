"""Trees, searches and their exports, driven with scripted answers (no sockets): pagers follow
``@odata.nextLink`` exactly and stop on a repeated link, refuse another origin; walks filter and never follow
a shortcut into a loop; mirror names are sanitised and kept apart; a search is closed however its iteration
ends; a tree export picks each document's part, reads its metadata and sends task downloads to its file."""

from __future__ import annotations

from http import HTTPStatus
from pathlib import Path
from typing import Any

import pytest
from lf_export import ExportInterrupted, ExportOptions, ServerError, TaskProgress, TaskStatus, TaskType
from lf_export._flows import Abandoned, Deliver, Download, Fetch, Send
from lf_export._flows.listing import Pager, children_pager, collect, deliver_pages, metadata_flow
from lf_export._flows.search import SearchQuery, search_flow, search_source
from lf_export._flows.tree import WalkSpec, walk_flow
from lf_export._flows.tree_export import TreeRequest, export_found_flow, export_tree_flow, plan_document
from lf_export._mirror import DirNames, export_suffix
from lf_export._tree_results import TreeEntry, TreeOutcome
from lf_repository_v2.models import (
    EntryCollectionResponse,
    FieldCollectionResponse,
    LinkCollectionResponse,
    TagCollectionResponse,
)
from lf_repository_v2.types import Response
from test_flows import Script, progress, tid

API = "https://api.example.test/repository/v2/Repositories/r-1"


class TreeScript(Script):
    """`Script` that also answers `Fetch` (queued under "fetch": a JSON body, or an exception)."""

    def answer(self, command: Any) -> Any:
        if isinstance(command, Fetch):
            queue = self.answers.get("fetch")
            if not queue:
                raise AssertionError(f"unscripted fetch: {command.url}")
            body = queue.popleft()
            if isinstance(body, BaseException):
                raise body
            return command.parse(body)
        return super().answer(command)

    def fetched(self) -> list[str]:
        return [c.url for c in self.commands if isinstance(c, Fetch)]

    def delivered(self) -> list[Any]:
        return [c.item for c in self.commands if isinstance(c, Deliver)]


def parsed(model: Any, body: dict[str, Any]) -> Any:
    """An answer for a `Send`: its own parser reads the generated model."""

    def answer(send: Send) -> Any:
        return send.parse(Response(HTTPStatus.OK, b"", {}, model.from_dict(body)))

    return answer


def entry(entry_id: int, name: str, kind: str = "Document", **extra: Any) -> dict[str, Any]:
    return {
        "id": entry_id,
        "name": name,
        "entryType": kind,
        "@odata.type": f"#Laserfiche.Repository.{kind}",
    } | extra


def doc(entry_id: int, name: str, pages: int = 1, **extra: Any) -> dict[str, Any]:
    return entry(entry_id, name, **({"pageCount": pages, "isElectronicDocument": False} | extra))


def folder(entry_id: int, name: str, full: str | None = None, kind: str = "Folder") -> dict[str, Any]:
    return entry(entry_id, name, kind, **({} if full is None else {"fullPath": full}))


def page(*entries: dict[str, Any], next_link: str | None = None) -> dict[str, Any]:
    return {"value": list(entries)} | ({} if next_link is None else {"@odata.nextLink": next_link})


def listing(*entries: dict[str, Any], next_link: str | None = None) -> Any:
    return parsed(EntryCollectionResponse, page(*entries, next_link=next_link))


def root(entry_id: int = 1, full: str = "\\") -> Any:
    return _get(folder(entry_id, "", full))


def _get(body: dict[str, Any]) -> Any:
    from lf_repository_v2.models import Document, Folder, Shortcut

    kinds = {"Folder": Folder, "Document": Document, "Shortcut": Shortcut}
    return parsed(kinds[body["entryType"]], body)


# ---- pagers


def test_a_pager_follows_next_link_exactly_and_delivers_every_item() -> None:
    script = TreeScript()
    link = f"{API}/Entries/5/Folder/Children?$select=id&$skiptoken=eyJza2lwIjogMn0"
    script.on("entries.list_entries", listing(doc(10, "a"), doc(11, "b"), next_link=link))
    script.on("fetch", page(doc(12, "c"), next_link=link + "x"), page(doc(13, "d")))
    count = script.run(deliver_pages(children_pager(5, script.context().base_url, page_size=2)))
    assert count == 4
    assert [e.entry_id for e in script.delivered()] == [10, 11, 12, 13]
    assert script.fetched() == [link, link + "x"]  # as given, never rebuilt
    first = script.sent("entries.list_entries")[0]
    assert first.kwargs["prefer"] == "maxpagesize=2"
    assert "pageCount" in first.kwargs["select"]


def test_a_repeated_next_link_ends_the_listing() -> None:
    script = TreeScript()
    link = f"{API}/Entries/5/Folder/Children?$skiptoken=AAA"
    script.on("entries.list_entries", listing(doc(10, "a"), next_link=link))
    script.on("fetch", page(doc(11, "b"), next_link=link), page(doc(12, "never")))
    assert script.run(deliver_pages(children_pager(5, script.context().base_url))) == 2
    assert script.fetched() == [link]


def test_a_next_link_on_another_origin_is_refused() -> None:
    script = TreeScript()
    script.on("entries.list_entries", listing(doc(10, "a"), next_link="https://evil.test/steal?$skiptoken=1"))
    with pytest.raises(ServerError, match="not on the API's origin"):
        script.run(deliver_pages(children_pager(5, script.context().base_url)))
    assert script.fetched() == []


def test_metadata_reads_every_page_of_fields_tags_and_links() -> None:
    script = TreeScript()
    more = f"{API}/Entries/7/Fields?$skiptoken=x"
    field = {"name": "Vendor", "fieldType": "String", "isMultiValue": True, "values": ["A", "B"]}
    script.on(
        "entries.list_fields", parsed(FieldCollectionResponse, {"value": [field], "@odata.nextLink": more})
    )
    script.on("fetch", {"value": [{"name": "Amount", "fieldType": "Number", "values": ["12.5"]}]})
    tag = {"id": 3, "name": "Paid", "isSecure": False}
    script.on("entries.list_tags", parsed(TagCollectionResponse, {"value": [tag]}))
    link = {"id": 1, "sourceId": 7, "targetId": 9, "customProperties": {"k": "v"}}
    script.on("entries.list_links", parsed(LinkCollectionResponse, {"value": [link]}))
    meta = script.run(metadata_flow(7, script.context().base_url))
    assert [(f.name, f.values, f.field_type) for f in meta.fields] == [
        ("Vendor", ("A", "B"), "String"),
        ("Amount", ("12.5",), "Number"),
    ]
    assert meta.tags[0].name == "Paid"
    assert meta.links[0].custom_properties == {"k": "v"}
    assert meta.error is None


def test_a_refused_metadata_read_is_recorded_not_raised() -> None:
    from lf_export import AccessDeniedError

    script = TreeScript()
    script.on("entries.list_fields", AccessDeniedError("no", status=403))
    meta = script.run(metadata_flow(7, script.context().base_url))
    assert meta.error is not None
    assert "no" in meta.error


def test_pager_collect_on_an_empty_listing() -> None:
    script = TreeScript()
    script.on("entries.list_tags", parsed(TagCollectionResponse, {"value": []}))
    pager: Pager[Any] = Pager(
        ("entries.list_tags", {"entry_id": 1}), "TagCollectionResponse", lambda m: m, API, "t"
    )
    assert script.run(collect(pager)) == []


# ---- walks


def walked(script: TreeScript, ref: int | str = 1, **spec: Any) -> list[tuple[str, str, int | None]]:
    script.run(walk_flow(script.context().base_url, ref, WalkSpec(**spec)))
    return [(e.path, e.entry_type, e.via_shortcut) for e in script.delivered()]


def test_walk_goes_depth_first_and_treats_record_series_as_folders() -> None:
    script = TreeScript()
    script.on("entries.get_entry", root())
    script.on(
        "entries.list_entries",
        listing(folder(2, "A"), folder(4, "R", kind="RecordSeries"), doc(10, "top")),
        listing(doc(11, "in A")),
        listing(doc(12, "in R")),
    )
    assert walked(script) == [
        ("A", "Folder", None),
        ("A\\in A", "Document", None),
        ("R", "RecordSeries", None),
        ("R\\in R", "Document", None),
        ("top", "Document", None),
    ]


def test_walk_filters_with_globs_and_does_not_enter_an_excluded_folder() -> None:
    script = TreeScript()
    script.on(
        "entries.get_entry_by_path",
        parsed(_model("GetEntryByPathResponse"), {"entry": folder(2, "X", "\\X")}),
    )
    script.on("entries.list_entries", listing(folder(3, "Skip"), folder(4, "Keep"), doc(10, "note")))
    script.on("entries.list_entries", listing(doc(11, "Invoice 1"), doc(12, "memo")))
    got = walked(script, "\\X", include=("invoice*",), exclude=("skip",))
    assert got == [("Keep", "Folder", None), ("Keep\\Invoice 1", "Document", None)]
    assert len(script.sent("entries.list_entries")) == 2  # never listed Skip


def _model(name: str) -> Any:
    import lf_repository_v2.models as models

    return getattr(models, name)


def test_walk_never_follows_a_shortcut_into_a_loop() -> None:
    script = TreeScript()
    script.on("entries.get_entry", _get(folder(41, "2023", "\\Projects\\2023")))
    loop = entry(51, "Up to Projects", "Shortcut", targetId=40)
    inside = entry(52, "To Q4", "Shortcut", targetId=42)
    outside = entry(53, "To Handbook", "Shortcut", targetId=20)
    script.on("entries.list_entries", listing(loop, inside, outside))
    script.on(
        "entries.get_entry",
        _get(folder(40, "Projects", "\\Projects")),
        _get(folder(42, "Q4", "\\Projects\\2023\\Q4")),
        _get(doc(20, "Policy Handbook", 0, fullPath="\\Electronic\\Policy Handbook")),
    )
    got = walked(script, 41, follow_shortcuts=True)
    assert got == [
        ("Up to Projects", "Shortcut", None),
        ("To Q4", "Shortcut", None),
        ("To Handbook", "Document", 53),
    ]


def test_a_shortcut_to_a_folder_outside_is_walked_once() -> None:
    script = TreeScript()
    script.on("entries.get_entry", _get(folder(2, "A", "\\A")))
    script.on("entries.list_entries", listing(entry(30, "to B", "Shortcut", targetId=3)))
    script.on("entries.get_entry", _get(folder(3, "B", "\\B")))
    script.on(
        "entries.list_entries", listing(entry(31, "back to B", "Shortcut", targetId=3), doc(9, "b doc"))
    )
    script.on("entries.get_entry", _get(folder(3, "B", "\\B")))
    got = walked(script, 2, follow_shortcuts=True)
    assert got == [
        ("to B", "Folder", 30),
        ("to B\\back to B", "Shortcut", None),
        ("to B\\b doc", "Document", None),
    ]


def test_walk_of_a_document_is_an_options_error() -> None:
    from lf_export import OptionsError

    script = TreeScript()
    script.on("entries.get_entry", _get(doc(10, "x")))
    with pytest.raises(OptionsError, match="folder"):
        walked(script, 10)


# ---- mirror names


def test_mirror_names_are_sanitised_kept_apart_and_stable() -> None:
    def names() -> list[str]:
        dir_names = DirNames(["manifest.jsonl"])
        return [
            dir_names.take('a<b>"c', 10, ".pdf", sidecar=True),
            dir_names.take("a_b__c", 11, ".pdf", sidecar=True),
            dir_names.take("A_B__C", 12, ".pdf", sidecar=True),
            dir_names.take("CON", 13, ".tif"),
            dir_names.take("Trailing dot.", 14, ".tif"),
            dir_names.take("Trailing dot", 15, ".tif"),
            dir_names.take("Report.pdf", 16, ".pdf"),
            dir_names.take("manifest.jsonl", 17),
            dir_names.take("a_b__c.pdf.metadata.json", 18),
        ]

    first = names()
    assert first == [
        "a_b__c.pdf",
        "a_b__c [11].pdf",
        "A_B__C [12].pdf",
        "_CON.tif",
        "Trailing dot.tif",
        "Trailing dot [15].tif",
        "Report.pdf",
        "manifest.jsonl [17]",
        "a_b__c.pdf.metadata.json [18]",
    ]
    assert names() == first


def test_export_suffixes() -> None:
    assert export_suffix(ExportOptions.pdf(), 3, None) == ".pdf"
    assert export_suffix(ExportOptions.tiff(), 3, None) == ".tif"
    assert export_suffix(ExportOptions.single_page_tiff(), 1, None) == ".zip"
    assert export_suffix(ExportOptions.png(), 1, None) == ".png"
    assert export_suffix(ExportOptions.png(), 2, None) == ".zip"
    assert export_suffix(ExportOptions.png(pages="2"), 5, None) == ".png"
    assert export_suffix(ExportOptions.text(), 2, None) == ".txt"
    assert export_suffix(ExportOptions.edoc(), 0, "docx") == ".docx"
    assert export_suffix(ExportOptions.edoc(), 0, None) == ""


def tree_entry(pages: int, electronic: bool, ext: str | None = None) -> TreeEntry:
    from lf_export import EntryInfo

    info = EntryInfo(entry_id=1, name="d", entry_type="Document", page_count=pages, extension=ext)
    return TreeEntry(entry=info, path="d", is_electronic=electronic)


@pytest.mark.parametrize(
    ("part", "pages", "electronic", "want"),
    [
        ("auto", 2, True, "Edoc"),
        ("auto", 2, False, "Image"),
        ("auto", 0, False, None),
        ("image", 0, True, None),
        ("edoc", 3, False, None),
        ("text", 3, True, "Text"),
    ],
)
def test_the_part_that_fits(part: Any, pages: int, electronic: bool, want: str | None) -> None:
    plan, suffix, sidecar = plan_document(
        tree_entry(pages, electronic, "pdf"), part, ExportOptions.pdf(audit_reason_id=3)
    )
    assert (None if plan.options is None else str(plan.options.part)) == want
    assert sidecar
    if plan.options is not None:
        assert plan.options.audit_reason_id == 3
    else:
        assert plan.reason
        assert suffix == ""


# ---- searches

SEARCH = tid(77)


def searched() -> TaskProgress:
    return TaskProgress(task_id=SEARCH, status=TaskStatus.COMPLETED, task_type=TaskType.SEARCH_ENTRY)


def search_script() -> TreeScript:
    script = TreeScript()
    script.on("searches.start_search_entry", SEARCH)
    script.on("tasks.list_tasks", [searched()])
    more = f"{API}/Searches/{SEARCH}/Results?$skiptoken=B"
    script.on("searches.list_search_results", listing(doc(10, "a"), doc(11, "b"), next_link=more))
    script.on("fetch", page(doc(12, "c")))
    script.on("tasks.cancel_tasks", {SEARCH: True})
    return script


def test_a_search_pages_its_results_and_is_closed_at_the_end() -> None:
    script = search_script()
    count = script.run(search_flow(script.context(), SearchQuery(command='{LF:Name="*"}'), None))
    assert count == 3
    assert [c.kwargs["task_ids"] for c in script.sent("tasks.cancel_tasks")] == [[_uuid(SEARCH)]]
    assert script.sent("tasks.cancel_tasks")[0].cleanup
    assert isinstance(script.commands[-1], Send)
    assert script.commands[-1].operation == "tasks.cancel_tasks"


def _uuid(text: str) -> Any:
    import uuid

    return uuid.UUID(text)


def test_a_search_broken_off_is_closed() -> None:
    script = search_script()
    flow = search_flow(script.context(), SearchQuery(command="x"), None)
    command = next(flow)
    while not isinstance(command, Deliver):
        command = flow.send(script.answer(command))
    # The consumer stops after the first result: the driver throws Abandoned into the flow.
    command = flow.throw(Abandoned())
    assert isinstance(command, Send)
    assert command.operation == "tasks.cancel_tasks"
    with pytest.raises(Abandoned):
        flow.send({SEARCH: True})


def test_a_search_whose_results_fail_is_closed_and_the_error_kept() -> None:
    script = TreeScript()
    script.on("searches.start_search_entry", SEARCH)
    script.on("tasks.list_tasks", [searched()])
    script.on("searches.list_search_results", ServerError("boom", status=500))
    script.on("tasks.cancel_tasks", ServerError("cannot close", status=500))  # logged, not raised over boom
    with pytest.raises(ServerError, match="boom"):
        script.run(search_flow(script.context(), SearchQuery(command="x"), None))
    assert len(script.sent("tasks.cancel_tasks")) == 1


def test_an_export_search_interrupted_closes_the_search() -> None:
    script = search_script()
    script.answers["fetch"].clear()
    script.on("entries.export_entry", KeyboardInterrupt())
    req = TreeRequest(dest=Path("/out"), options=ExportOptions.pdf(), metadata=False, mode="sync")
    with pytest.raises(KeyboardInterrupt):
        script.run(
            export_found_flow(
                script.context(),
                req,
                search_source(script.context(), SearchQuery(command="x"), None, _plan(req)),
                None,
            )
        )
    assert len(script.sent("tasks.cancel_tasks")) == 1


def _plan(req: TreeRequest) -> Any:
    return lambda e: plan_document(e, req.part, req.options)


# ---- tree exports


def test_a_tree_export_settles_every_document_and_sends_task_downloads_to_their_files() -> None:
    script = TreeScript()
    script.on("entries.get_entry", root())
    electronic = doc(
        20, "Handbook", 0, isElectronicDocument=True, electronicDocumentSize=100, extension="pdf"
    )
    script.on(
        "entries.list_entries",
        listing(
            folder(2, "Sub"),
            doc(10, "Small", 1),
            electronic,
            doc(24, "Empty", 0),
            entry(30, "sc", "Shortcut", targetId=10),
        ),
        listing(doc(13, "Big", 40), doc(14, "big", 41)),
    )
    script.on("entries.export_entry", "https://files.test/a", "https://files.test/b")
    t1, t2 = tid(1), tid(2)
    script.on("entries.start_export_entry", t1, t2)
    script.on(
        "tasks.list_tasks",
        [progress(t1, "Completed", link="https://files.test/t1"), progress(t2, "Failed")],
    )
    req = TreeRequest(dest=Path("/out"), options=ExportOptions.pdf(), metadata=False, max_concurrent_tasks=2)
    script.run(export_tree_flow(script.context(), 1, req, WalkSpec(), None))
    outcomes: list[TreeOutcome] = script.delivered()
    got = {(o.entry.path, o.status, None if o.path is None else o.path.as_posix()) for o in outcomes}
    assert got == {
        ("Sub", "folder", "/out/Sub"),
        ("Small", "exported", "/out/Small.pdf"),
        ("Handbook", "exported", "/out/Handbook.pdf"),
        ("Empty", "skipped", None),
        ("sc", "skipped", None),
        ("Sub\\Big", "exported", "/out/Sub/Big.pdf"),
        ("Sub\\big", "failed", "/out/Sub/big [14].pdf"),
    }
    downloads = {d.entry_id: d.dest.as_posix() for d in script.of(Download)}
    assert downloads == {10: "/out/Small.pdf", 20: "/out/Handbook.pdf", 13: "/out/Sub/Big.pdf"}
    assert not any(d.rename for d in script.of(Download))
    assert len(script.sent("tasks.list_tasks")) == 1  # both tasks in one round
    handbook = next(o for o in outcomes if o.entry.entry_id == 20)
    assert handbook.part == "Edoc"


def test_a_tree_export_with_metadata_reads_it_per_document() -> None:
    script = TreeScript()
    script.on("entries.get_entry", root())
    script.on("entries.list_entries", listing(doc(10, "Small", 1)))
    script.on("entries.list_fields", parsed(FieldCollectionResponse, {"value": []}))
    script.on("entries.list_tags", parsed(TagCollectionResponse, {"value": []}))
    script.on("entries.list_links", parsed(LinkCollectionResponse, {"value": []}))
    script.on("entries.export_entry", "https://files.test/a")
    req = TreeRequest(dest=Path("/out"), options=ExportOptions.pdf())
    script.run(export_tree_flow(script.context(), 1, req, WalkSpec(), None))
    (outcome,) = script.delivered()
    assert outcome.metadata is not None
    assert outcome.sidecar == Path("/out/Small.pdf.metadata.json")


def test_a_tree_export_interrupted_while_tasks_run_cancels_them() -> None:
    script = TreeScript()
    script.on("entries.get_entry", root())
    script.on("entries.list_entries", listing(doc(13, "Big", 40)))
    script.on("entries.start_export_entry", tid(1))
    script.on("tasks.list_tasks", KeyboardInterrupt())
    script.on("tasks.cancel_tasks", {tid(1): True})
    req = TreeRequest(dest=Path("/out"), options=ExportOptions.pdf(), metadata=False)
    with pytest.raises(ExportInterrupted) as caught:
        script.run(export_tree_flow(script.context(), 1, req, WalkSpec(), None))
    assert caught.value.cancelled == (tid(1),)
