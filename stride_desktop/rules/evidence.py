"""Link bench findings to threats: a failing check corroborates, a passing one verifies."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from ..model import BenchRun, Finding
from .loader import Rule
from .threat import EvidenceLink


class EvidenceIndex:
    """Findings by the element ids they are attached to."""

    def __init__(self, runs: Iterable[BenchRun]):
        self.by_element: dict[str, list[tuple[BenchRun, Finding]]] = defaultdict(list)
        for run in runs:
            for finding in run.findings:
                for element_id in finding.elements:
                    self.by_element[element_id].append((run, finding))

    def __bool__(self) -> bool:
        return bool(self.by_element)

    def links(self, rule: Rule, element_ids: Iterable[str]) -> list[EvidenceLink]:
        if not rule.evidence or not self.by_element:
            return []
        links: dict[str, EvidenceLink] = {}
        for element_id in element_ids:
            for run, finding in self.by_element.get(element_id, ()):
                fid = run.finding_id(finding)
                if fid in links:
                    continue
                if any(
                    spec.matches(run.tool, finding.title, finding.component)
                    for spec in rule.evidence
                ):
                    links[fid] = EvidenceLink(
                        finding_id=fid,
                        check_id=finding.check_id,
                        title=finding.title,
                        status=finding.status,
                        tool=run.tool,
                    )
        return sorted(links.values(), key=lambda link: link.finding_id)
