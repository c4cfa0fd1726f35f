"""A local Laserfiche Repository API V2 emulator (an independent oracle for lf-export).

Serves ExportEntry, StartExportEntry, ListTasks, CancelTasks, ListAuditReasons, GetEntry, GetEntryByPath,
ListEntries, ListFields, ListTags, ListLinks, StartCopyEntry, StartDeleteEntry, StartSearchEntry,
ListSearchResults and the self-hosted password grant at their real paths under a base path (default
``/repository``), validates
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
    shortcut           30  Shortcut      Shortcut to Invoice 1001      -    → 10
    destination_folder  8  Folder        destination                   -    the guide's copy destination
    guide_folder        9  Folder        Guide Example                 -    the guide's copy source
    guide_nested_folder 46 Folder        Nested (in Guide Example)     -
    guide_document     62  Document      Sample Page                   1    in Guide Example
    guide_nested_document 63 Document    Nested Page                   2    in Nested
    projects_folder    40  Folder        Projects                      -
    year_folder        41  Folder        2023 (in Projects)            -
    quarter_folder     42  Folder        Q4 (in 2023)                  -
    empty_folder       43  Folder        Archive (in Projects)         -    empty
    all_fields         50  Document      Budget Q4 (in Q4)             2    template Project: every fieldType
    loop_shortcut      51  Shortcut      Up to Projects (in Q4)        -    → 40, an ancestor (a loop)
    text_edoc          52  Document      Kickoff Notes (in 2023)       0    edoc: text/plain
    edoc_shortcut      53  Shortcut      Shortcut to Policy Handbook   -    in Projects, → 20
    odd_names_folder   44  Folder        Odd Names                     -
    forbidden_chars    54  Document      Q3 <draft>: "final"? a|b*c/d  1    in Odd Names (no backslash: the
                                                                         path separator)
    trailing_dot       55  Document      Trailing dot.                 1    in Odd Names
    trailing_space     56  Document      "Trailing space "             1    in Odd Names
    long_name          57  Document      (249 characters)              0    in Odd Names, edoc text/plain
    reserved_name      58  Document      CON                           1    in Odd Names
    emoji_name         59  Document      Ünïcödé 文件 📄               1    in Odd Names
    self_shortcut      61  Shortcut      Shortcut to Odd Names         -    in Odd Names, → 44 (itself)
    record_folder      45  Folder        Closed Matters (in Records)   -    a record folder
    record_folder_document 60 Document   Disposition Log               1    in Closed Matters; Contract

Templates (ListFields answers every value, listings' ``fields=`` the first): Contract (100), Invoice (101)
and Project (102, one field of each fieldType — DateTime Blob Date ShortInteger LongInteger List Number
String Time — and three multi-value fields). Field values on 10, 11, 12, 50, 60. Tags (ListTags): Paid on
10, Confidential (secure, watermark) and LegalHold on 12, Confidential and Budget on 50, LegalHold on 16.
Links (ListLinks): 10 → 12, 50 → 52, 11 → 15. With ``synthetic_entries=N`` (``--synthetic-entries N``) a
generated tree of N entries sits under ``\\Synthetic`` (key ``synthetic_folder``, see ``synthetic``).
Copies get new ids above every existing one.

Image export of a document without pages → 400; Edoc of one without an electronic file → 400; Text of
one without pages → an empty file. The locked document: Export → 423, ExportAsync → a Failed task whose
error has status 423. Folders, the record series and the shortcut cannot be exported (400).

Every page shows the document name, "Page n of N", ten lines of text and its number; redacted documents
carry an SSN and an e-mail address under black boxes (text layer: ``redactionCharacter`` per character);
annotated pages carry a yellow highlight and a blue sticky note. Audit reasons: ids 1–7 and 11 are
``ExportDocument``, 8–10 and 12 ``DeleteEntry``.

Copy, delete and search (``tree_api``, ``treeops``, ``search``): copy is deep, takes ``task_seconds`` per 10
entries, honours ``autoRename`` (``name (2)``), refuses a copy into its own subtree (400) and leaves what it
copied when cancelled; a taken name without ``autoRename`` fails the task with a 409 error. Delete is
recursive (post-order); a locked entry is a 423 for the request, a locked entry inside a folder fails the
task with a 423 error when the walk reaches it; audit reasons are checked as for export (``DeleteEntry``
reasons 8–10, 12). Search takes a subset of the syntax (see ``search``); results are cached
``search_cache_seconds``; a token holds at most ``max_open_searches`` open searches (429 beyond);
CancelTasks closes one. Copy, delete and export count toward ``max_concurrent_tasks``.

Modules: ``app`` (API server), ``tree_api`` (tree, metadata, copy, delete, search operations), ``entries``
(entry shapes, OData paging), ``repository`` (the tree model), ``samples`` (sample data), ``synthetic``
(large generated tree), ``metadata`` (templates, tags, links), ``treeops`` (copy and delete steps),
``search`` (search syntax), ``render`` (export files), ``tasks`` (long operations), ``links`` (download
origin), ``faults`` (fault profiles), ``spec`` (request validation), ``wire`` (ProblemDetails), ``state``
(per-instance state), ``clock``, ``config``, ``testing`` (EmulatorServer), ``__main__`` (CLI).
"""

from lf_emulator.config import EmulatorConfig
from lf_emulator.faults import FaultProfile

__all__ = ["EmulatorConfig", "FaultProfile"]
