"""``stride-desktop custom-threat MODEL``: add, list or remove a threat of one's own.

    custom-threat MODEL --target ID --title TEXT [--category C] [--severity S]
                        [--description TEXT] [--mitigation TEXT]
    custom-threat MODEL --from-check CHECK_ID [--target ID]   # a failing check no threat names
    custom-threat MODEL --remove ID
    custom-threat MODEL                                       # list them

Changes are atomic with a backup. Exit codes: 0 done; 2 bad input (unknown id, with close matches).
"""

from __future__ import annotations

import argparse
import sys

from ..model import SEVERITY_LEVELS, STRIDE_CATEGORIES, CustomThreat
from .common import EXIT_OK, CliError
from .editing import open_for_edit, unknown

_CATEGORY = {c.lower().replace(" ", "_"): c for c in STRIDE_CATEGORIES}
_CATEGORY.update({c[0].lower(): c for c in STRIDE_CATEGORIES})


def _category(value: str) -> str:
    key = value.lower().replace(" ", "_").replace("-", "_")
    if key in _CATEGORY:
        return _CATEGORY[key]
    raise argparse.ArgumentTypeError(
        f"'{value}' is not a STRIDE category (S, T, R, I, D, E or e.g. information_disclosure)"
    )


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("custom-threat", help="add, list or remove custom threats")
    parser.add_argument("model", metavar="MODEL", help="model file (changed in place)")
    parser.add_argument("--target", metavar="ID", help="element or flow id")
    parser.add_argument("--title")
    parser.add_argument("--category", type=_category, default=None, help="STRIDE category")
    parser.add_argument("--severity", choices=SEVERITY_LEVELS, default=None)
    parser.add_argument("--description", default="")
    parser.add_argument("--mitigation", default="")
    parser.add_argument("--from-check", metavar="CHECK_ID", help="make it from a failing check")
    parser.add_argument("--remove", metavar="ID", help="remove the custom threat with this id")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    edit = open_for_edit(args.model)
    model = edit.model
    targets = {e.id for e in model.elements} | {f.id for f in model.flows}
    if args.target is not None and args.target not in targets:
        raise CliError(unknown("element or flow", args.target, targets))
    if args.remove:
        ids = [c.id for c in model.custom_threats]
        if args.remove not in ids:
            raise CliError(unknown("custom threat", args.remove, ids, hint="none in the model"))
        model.custom_threats = [c for c in model.custom_threats if c.id != args.remove]
    elif args.from_check:
        from ..bench.remediation import remediation_for
        from ..rules.custom import threat_from_check, unclaimed_failures
        from .harden import resolve_checks

        (finding_id,) = resolve_checks(model, [args.from_check])
        threats = edit.derive()
        if finding_id not in unclaimed_failures(model, threats):  # as the editor's button
            names = sorted(
                {t.id for t in threats for link in t.evidence if link.finding_id == finding_id}
            )
            raise CliError(
                f"check {args.from_check} "
                + (f"is already named by {', '.join(names[:3])}" if names else "has not failed")
                + ": a custom threat is for a failing check that no threat names"
            )
        run_, finding = model.find_finding(finding_id) or (None, None)
        try:
            custom = threat_from_check(
                model,
                finding_id,
                target=args.target,
                remediation=remediation_for(run_, finding) if run_ and finding else "",
            )
        except ValueError as exc:
            raise CliError(f"{exc}; give --target") from None
        for name in ("title", "category", "severity"):
            if (value := getattr(args, name)) is not None:
                setattr(custom, name, value)
        model.custom_threats.append(custom)
    elif args.title or args.target:
        if not (args.title and args.target):
            raise CliError("a custom threat needs --target and --title")
        from ..rules.custom import new_custom_id

        custom = CustomThreat(
            id=new_custom_id(model),
            target=args.target,
            title=args.title,
            category=args.category or "Tampering",
            severity=args.severity or "medium",
            description=args.description,
            mitigation=args.mitigation,
        )
        model.custom_threats.append(custom)
    else:
        for c in model.custom_threats:
            print(f"{c.threat_id}\t{c.severity}\t{c.category}\t{c.title}")
        return EXIT_OK
    edit.save()
    what = f"removed {args.remove}" if args.remove else f"added {custom.threat_id}"
    print(f"{edit.path}: {what}", file=sys.stderr)
    return EXIT_OK
