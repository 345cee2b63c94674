"""``stride-desktop harden MODEL [CHECK_ID ...]``: the hardening plan from the command line.

Without CHECK_ID it prints the suggested actions, ranked by the risk they remove. With CHECK_IDs
(a check id such as ``5.10``, or a finding id ``RUN:KEY``) it adds them to the plan, or updates
their note/owner/due/state when already planned, or with ``--remove`` takes them out;
``--top N`` adds the checks of the N best actions. The model file is changed atomically and its
previous version kept as ``MODEL.bak``. Exit codes: 0 done; 2 bad input (unknown id named, with
close matches).
"""

from __future__ import annotations

import argparse
import sys

from ..model import PLAN_STATES, HardeningEntry, Model
from .common import EXIT_OK, CliError
from .editing import Edit, iso_date, open_for_edit, unknown


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "harden", help="list hardening suggestions, or add/update/remove plan items"
    )
    parser.add_argument("model", metavar="MODEL", help="model file (changed in place)")
    parser.add_argument(
        "checks", nargs="*", metavar="CHECK_ID", help="check id (5.10) or finding id (run1:5.10)"
    )
    parser.add_argument(
        "--top", type=int, metavar="N", help="plan the checks of the N best actions"
    )
    parser.add_argument("--remove", action="store_true", help="remove these checks from the plan")
    parser.add_argument("--note", help="what will be done")
    parser.add_argument("--owner", help="who does it")
    parser.add_argument("--due", type=iso_date, help="due date, YYYY-MM-DD")
    parser.add_argument("--state", choices=PLAN_STATES, help="planned, in_progress or done")
    parser.set_defaults(func=run)


def resolve_checks(model: Model, checks: list[str]) -> list[str]:
    """Finding ids of failing (or any) findings named by check id, key or finding id."""
    by_id: dict[str, str] = {}
    by_check: dict[str, list[str]] = {}
    for run in model.bench_runs:
        for finding in run.findings:
            fid = run.finding_id(finding)
            by_id[fid] = fid
            for name in {finding.check_id or "", finding.key} - {""}:
                by_check.setdefault(name, []).append(fid)
    found, problems = [], []
    for check in checks:
        if check in by_id:
            found.append(check)
        elif len(by_check.get(check, ())) == 1:
            found.append(by_check[check][0])
        elif check in by_check:
            problems.append(
                f"check '{check}' is in several bench runs; name one of "
                + ", ".join(by_check[check])
            )
        else:
            hint = "import a bench run first (import-bench)" if not by_id else ""
            problems.append(unknown("check", check, [*by_check, *by_id], hint=hint))
    if problems:
        raise CliError(problems)
    return list(dict.fromkeys(found))


def _print_actions(edit: Edit) -> None:
    from ..rules.hardening import rank_actions

    planned = {h.finding for h in edit.model.hardening}
    actions = rank_actions(edit.model, edit.derive())
    if not actions:
        print("no failing check: import a bench run (stride-desktop import-bench)")
        return
    print(f"{'#':>3}  {'risk':>4}  {'severity':<9} {'checks':<24} closes")
    for i, action in enumerate(actions, 1):
        names = [s.check + ("*" if s.finding_id in planned else "") for s in action.suggestions]
        checks = ", ".join(names)
        for keep in range(len(names) - 1, 0, -1):  # the column stays 24 wide: "1.1.3, … +5"
            if len(checks) <= 24:
                break
            checks = ", ".join(names[:keep]) + f" +{len(names) - keep}"
        what = (
            f"{action.threat.title} — {', '.join(action.elements)}"
            + (f" (+{len(action.closes) - 1} more)" if len(action.closes) > 1 else "")
            if action.threat
            else "no open threat"
        )
        print(f"{i:>3}  {action.risk_removed:>4}  {action.severity or '-':<9} {checks:<24} {what}")
    print("* already in the plan")


def run(args: argparse.Namespace) -> int:
    edit = open_for_edit(args.model)
    model = edit.model
    if not args.checks and args.top is None:
        if args.remove or any(v is not None for v in (args.note, args.owner, args.due, args.state)):
            raise CliError("name the checks to change (CHECK_ID ...) or use --top N")
        _print_actions(edit)
        return EXIT_OK
    finding_ids = resolve_checks(model, args.checks)
    threats = edit.derive() if not args.remove else []
    if args.top is not None:
        from ..rules.hardening import rank_actions

        actions = [a for a in rank_actions(model, threats) if a.threat][: max(0, args.top)]
        finding_ids += [f for a in actions for f in a.finding_ids if f not in finding_ids]
    plan = {h.finding: h for h in model.hardening}
    if args.remove:
        missing = [f for f in finding_ids if f not in plan]
        if missing:
            raise CliError([unknown("plan item", f, plan) for f in missing])
        model.hardening = [h for h in model.hardening if h.finding not in finding_ids]
        edit.save()
        print(f"removed {len(finding_ids)} item(s) from the plan of {edit.path}", file=sys.stderr)
        return EXIT_OK
    from ..rules.hardening import threats_addressed

    added = updated = 0
    for fid in finding_ids:
        entry = plan.get(fid)
        if entry is None:
            entry = HardeningEntry(finding=fid, threats=threats_addressed(model, threats, fid))
            model.hardening.append(entry)
            added += 1
        else:
            updated += 1
        for name in ("note", "owner", "due", "state"):
            if (value := getattr(args, name)) is not None:
                setattr(entry, name, value)
    edit.save()
    print(f"plan of {edit.path}: {added} added, {updated} updated", file=sys.stderr)
    return EXIT_OK
