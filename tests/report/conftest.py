"""Hand-built models and threats, so report tests do not depend on the rule engine's output."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from pypdf import PdfReader

from stride_desktop.model import (
    BenchRun,
    Boundary,
    Element,
    Finding,
    Flow,
    HardeningEntry,
    Model,
    TriageEntry,
)
from stride_desktop.rules.threat import CATEGORIES, SEVERITIES, EvidenceLink, Threat

HOSTILE = ["<font size=999>", "</b>", "<b", "A & B", "<para>x</para>", "&amp;lt;"]
UNICODE = ["Máy chủ cơ sở dữ liệu", "数据库服务器", "Сервер базы данных", "Fire 🔥 wall"]


def make_threat(
    n: int,
    target: str,
    *,
    kind: str = "element",
    name: str = "",
    severity: str = "high",
    status: str = "open",
    note: str = "",
    evidence: list[EvidenceLink] | None = None,
    rule: str | None = None,
) -> Threat:
    category = CATEGORIES[n % len(CATEGORIES)]
    rule = rule or f"RULE-{n % 7}"
    return Threat(
        id=f"{rule}@{target}",
        rule=rule,
        category=category,
        target=target,
        target_kind=kind,
        target_name=name or target,
        title=f"{category} of {name or target}",
        description=f"Description of {rule}: an attacker can abuse it." + " More detail." * 3,
        severity=severity,
        base_severity=severity,
        severity_reason="base",
        source="rule",
        mitigations=[f"Mitigation one for {rule}", "Mitigation two"],
        references=["CIS Docker Benchmark 5.31", "https://example.org/ref"],
        evidence=evidence or [],
        status=status,
        note=note,
    )


def make_model(n_elements: int = 6, *, names: list[str] | None = None) -> Model:
    """A row of boundaries with elements on a grid, a flow chain, a bench run and a plan."""
    model = Model(
        name="Test <b>model</b> & co",
        description="A model for report tests.",
        author="Tester",
        owner="Security team",
        version="2.1",
    )
    model.boundaries = [
        Boundary(
            "net", "Internet", trust=0, kind="internet", rect=(0, 0, 300, 200 + 140 * n_elements)
        ),
        Boundary("host", "Host", trust=2, kind="host", rect=(340, 0, 900, 200 + 140 * n_elements)),
    ]
    components = ["generic.external_entity", "docker.daemon", "docker.volume", "docker.container"]
    for i in range(n_elements):
        name = names[i % len(names)] if names else f"Element {i}"
        model.elements.append(
            Element(
                id=f"e{i}",
                name=name,
                component=components[i % len(components)],
                boundary="net" if i == 0 else "host",
                pos=(150.0, 100.0) if i == 0 else (480.0 + 260 * (i % 3), 100.0 + 140 * (i // 3)),
            )
        )
    for i in range(1, n_elements):
        model.flows.append(
            Flow(
                id=f"f{i}",
                source=f"e{i - 1}",
                target=f"e{i}",
                name=f"flow {i}",
                port=2375 if i == 1 else None,
            )
        )
    run = BenchRun(
        id="run1",
        tool="docker-bench-security",
        format="dbs-json-structured",
        benchmark="CIS Docker Benchmark",
        tool_version="1.6.0",
        scope="host",
        findings=[
            Finding(
                key="2.1",
                check_id="2.1",
                title="Restrict traffic",
                status="fail",
                raw_status="WARN",
                remediation="Run the daemon with --icc=false",
                elements=["e1"],
            ),
            Finding(
                key="2.2", check_id="2.2", title="Logging level", status="pass", raw_status="PASS"
            ),
            Finding(
                key="2.3",
                check_id="2.3",
                title="Iptables",
                status="warn",
                raw_status="INFO",
                elements=["e1"],
            ),
        ],
    )
    model.bench_runs.append(run)
    model.hardening.append(
        HardeningEntry("run1:2.1", note="Disable icc in daemon.json", threats=["RULE-1@e1"])
    )
    model.triage["GONE@e9"] = TriageEntry("accepted", "kept from an older model")
    return model


def make_threats(model: Model) -> list[Threat]:
    link = EvidenceLink("run1:2.1", "2.1", "Restrict traffic", "fail", "docker-bench-security")
    passed = EvidenceLink("run1:2.2", "2.2", "Logging level", "pass", "docker-bench-security")
    threats = []
    for i, e in enumerate(model.elements):
        for k in range(3):
            threats.append(
                make_threat(
                    i + k,
                    e.id,
                    name=e.name,
                    severity=SEVERITIES[(i + k) % 4],
                    evidence=[link] if k == 0 and i == 3 else [passed] if k == 1 else None,
                )
            )
    for f in model.flows:
        threats.append(
            make_threat(3, f.id, kind="flow", name=f.name, severity="medium", rule="FLOW-TLS")
        )
    threats.append(make_threat(2, "host", kind="boundary", name="Host", rule="BOUNDARY-X"))
    threats.append(
        make_threat(4, "e1", name="x", status="mitigated", note="fixed in 2.0", rule="CLOSED-RULE")
    )
    return threats


def pdf_text(data: bytes) -> tuple[PdfReader, str]:
    import io

    reader = PdfReader(io.BytesIO(data))
    return reader, "\n".join(page.extract_text() or "" for page in reader.pages)


def squash(text: str) -> str:
    """Text without whitespace: table cells wrap long ids over lines."""
    return "".join(text.split())


@pytest.fixture
def model_and_threats() -> tuple[Model, list[Threat]]:
    model = make_model()
    return model, make_threats(model)


@pytest.fixture
def pdf() -> Callable[..., tuple[PdfReader, str]]:
    return pdf_text
