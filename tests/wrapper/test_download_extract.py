"""extract_zip against hostile archives: traversal, absolute paths, symlinks, bombs, collisions."""

from __future__ import annotations

import stat
import struct
import zipfile
from pathlib import Path

import pytest
from lf_export._errors import DownloadError
from lf_export._extract import UnsafeArchiveError, extract_zip


def make_zip(path: Path, entries: dict[str, bytes], *, compression: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", compression=compression) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return path


def tree(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


@pytest.fixture
def dest(tmp_path: Path) -> Path:
    folder = tmp_path / "dest"
    folder.mkdir()
    return folder


def test_extracts_pages_in_order(tmp_path: Path, dest: Path) -> None:
    pages = {f"Doc/page-{n}.tif": bytes([n]) * (1000 * n) for n in (1, 2, 3)}
    archive = make_zip(tmp_path / "doc.zip", {"Doc/": b"", **pages})
    paths = extract_zip(archive, dest)
    assert paths == [dest / "Doc" / f"page-{n}.tif" for n in (1, 2, 3)]
    for n, path in enumerate(paths, start=1):
        assert path.read_bytes() == pages[f"Doc/page-{n}.tif"]
    assert tree(dest) == ["Doc", "Doc/page-1.tif", "Doc/page-2.tif", "Doc/page-3.tif"]  # no staging left


def test_creates_missing_destination(tmp_path: Path) -> None:
    archive = make_zip(tmp_path / "a.zip", {"p.png": b"png"})
    target = tmp_path / "new" / "folder"
    assert extract_zip(archive, target) == [target / "p.png"]


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("../evil.txt", r"climbs out"),
        ("pages/../../evil.txt", r"climbs out"),
        ("..\\evil.txt", r"climbs out"),
        ("pages/.../evil.txt", r"climbs out"),
        ("/etc/cron.d/evil", r"absolute path"),
        ("\\windows\\evil", r"absolute path"),
        ("C:/evil.txt", r"absolute path"),
        ("c:evil.txt", r"absolute path"),
    ],
)
def test_path_escapes_are_refused(tmp_path: Path, dest: Path, name: str, reason: str) -> None:
    archive = make_zip(tmp_path / "bad.zip", {"ok.tif": b"fine", name: b"evil"})
    with pytest.raises(UnsafeArchiveError, match=reason):
        extract_zip(archive, dest)
    assert tree(dest) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.zip", "dest"]


def test_symlink_entry_is_refused(tmp_path: Path, dest: Path) -> None:
    archive = tmp_path / "link.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("ok.tif", b"fine")
        link = zipfile.ZipInfo("passwd")
        link.create_system = 3
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(link, "/etc/passwd")
    with pytest.raises(UnsafeArchiveError, match="symbolic link"):
        extract_zip(archive, dest)
    assert tree(dest) == []


def test_device_entry_is_refused(tmp_path: Path, dest: Path) -> None:
    archive = tmp_path / "dev.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        fifo = zipfile.ZipInfo("pipe")
        fifo.external_attr = (stat.S_IFIFO | 0o644) << 16
        zf.writestr(fifo, b"")
    with pytest.raises(UnsafeArchiveError, match="special file"):
        extract_zip(archive, dest)


def test_encrypted_entry_is_refused(tmp_path: Path, dest: Path) -> None:
    archive = make_zip(tmp_path / "enc.zip", {"secret.tif": b"x"}, compression=zipfile.ZIP_STORED)
    raw = bytearray(archive.read_bytes())
    central = raw.index(b"PK\x01\x02")
    flags_at = central + 8  # general purpose bit flag in the central directory header
    raw[flags_at : flags_at + 2] = struct.pack("<H", 0x1)
    archive.write_bytes(raw)
    with pytest.raises(UnsafeArchiveError, match="encrypted"):
        extract_zip(archive, dest)


def test_windows_device_names_are_renamed(tmp_path: Path, dest: Path) -> None:
    archive = make_zip(tmp_path / "dev.zip", {"CON": b"1", "sub/aux.txt": b"2", "LPT1/x.tif": b"3"})
    paths = extract_zip(archive, dest)
    assert paths == [dest / "_CON", dest / "sub" / "_aux.txt", dest / "_LPT1" / "x.tif"]
    assert [p.read_bytes() for p in paths] == [b"1", b"2", b"3"]


@pytest.mark.parametrize(
    "names",
    [
        ["ab?.txt", "ab_.txt"],  # same after sanitising
        ["Page.tif", "page.TIF"],  # same on case-insensitive file systems
        ["x", "x/y.tif"],  # a file and a folder of the same name
        ["x/y.tif", "X"],
    ],
)
def test_colliding_names_are_refused(tmp_path: Path, dest: Path, names: list[str]) -> None:
    archive = make_zip(tmp_path / "dup.zip", {name: b"data" for name in names})
    with pytest.raises(UnsafeArchiveError, match="collides"):
        extract_zip(archive, dest)
    assert tree(dest) == []


def test_too_many_files(tmp_path: Path, dest: Path) -> None:
    archive = make_zip(tmp_path / "many.zip", {f"p{n}.tif": b"x" for n in range(11)})
    with pytest.raises(UnsafeArchiveError, match="more than 10 files"):
        extract_zip(archive, dest, max_files=10)
    assert tree(dest) == []
    assert len(extract_zip(archive, dest, max_files=11)) == 11


def test_zip_bomb_ratio_is_refused_while_streaming(tmp_path: Path, dest: Path) -> None:
    archive = tmp_path / "bomb.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("first.tif", b"ok page")
        with zf.open("bomb.tif", "w") as entry:
            for _ in range(16):
                entry.write(bytes(1 << 20))  # 16 MiB of zeros deflate to ~16 KiB
    with pytest.raises(UnsafeArchiveError, match="expands more than 200x"):
        extract_zip(archive, dest)
    assert tree(dest) == []  # the first, valid page is not left behind either


def test_total_size_limit(tmp_path: Path, dest: Path) -> None:
    archive = make_zip(tmp_path / "big.zip", {"a.tif": b"a" * 600, "b.tif": b"b" * 600})
    with pytest.raises(UnsafeArchiveError, match="1000 bytes uncompressed"):
        extract_zip(archive, dest, max_total_bytes=1000)
    assert tree(dest) == []


def test_lying_header_sizes_do_not_help(tmp_path: Path, dest: Path) -> None:
    # The central directory claims 10 bytes; the data is 5000: no silent short file may result.
    archive = make_zip(tmp_path / "liar.zip", {"page.tif": b"z" * 5000})
    raw = bytearray(archive.read_bytes())
    central = raw.index(b"PK\x01\x02")
    raw[central + 24 : central + 28] = struct.pack("<I", 10)  # uncompressed size
    archive.write_bytes(raw)
    with pytest.raises(DownloadError):
        extract_zip(archive, dest)
    assert tree(dest) == []


def test_not_a_zip(tmp_path: Path, dest: Path) -> None:
    archive = tmp_path / "page.zip"
    archive.write_bytes(b"<html>gateway error</html>")
    with pytest.raises(DownloadError, match="not a readable zip") as caught:
        extract_zip(archive, dest)
    assert not isinstance(caught.value, UnsafeArchiveError)


def test_existing_files_are_kept_unless_overwrite(tmp_path: Path, dest: Path) -> None:
    archive = make_zip(tmp_path / "a.zip", {"new.tif": b"new", "page.tif": b"fresh"})
    (dest / "page.tif").write_bytes(b"mine")
    with pytest.raises(DownloadError, match=r"page\.tif already exists; pass overwrite=True"):
        extract_zip(archive, dest)
    assert tree(dest) == ["page.tif"]
    assert (dest / "page.tif").read_bytes() == b"mine"

    extract_zip(archive, dest, overwrite=True)
    assert (dest / "page.tif").read_bytes() == b"fresh"
    assert tree(dest) == ["new.tif", "page.tif"]


def test_symlinked_folder_in_destination_is_not_followed(tmp_path: Path, dest: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (dest / "sub").symlink_to(outside, target_is_directory=True)
    archive = make_zip(tmp_path / "a.zip", {"sub/evil.tif": b"x"})
    with pytest.raises(UnsafeArchiveError, match="symbolic link"):
        extract_zip(archive, dest)
    assert list(outside.iterdir()) == []
