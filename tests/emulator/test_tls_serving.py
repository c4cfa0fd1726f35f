"""``--tls`` / ``--client-ca``: HTTPS from a throw-away CA made at start-up, client certificates required."""

from __future__ import annotations

import ssl
from pathlib import Path

import httpx
import pytest
from lf_emulator.__main__ import parse_args
from lf_emulator.testing import EmulatorConfig, EmulatorProcess, EmulatorServer


def test_flags_reach_the_config(tmp_path: Path) -> None:
    ca = tmp_path / "clients.pem"
    ca.write_text("-----BEGIN CERTIFICATE-----\n")
    config, _ = parse_args(["--tls", "--client-ca", str(ca), "--tls-name", "lf.test"])
    assert config.tls
    assert config.client_ca == str(ca)
    assert config.tls_names == ("lf.test",)
    assert not parse_args([])[0].tls


def test_client_ca_needs_tls_and_a_file(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="need tls=True"):
        EmulatorConfig(client_ca="emulator")
    with pytest.raises(ValueError, match="PEM file"):
        EmulatorConfig(tls=True, client_ca=str(tmp_path / "missing.pem"))


def test_https_with_the_printed_ca_and_cleanup() -> None:
    with EmulatorServer(EmulatorConfig(tls=True)) as emu:
        bundle = emu.ca_bundle
        assert bundle is not None
        context = ssl.create_default_context(cafile=bundle)
        answer = httpx.get(
            emu.api_url("Entries/1"), headers={"Authorization": f"Bearer {emu.token}"}, verify=context
        )
        assert answer.status_code == 200
        with pytest.raises(httpx.ConnectError):
            httpx.get(emu.links_url + "/", verify=ssl.create_default_context())
    assert not Path(bundle).exists()  # the throw-away CA is thrown away


def test_client_certificate_required() -> None:
    with EmulatorServer(EmulatorConfig(tls=True, client_ca="emulator")) as emu:
        context = ssl.create_default_context(cafile=emu.ca_bundle)
        headers = {"Authorization": f"Bearer {emu.token}"}
        with pytest.raises(httpx.TransportError):
            httpx.get(emu.api_url("Entries/1"), headers=headers, verify=context)
        context.load_cert_chain(*emu.issue_client_cert())
        assert httpx.get(emu.api_url("Entries/1"), headers=headers, verify=context).status_code == 200


def test_the_command_line_prints_the_ca_bundle() -> None:
    with EmulatorProcess("--tls") as proc:
        assert proc.base_url.startswith("https://")
        assert Path(proc.info["ca_bundle"]).is_file()
        assert proc.state()["config"]["tls"] is True
