"""What a parser hands back: the run with its findings, plus what it could not recover."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from ..model.findings import FINDING_STATUSES, BenchRun, Finding


@dataclass
class ParseResult:
    run: BenchRun  # id "" -- the caller assigns one (see attach.add_run)
    runs_available: int = 1  # docker-bench text logs hold appended runs
    run_index: int = 1  # 1-based index of the imported run among runs_available
    skipped: list[str] = field(default_factory=list)  # what could not be recovered, with places
    warnings: list[str] = field(default_factory=list)
    tool_totals: dict[str, int] = field(default_factory=dict)  # the tool's own totals, if stated

    @property
    def counts(self) -> dict[str, int]:
        """Findings per normalized status, every status present (zero when none)."""
        counter = Counter(f.status for f in self.run.findings)
        return {status: counter.get(status, 0) for status in FINDING_STATUSES}

    @property
    def raw_counts(self) -> dict[str, int]:
        """Findings per raw status word of the tool, lower-cased (pass, fail, warn, info, note)."""
        counter = Counter(f.raw_status.lower() for f in self.run.findings)
        return dict(sorted(counter.items()))

    @property
    def findings(self) -> list[Finding]:
        return self.run.findings
