"""Reference formats a rule may cite; the loader rejects anything else."""

from __future__ import annotations

import re

# name -> pattern; the name is shown to rule authors when a reference does not fit.
REFERENCE_FORMATS: dict[str, re.Pattern[str]] = {
    "CIS Docker <id>: <title>": re.compile(r"^CIS Docker \d+(\.\d+)*: \S.*$"),
    "CIS Kubernetes <id>: <title>": re.compile(r"^CIS Kubernetes \d+(\.\d+)*: \S.*$"),
    "ATT&CK T1234[.001]": re.compile(r"^ATT&CK T\d{4}(\.\d{3})?( .*)?$"),
    "CWE-<n>": re.compile(r"^CWE-\d+( .*)?$"),
    "MS-TM <technique>": re.compile(r"^MS-TM \S.*$"),
    "MS-TA9xxx / MS-M9xxx": re.compile(r"^MS-(TA|M)9\d{3}( .*)?$"),
    "OWASP <...>": re.compile(r"^OWASP \S.*$"),
    "K8s audit TMnn": re.compile(r"^K8s audit TM\d{2}( .*)?$"),
}


def reference_kind(reference: str) -> str | None:
    """The format name a reference fits, or None."""
    for name, pattern in REFERENCE_FORMATS.items():
        if pattern.match(reference):
            return name
    return None


def reference_problem(reference: object) -> str | None:
    """None when the reference is well formed, else what was expected."""
    if not isinstance(reference, str):
        return f"expected a string, got {reference!r}"
    if reference_kind(reference) is None:
        return f"unknown reference format {reference!r}; expected one of: " + "; ".join(
            REFERENCE_FORMATS
        )
    return None
