"""A clone stands alone: no test, benchmark or Makefile target reads a path outside the checkout.

Fixtures live in tests/fixtures/ (origins in tests/fixtures/SOURCES.md). A reference to the
folder beside the checkout (``../shared``, ``REPO.parent / "shared"``) passes on a developer's
machine and fails for everyone who clones the project, so it fails here first.
"""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# "../x" in a string, ".." as a pathlib part, the checkout root's parent, or the sibling folder.
OUTSIDE = re.compile(
    r"""\.\./\w|["']\.\.["']|\b(REPO|ROOT|REPO_ROOT)\.parent\b|parents\[\d\]\.parent"""
    r"""|/\s*["']shared["']|["']shared/"""
)


def _sources() -> list[Path]:
    files = [
        *REPO.glob("tests/**/*.py"),
        *REPO.glob("benchmarks/**/*.py"),
        REPO / "Makefile",
        REPO / ".ci" / "run",
    ]
    return sorted(p for p in files if p.is_file())


def test_no_source_refers_outside_the_checkout() -> None:
    offenders = []
    for path in _sources():
        if path == Path(__file__).resolve():
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if OUTSIDE.search(line):
                offenders.append(f"{path.relative_to(REPO)}:{number}: {line.strip()}")
    assert offenders == []


def test_the_pattern_catches_the_ways_a_path_leaves_the_checkout() -> None:
    leaving = [
        'BENCH = REPO.parent / "shared" / "fixtures"',
        'ROOT / ".." / "shared"',
        "Path(__file__).resolve().parents[1].parent / 'shared'",
        "cat ../shared/x.json",
    ]
    staying = [
        'BENCH = REPO / "tests" / "fixtures"',
        "Path(__file__).parent / 'data'",
        "path.parent.mkdir()",
    ]
    assert all(OUTSIDE.search(text) for text in leaving)
    assert not any(OUTSIDE.search(text) for text in staying)


def test_every_fixture_has_its_origin_written_down() -> None:
    fixtures = REPO / "tests" / "fixtures"
    sources = (fixtures / "SOURCES.md").read_text(encoding="utf-8")
    files = [
        p.relative_to(fixtures).as_posix()
        for p in fixtures.rglob("*")
        if p.is_file() and p.name != "SOURCES.md"
    ]
    assert files
    assert [f for f in files if f"| {f} |" not in sources] == []
