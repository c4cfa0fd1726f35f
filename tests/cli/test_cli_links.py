"""A download link is a bearer credential (issue 14, item 7): the emulator's links carry their secret in the
path (``/d/<link id>/NAME``), so every message, JSON document and log line shows the host and file name only.
"""

from __future__ import annotations

import pytest
from lf_emulator.testing import EmulatorServer, FaultProfile

from .conftest import Cli


@pytest.mark.emulator_config(faults=FaultProfile(p_download_truncate=1.0))
def test_a_failed_download_shows_the_host_and_the_file_name_only(
    own_cli: Cli, emulator: EmulatorServer
) -> None:
    for extra in (["--json"], ["-vv"]):
        result = own_cli.run("export", "10", "--out", "links", *extra)
        assert result.returncode == 1, result
        shown = f"{emulator.links_url}/…/Invoice 1001.tif"
        assert shown in result.stderr
        for text in (result.stdout, result.stderr):
            assert "/d/" not in text
            assert "sig=" not in text
        if extra == ["--json"]:
            error = result.json()["results"][0]["error"]
            assert error["message"].startswith(f"download failed ({shown})")
