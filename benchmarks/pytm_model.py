"""The same topology as one of our model files, written as an OWASP pytm script (``tm.py``).

pytm's model file is a Python script: it builds the elements at import and ``tm.process()``
reads the command line (``--json OUT`` resolves the threats and writes them). So the fair
counterpart of ``stride-desktop threats MODEL.yaml --format json`` is ``python tm.py --json OUT``
on a script written from the same model: every boundary (nested with ``inBoundary``), every
element as an Actor, Process or Datastore by its DFD kind, every flow with its protocol, port,
encryption and authentication.

    python benchmarks/pytm_model.py MODEL.yaml OUT.py
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from stride_desktop.io import default_catalog, load_model
from stride_desktop.model import Model

PYTM_CLASS = {"external_entity": "Actor", "data_store": "Datastore", "process": "Process"}


def pytm_script(model: Model) -> str:
    catalog = default_catalog()
    ids = {}  # our id -> a Python name in the script
    lines = [
        f"# The model {model.name!r} written for OWASP pytm by benchmarks/pytm_model.py.",
        "from pytm import TM, Actor, Boundary, Dataflow, Datastore, Process",
        "",
        f"tm = TM({model.name!r})",
        f"tm.description = {('Synthetic topology: ' + model.name)!r}",
        "tm.isOrdered = False",
    ]
    for i, b in enumerate(model.boundaries):
        ids[b.id] = f"b{i}"
    for i, e in enumerate(model.elements):
        ids[e.id] = f"e{i}"
    for b in model.boundaries:
        lines.append(f"{ids[b.id]} = Boundary({b.name!r})")
    for b in model.boundaries:
        if b.parent:
            lines.append(f"{ids[b.id]}.inBoundary = {ids[b.parent]}")
    for e in model.elements:
        cls = PYTM_CLASS[catalog.kind_of(e.component).value]
        inside = f", inBoundary={ids[e.boundary]}" if e.boundary else ""
        lines.append(f"{ids[e.id]} = {cls}({e.name!r}{inside})")
    for i, f in enumerate(model.flows):
        lines.append(
            f"f{i} = Dataflow({ids[f.source]}, {ids[f.target]}, {(f.name or f.id)!r}, "
            f"protocol={(f.protocol or '').upper()!r}, dstPort={f.port or -1})"
        )
        if f.encrypted:
            lines.append(f"f{i}.controls.isEncrypted = True")
        if f.authenticated and f.authenticated != "none":
            lines.append(f"f{i}.controls.authenticatesSource = True")
    lines += ["", 'if __name__ == "__main__":', "    tm.process()", ""]
    return "\n".join(lines)


def write_pytm_script(model: Model, path: Path) -> Path:
    path.write_text(pytm_script(model), encoding="utf-8")
    return path


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    write_pytm_script(load_model(sys.argv[1]), Path(sys.argv[2]))
