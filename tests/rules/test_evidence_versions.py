"""Evidence patterns match their check in every CIS benchmark version of the fixtures.

Each fixture is parsed the way a user imports it (stride_desktop.bench), so the titles are the ones
the engine sees: docker-bench-security 1.3.4 (text log, and flat JSON titled from
resources/bench/cis-docker-1.1.0-titles.yaml), 1.3.6 and 1.6.0; kube-bench cis-1.5, 1.6, 1.20,
1.23 and the current text layout. A check keeps its meaning but not its wording or number across
versions ("memory usage for container is limited" in 1.3.4, "...for containers..." later), so a
pattern's check in another version is the title there that best matches a title the pattern
matches, and vice versa (mutual best match); a version without such a title lacks the check."""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from functools import cache
from pathlib import Path

import pytest

from stride_desktop.bench import parse_bench_file
from stride_desktop.rules import load_rules

# the regex parser (sre_parse is deprecated under its old name)
sre_parse = re._parser  # type: ignore[attr-defined]
sre_constants = re._constants  # type: ignore[attr-defined]

BENCH = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "bench"
RULES = load_rules()
# fixture -> the benchmark version it was produced with (as the tool or its repository names it)
VERSIONS = {
    "docker-bench-1.3.4.log": "docker-bench 1.3.4 (CIS Docker 1.1.0), text",
    "docker-bench-1.3.4-flat.log.json": "docker-bench 1.3.4 (CIS Docker 1.1.0), flat JSON",
    "docker-bench-1.3.6-remediation.log.json": "docker-bench 1.3.6",
    "docker-bench-1.6.0.log.json": "docker-bench 1.6.0",
    "docker-bench-1.6.0.log": "docker-bench 1.6.0, text",
    "kube-bench-cis-1.5-job.txt": "kube-bench cis-1.5",
    "kube-bench-1.6-controls.json": "kube-bench cis-1.6",
    "kube-bench-cis-1.20-job.txt": "kube-bench cis-1.20",
    "kube-bench-cis-1.23.json": "kube-bench cis-1.23",
    "kube-bench-cis-text.txt": "kube-bench text (current layout)",
}
SIMILAR = 0.7  # title similarity (0..1) below which two titles are different checks


@cache
def checks(fixture: str) -> tuple[str, tuple[tuple[str, str | None], ...]]:
    """(tool, ((title, component), ...)) of one fixture, parsed as an import would."""
    run = parse_bench_file(BENCH / fixture).run
    return run.tool, tuple(sorted({(f.title, f.component) for f in run.findings}))


def _norm(title: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9.:/-]+", " ", title.lower()).split())


def similarity(a: str, b: str) -> float:
    return SequenceMatcher(None, _norm(a), _norm(b), autojunk=False).ratio()


def best(title: str, candidates: tuple[tuple[str, str | None], ...]) -> tuple[str, str | None]:
    return max(candidates, key=lambda c: (similarity(title, c[0]), c[0]))


def test_every_version_of_the_fixtures_is_walked() -> None:
    on_disk = {p.name for p in BENCH.iterdir() if p.name.startswith(("docker-bench", "kube-bench"))}
    assert on_disk - {"kube-bench-nototals-array.json"} == set(VERSIONS)
    for fixture in VERSIONS:
        assert len(checks(fixture)[1]) > 60, fixture


def misses() -> list[str]:
    out = []
    for rule in RULES:
        for spec in rule.evidence:
            fixtures = [f for f in VERSIONS if checks(f)[0] == spec.tool]
            matched = {
                f: [c for c in checks(f)[1] if spec.matches(spec.tool, c[0], c[1])]
                for f in fixtures
            }
            assert any(matched.values()), f"{rule.id}: {spec.title.pattern!r} matches no check"
            for version in fixtures:
                if matched[version]:
                    continue
                for source, hits in matched.items():
                    for title, _ in hits:
                        twin = best(title, checks(version)[1])
                        if similarity(title, twin[0]) < SIMILAR:
                            continue
                        if best(twin[0], checks(source)[1])[0] != title:
                            continue  # not mutual: the check is missing from this version
                        if spec.component is not None and twin[1] != spec.component:
                            continue
                        out.append(
                            f"{rule.id}: {spec.title.pattern!r} misses {twin[0]!r} "
                            f"({VERSIONS[version]}), the check {title!r} of {VERSIONS[source]}"
                        )
    return sorted(set(out))


def test_evidence_patterns_match_their_check_in_every_version() -> None:
    assert misses() == []


def test_the_known_renamed_checks_are_linked_in_every_version() -> None:
    """The titles the 1.3.4-era docker-bench and cis-1.5..1.23 kube-bench use for checks that our
    rules name by their later wording."""
    cases = {
        "DOCKER-CONTAINER-NO-MEMORY-LIMIT": "Ensure memory usage for container is limited",
        "DOCKER-CONTAINER-NO-CPU-LIMIT": "Ensure CPU priority is set appropriately on the container",
        "DOCKER-CONTAINER-PORTS-ALL-INTERFACES": (
            "Ensure incoming container traffic is binded to a specific host interface"
        ),
        "DOCKER-CONTAINER-PRIVILEGED": "Ensure docker exec commands are not used with privileged option",
        "DOCKER-CONTAINER-ROOT-USER": "Ensure docker exec commands are not used with user option",
        "DOCKER-CONTAINER-DEFAULT-BRIDGE": "Ensure Docker's default bridge docker0 is not used",
        "DOCKER-DAEMON-EXPERIMENTAL": "Ensure experimental features are avoided in production",
        "DOCKER-IMAGE-UNTRUSTED-BASE": "Ensure that containers use trusted base images",
        "DOCKER-RUNC-UNPATCHED": "Ensure Docker is up to date",
        "K8S-CNI-NO-NETWORK-POLICIES": "Ensure that all Namespaces have Network Policies defined",
        "K8S-KUBE-PROXY-KUBECONFIG": (
            "Ensure that the proxy kubeconfig file permissions are set to 644 or more restrictive"
        ),
    }
    for rule_id, title in cases.items():
        rule = RULES.get(rule_id)
        assert rule is not None and any(s.title.search(title) for s in rule.evidence), rule_id
    anonymous = RULES.get("K8S-KUBELET-ANONYMOUS-AUTH")
    assert anonymous is not None
    for fixture in ("kube-bench-cis-1.5-job.txt", "kube-bench-1.6-controls.json"):
        kubelet = [t for t, c in checks(fixture)[1] if c == "kubelet" and "anonymous" in t]
        assert kubelet and all(
            any(s.matches("kube-bench", t, "kubelet") for s in anonymous.evidence) for t in kubelet
        ), fixture


def _nested_or_adjacent_repeats(tree: object, inside: bool = False) -> bool:
    """True for a repeat inside a repeat, or two unbounded repeats in a row (".*.*")."""
    previous_unbounded = False
    for op, arg in tree:
        if op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT):
            _low, high, sub = arg
            unbounded = high == sre_constants.MAXREPEAT
            if inside and unbounded:
                return True
            if previous_unbounded and unbounded:
                return True
            if _nested_or_adjacent_repeats(sub, inside=unbounded or inside):
                return True
            previous_unbounded = unbounded
            continue
        previous_unbounded = False
        if op == sre_constants.SUBPATTERN and _nested_or_adjacent_repeats(arg[-1], inside):
            return True
        if op == sre_constants.BRANCH and any(
            _nested_or_adjacent_repeats(b, inside) for b in arg[1]
        ):
            return True
    return False


@pytest.mark.parametrize("pattern", ["(a+)+", "(x|y*)*b", ".*.*=", "a(?:b.*)+"])
def test_the_regex_check_flags_catastrophic_shapes(pattern: str) -> None:
    assert _nested_or_adjacent_repeats(sre_parse.parse(pattern)), pattern


def test_no_evidence_pattern_has_nested_or_overlapping_quantifiers() -> None:
    """Patterns run on titles from untrusted files: no shape that backtracks exponentially."""
    bad = [
        (rule.id, spec.title.pattern)
        for rule in RULES
        for spec in rule.evidence
        if _nested_or_adjacent_repeats(sre_parse.parse(spec.title.pattern))
    ]
    assert bad == []
