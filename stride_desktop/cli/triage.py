"""``stride-desktop triage MODEL THREAT_ID ... --status S [--note] [--owner] [--ticket]``.

Sets the decision on threats in the model file, atomically with a backup. A THREAT_ID is a
threat the model derives now (or one folded into another, or a stale decision already in the
file); an unknown id is named with close matches. Setting "open" with no note, owner or ticket
removes the entry, as the editor does. Exit codes: 0 done; 2 bad input.
"""

from __future__ import annotations

import argparse
import sys

from ..model import TRIAGE_STATUSES, TriageEntry
from .common import EXIT_OK, CliError
from .editing import open_for_edit, unknown


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("triage", help="set the triage decision of threats")
    parser.add_argument("model", metavar="MODEL", help="model file (changed in place)")
    parser.add_argument("threats", nargs="+", metavar="THREAT_ID", help="RULE@TARGET")
    parser.add_argument("--status", choices=TRIAGE_STATUSES, help="the decision")
    parser.add_argument("--note", help="why")
    parser.add_argument("--owner", help="who follows it up")
    parser.add_argument("--ticket", help="a link or key in the tracker")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if all(getattr(args, n) is None for n in ("status", "note", "owner", "ticket")):
        raise CliError("nothing to set: give --status, --note, --owner or --ticket")
    edit = open_for_edit(args.model)
    model = edit.model
    known: set[str] = set(model.triage)
    for threat in edit.derive():
        known.add(threat.id)
        known.update(threat.covers)
    missing = [tid for tid in args.threats if tid not in known]
    if missing:
        raise CliError([unknown("threat", tid, known) for tid in missing])
    for tid in dict.fromkeys(args.threats):
        entry = model.triage.get(tid) or TriageEntry()
        for name in ("status", "note", "owner", "ticket"):
            if (value := getattr(args, name)) is not None:
                setattr(entry, name, value)
        if entry == TriageEntry():
            model.triage.pop(tid, None)
        else:
            model.triage[tid] = entry
    edit.save()
    print(f"triaged {len(set(args.threats))} threat(s) in {edit.path}", file=sys.stderr)
    return EXIT_OK
