"""A local Laserfiche Repository API V2 emulator (an independent oracle for lf-export).

Serves ExportEntry, StartExportEntry, ListTasks, CancelTasks, ListAuditReasons, GetEntry and the
self-hosted password grant at their real paths under a base path (default ``/repository``), validates
every request against ``openapi/laserfiche-repository-v2.yaml``, renders real files with Pillow, and puts
download links on a second origin. It never imports ``lf_export`` or the generated client.

Run it: ``python -m lf_emulator --port 0`` (prints base URL, repository id, token), or from Python with
:class:`lf_emulator.testing.EmulatorServer`.

Sample repository (repository id ``r-emulator``; keys are ``EmulatorServer.documents``)::

    key                id  type          name                      pages  notes
    root                1  Folder        (root, path \\)               -
    folder              2  Folder        Invoices                      -
    contracts_folder    3  Folder        Contracts                     -
    record_series       4  RecordSeries  Records                       -
    electronic_folder   5  Folder        Electronic                    -
    one_page           10  Document      Invoice 1001                  1
    three_pages        11  Document      Invoice 1002                  3
    annotated          12  Document      Contract Alpha               12  annotations + redactions
    forty_pages        13  Document      Annual Report 2023           40
    non_ascii          14  Document      Résumé – Zoë Ångström         2  non-ASCII name and text
    letter             15  Document      Scanned Letter (2)            5  redactions
    record_document    16  Document      Retention Schedule            2  under the record series
    edoc_pdf           20  Document      Policy Handbook               0  edoc: 1-page PDF
    edoc_docx          21  Document      Meeting Notes                 0  edoc: DOCX
    large_edoc         22  Document      Large Archive                 0  edoc: streamed, large_edoc_bytes
    locked             23  Document      Locked Contract               3  locked
    no_pages           24  Document      Empty Document                0  no pages, no edoc
    shortcut           30  Shortcut      Shortcut to Invoice 1001      -

Image export of a document without pages → 400; Edoc of one without an electronic file → 400; Text of
one without pages → an empty file. The locked document: Export → 423, ExportAsync → a Failed task whose
error has status 423. Folders, the record series and the shortcut cannot be exported (400).

Every page shows the document name, "Page n of N", ten lines of text and its number; redacted documents
carry an SSN and an e-mail address under black boxes (text layer: ``redactionCharacter`` per character);
annotated pages carry a yellow highlight and a blue sticky note. Audit reasons: ids 1–7 and 11 are
``ExportDocument``, 8–10 and 12 ``DeleteEntry``.

Modules: ``app`` (API server), ``repository`` (sample data), ``render`` (export files), ``tasks`` (long
operations), ``links`` (download origin), ``faults`` (fault profiles), ``spec`` (request validation),
``state`` (per-instance state), ``clock``, ``config``, ``testing`` (EmulatorServer), ``__main__`` (CLI).
"""

from lf_emulator.config import EmulatorConfig
from lf_emulator.faults import FaultProfile

__all__ = ["EmulatorConfig", "FaultProfile"]
