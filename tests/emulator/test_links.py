"""The download origin: separate port, signed expiring links, headers, Range, auth-header counter."""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

import httpx
import pytest
from lf_emulator.testing import EmulatorServer


def _link(client: httpx.Client, doc: int, body: dict | None = None) -> str:
    response = client.post(f"Entries/{doc}/Export", json=body or {"part": "Text"})
    assert response.status_code == 200
    return response.json()["value"]


def test_links_live_on_another_origin(client: httpx.Client, emulator: EmulatorServer) -> None:
    link = _link(client, emulator.documents["one_page"])
    assert urlsplit(link).netloc != urlsplit(emulator.base_url).netloc
    query = urlsplit(link).query
    assert "sig=" in query
    assert "exp=" in query


def test_non_ascii_name_gets_filename_star(client: httpx.Client, emulator: EmulatorServer) -> None:
    response = httpx.get(_link(client, emulator.documents["non_ascii"]))
    disposition = response.headers["content-disposition"]
    assert disposition.startswith("attachment; filename=")
    star = disposition.split("filename*=UTF-8''")[1]
    assert unquote(star) == "Résumé – Zoë Ångström.txt"
    assert "Zoë's résumé" in response.content.decode("utf-8")


def test_ascii_name_with_parentheses(client: httpx.Client, emulator: EmulatorServer) -> None:
    response = httpx.get(_link(client, emulator.documents["letter"]))
    assert response.headers["content-disposition"] == 'attachment; filename="Scanned Letter (2).txt"'


def test_range_requests(client: httpx.Client, emulator: EmulatorServer) -> None:
    link = _link(client, emulator.documents["three_pages"], {"part": "Image"})
    whole = httpx.get(link)
    size = len(whole.content)
    assert whole.headers["accept-ranges"] == "bytes"
    middle = httpx.get(link, headers={"Range": "bytes=10-19"})
    assert middle.status_code == 206
    assert middle.content == whole.content[10:20]
    assert middle.headers["content-length"] == "10"
    open_ended = httpx.get(link, headers={"Range": f"bytes={size - 5}-"})
    assert open_ended.content == whole.content[-5:]
    unsatisfiable = httpx.get(link, headers={"Range": f"bytes={size}-"})
    assert unsatisfiable.status_code == 416
    assert unsatisfiable.headers["content-range"] == f"bytes */{size}"
    head = httpx.head(link)
    assert head.status_code == 200
    assert head.headers["content-length"] == str(size)


def test_links_expire_on_the_emulator_clock(client: httpx.Client, emulator: EmulatorServer) -> None:
    link = _link(client, emulator.documents["one_page"])
    assert httpx.get(link).status_code == 200
    emulator.advance_clock(emulator.config.link_seconds + 1)
    expired = httpx.get(link)
    assert expired.status_code == 403
    assert b"expired" in expired.content


def test_tampered_and_unknown_links(client: httpx.Client, emulator: EmulatorServer) -> None:
    link = _link(client, emulator.documents["one_page"])
    base, _, query = link.partition("?")
    exp = dict(p.split("=") for p in query.split("&"))["exp"]
    tampered = httpx.get(f"{base}?exp={int(exp) + 1000}&sig={'0' * 64}")
    assert tampered.status_code == 403
    assert httpx.get(f"{emulator.links_url}/d/nothing").status_code == 404


def test_authorization_headers_on_downloads_are_counted(
    client: httpx.Client, emulator: EmulatorServer
) -> None:
    link = _link(client, emulator.documents["one_page"])
    httpx.get(link)
    assert emulator.counters()["download_auth_headers"] == 0
    httpx.get(link, headers={"Authorization": f"Bearer {emulator.token}"})
    counters = emulator.counters()
    assert counters["downloads"] == 2
    assert counters["download_auth_headers"] == 1


@pytest.mark.emulator_config(link_seconds=5.0)
def test_task_links_expire_too(client: httpx.Client, emulator: EmulatorServer) -> None:
    task_id = client.post(
        f"Entries/{emulator.documents['one_page']}/ExportAsync", json={"part": "Text"}
    ).json()["taskId"]
    emulator.advance_clock(1)
    (task,) = client.get("Tasks", params={"taskIds": task_id}).json()["value"]
    assert task["status"] == "Completed"
    assert httpx.get(task["result"]["uri"]).status_code == 200
    emulator.advance_clock(6)
    assert httpx.get(task["result"]["uri"]).status_code == 403


def test_a_link_whose_file_name_holds_a_slash_is_served(tmp_path: object) -> None:
    from lf_emulator.testing import EmulatorServer

    with EmulatorServer() as emu:
        import httpx

        entry = emu.documents["forbidden_chars"]
        headers = {"Authorization": f"Bearer {emu.token}"}
        body = {"part": "Image", "imageOptions": {"format": "PDF"}}
        answer = httpx.post(emu.api_url(f"Entries/{entry}/Export"), json=body, headers=headers, timeout=30)
        link = answer.json()["value"]
        assert "%2F" in link  # the name's "/" is encoded in the link
        fetched = httpx.get(link, timeout=30)
        assert fetched.status_code == 200
        assert fetched.content.startswith(b"%PDF")
