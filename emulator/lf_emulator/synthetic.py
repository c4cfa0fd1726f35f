"""A large generated tree (``EmulatorConfig.synthetic_entries``), deterministic from ``synthetic_seed``.

Layout: a folder ``\\Synthetic`` (id ``SYNTHETIC_ROOT_ID``) under the root holding ``N`` entries in all:
``ceil(N / 100)`` folders ``Batch 0001``, ``Batch 0002``, ... (every tenth one, from the sixth, nested in the
one before it, so paths go three levels deep), and documents spread over them round-robin: 1 to 3 image
pages each (rendered only when exported), about one in five with a small electronic file, one in three with
the Invoice template and its fields, one in ten tagged ``Paid``, and one entry in a hundred a shortcut to an
earlier document. Entry ids follow ``SYNTHETIC_ROOT_ID`` in order. Nothing but names, numbers and small
tuples is kept per entry, so 10,000 entries take a few megabytes and build in well under a second.
"""

from __future__ import annotations

import math
import random
from datetime import UTC, datetime, timedelta

from lf_emulator.repository import Edoc, Entry, LazyPages

__all__ = ["SYNTHETIC_ROOT_ID", "synthetic_entries"]

SYNTHETIC_ROOT_ID = 1_000_000
_PER_FOLDER = 100
_WORDS = ("Invoice", "Report", "Contract", "Memo", "Statement", "Receipt", "Order", "Letter", "Claim", "Form")
_VENDORS = ("Acme Corp", "Globex", "Initech", "Umbrella", "Hooli")


def synthetic_entries(count: int, seed: int, *, parent_id: int) -> list[Entry]:
    """The ``\\Synthetic`` folder and ``count`` entries under it (see the module docstring)."""
    rng = random.Random(f"lf-emulator-synthetic:{seed}")
    base = datetime(2024, 1, 1, 8, 0, 0, tzinfo=UTC)
    root = Entry(SYNTHETIC_ROOT_ID, "Synthetic", "Folder", parent_id, "Generator", base, base, volume_name="")
    out = [root]
    if count <= 0:
        return out
    folders = max(1, math.ceil(count / _PER_FOLDER))
    folder_ids: list[int] = []
    next_id = SYNTHETIC_ROOT_ID + 1
    for k in range(folders):
        parent = folder_ids[-1] if k % 10 == 5 else SYNTHETIC_ROOT_ID
        moment = base + timedelta(hours=k)
        out.append(
            Entry(
                next_id, f"Batch {k + 1:04d}", "Folder", parent, "Generator", moment, moment, volume_name=""
            )
        )
        folder_ids.append(next_id)
        next_id += 1
    documents: list[int] = []
    for j in range(count - folders):
        entry_id = next_id + j
        parent = folder_ids[j % folders]
        moment = base + timedelta(minutes=j)
        if documents and rng.random() < 0.01:
            target = documents[rng.randrange(len(documents))]
            out.append(
                Entry(
                    entry_id,
                    f"Shortcut {j:06d}",
                    "Shortcut",
                    parent,
                    "Generator",
                    moment,
                    moment,
                    target_id=target,
                )
            )
            continue
        name = f"{rng.choice(_WORDS)} {j:06d}"
        edoc = None
        if rng.random() < 0.2:
            edoc = Edoc("application/octet-stream", "bin", rng.randint(1024, 48 * 1024), streamed=True)
        pages = LazyPages(entry_id, name, rng.randint(1, 3))
        template = ""
        values: tuple[tuple[str, tuple[str, ...]], ...] = ()
        if rng.random() < 1 / 3:
            template = "Invoice"
            values = (
                ("Invoice Number", (f"SYN-{j:06d}",)),
                ("Amount", (f"{rng.randint(1, 99999)}.{rng.randint(0, 99):02d}",)),
                ("Vendor", (rng.choice(_VENDORS),)),
            )
        tags = (1,) if rng.random() < 0.1 else ()
        out.append(
            Entry(
                entry_id,
                name,
                "Document",
                parent,
                "Generator",
                moment,
                moment,
                template_name=template,
                pages=pages,
                edoc=edoc,
                field_values=values,
                tag_ids=tags,
            )
        )
        documents.append(entry_id)
    return out
