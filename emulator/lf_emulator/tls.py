"""HTTPS for the emulator: a throw-away certificate authority made at start-up (with `trustme`), the server
certificate it signs for the emulator's host names, and the PEM files uvicorn and clients read.

    material = TlsMaterial.create(("127.0.0.1", "localhost"))
    material.ca_bundle      # the CA certificate (PEM): what a client passes as verify= / --ca-bundle
    material.uvicorn_options(client_ca=None)   # ssl_certfile / ssl_keyfile (and client verification)
    material.issue_client_cert("alice")        # (cert file, key file) signed by the same CA
    material.cleanup()

Every emulator run has its own CA: nothing it signs is trusted anywhere else, and the files live in a private
temporary folder removed by `cleanup()`.
"""

from __future__ import annotations

import dataclasses
import datetime
import shutil
import ssl
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

__all__ = ["DEFAULT_TLS_NAMES", "TlsMaterial"]

#: The names the server certificate is valid for unless ``EmulatorConfig.tls_names`` says otherwise.
DEFAULT_TLS_NAMES = ("127.0.0.1", "localhost", "::1")


@dataclasses.dataclass(frozen=True)
class TlsMaterial:
    folder: Path
    ca_bundle: Path
    cert_file: Path
    key_file: Path
    _ca: Any = dataclasses.field(repr=False)

    @classmethod
    def create(cls, names: Sequence[str], *, expired: bool = False) -> TlsMaterial:
        """A new CA and a server certificate for `names` (`expired`: one that ended yesterday)."""
        import trustme  # the emulator extra; only needed with --tls

        folder = Path(tempfile.mkdtemp(prefix="lf-emulator-tls-"))
        ca = trustme.CA(organization_name="lf-emulator throw-away CA")
        if expired:
            now = datetime.datetime.now(datetime.UTC)
            ended = now - datetime.timedelta(days=1)
            server = ca.issue_cert(*names, not_before=ended - datetime.timedelta(days=30), not_after=ended)
        else:
            server = ca.issue_cert(*names)
        material = cls(folder, folder / "ca.pem", folder / "server.pem", folder / "server-key.pem", ca)
        ca.cert_pem.write_to_path(str(material.ca_bundle))
        for i, pem in enumerate(server.cert_chain_pems):
            pem.write_to_path(str(material.cert_file), append=i > 0)
        server.private_key_pem.write_to_path(str(material.key_file))
        return material

    def uvicorn_options(self, client_ca: str | None) -> dict[str, Any]:
        """uvicorn.Config keywords: serve with the server certificate; with `client_ca` (a PEM file of CA
        certificates), require a client certificate signed by one of them."""
        options: dict[str, Any] = {"ssl_certfile": str(self.cert_file), "ssl_keyfile": str(self.key_file)}
        if client_ca is not None:
            options.update(ssl_ca_certs=client_ca, ssl_cert_reqs=ssl.CERT_REQUIRED)
        return options

    def issue_client_cert(self, name: str = "lf-export test client") -> tuple[Path, Path]:
        """A client certificate signed by this emulator's CA: (certificate file, key file)."""
        leaf = self._ca.issue_cert(f"{name.replace(' ', '-')}@clients.lf-emulator.test", common_name=name)
        stem = "client-" + "".join(c if c.isalnum() else "-" for c in name)
        cert, key = self.folder / f"{stem}.pem", self.folder / f"{stem}-key.pem"
        for i, pem in enumerate(leaf.cert_chain_pems):
            pem.write_to_path(str(cert), append=i > 0)
        leaf.private_key_pem.write_to_path(str(key))
        return cert, key

    def cleanup(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)
