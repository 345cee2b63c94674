"""``stride-desktop import FILE...``: docker-compose files or Kubernetes manifests -> a model.

The format comes from the files' content. Compose files are merged in the order given (as
``docker compose -f a.yml -f b.yml``). Without ``-o`` the model is written to stdout; with ``-o``
naming an existing model, the import updates it (re-import) and prints what changed. Notices
(references to nothing, skipped documents, unset variables) go to stderr; the exit code is 0
unless the files cannot be imported at all (2).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .common import EXIT_OK, CliError


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "import",
        help="import docker-compose files or Kubernetes manifests as a laid-out model",
        description="Import docker-compose files (merged in the order given) or Kubernetes "
        "manifests (plain, Helm-rendered, kustomize output, kubectl get -o yaml) as a model.",
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="compose files or manifests")
    parser.add_argument(
        "-o",
        "--output",
        metavar="MODEL.yaml",
        help="write the model here (default: stdout); an existing model is updated (re-import), "
        "keeping its layout, triage, bench runs and hand-drawn additions",
    )
    parser.add_argument("--name", help="the model's name (default: from the project or file)")
    parser.add_argument(
        "--with-cluster",
        action="store_true",
        help="manifests: add the control plane and node components (API server, etcd, kubelet)",
    )
    parser.add_argument(
        "--profile",
        action="append",
        default=[],
        metavar="PROFILE",
        help="compose: enable the services of this profile (repeatable)",
    )
    parser.set_defaults(func=run)


def print_notices(result: object) -> None:
    for notice in getattr(result, "notices", []):
        label = "warning" if notice.level == "warning" else "note"
        print(f"stride-desktop: {label}: {notice}", file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    from ..importers import ImporterError, import_files
    from ..importers.reimport import reimport
    from ..io import ModelError, default_catalog, dump_model, load_model, save_model

    try:
        result = import_files(
            args.files,
            name=args.name,
            with_cluster=args.with_cluster,
            profiles=tuple(args.profile),
        )
    except ImporterError as exc:
        raise CliError(exc.lines) from None
    print_notices(result)
    model = result.model
    if not args.output:
        sys.stdout.write(dump_model(model))
        return EXIT_OK
    out = Path(args.output)
    if out.is_dir():
        raise CliError(f"{out}: is a folder; give a file name such as {out / 'model.yaml'}")
    if out.exists():
        try:
            old = load_model(out)
        except ModelError as exc:
            raise CliError([f"{exc.source}: {p}" for p in exc.problems]) from None
        model, summary = reimport(old, result, catalog=default_catalog())
        _save(save_model, model, out)
        print(f"{out}: re-imported {', '.join(args.files)} ({result.format})")
        for line in summary.lines():
            print(f"  {line}")
        return EXIT_OK
    _save(save_model, model, out)
    print(
        f"{out}: {len(model.elements)} elements, {len(model.flows)} flows, "
        f"{len(model.boundaries)} boundaries imported from {', '.join(args.files)} ({result.format})"
    )
    return EXIT_OK


def _save(save, model: object, out: Path) -> None:  # type: ignore[no-untyped-def]
    try:
        save(model, out)
    except OSError as exc:
        raise CliError(f"{out}: cannot write the model ({exc.strerror or exc})") from None
