"""The example reports as a reader sees them: every page rendered to an image, none blank; the
body within 12 pages; page 1 the decision; no heading at a page bottom; ids never broken inside
a word; remediation for every failed docker-bench check."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from stride_desktop.cli import main
from stride_desktop.io import load_model
from stride_desktop.report.textcell import layout
from stride_desktop.rules import derive, load_rules

from .conftest import pdf_text, squash

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / "tests" / "fixtures" / "bench"
EXAMPLES = {
    "docker-host": [f"{BENCH / 'docker-bench-1.6.0.log.json'}"],
    "kubernetes-cluster": [f"{BENCH / 'kube-bench-cis-1.23.json'}"],
    "online-shop-k8s": [],
}
BODY_MAX_PAGES = 12


def render(model: str, out: Path, *extra: str) -> Path:
    args = ["report", str(ROOT / "models" / f"{model}.yaml"), "-o", str(out), "--invariant"]
    for bench in EXAMPLES[model]:
        args += ["--bench", bench]
    assert main([*args, *extra]) == 0
    return out


def blank_pages(pdf: Path, tmp: Path) -> list[int]:
    """Pages whose body (inside the running header and footer) has no ink."""
    subprocess.run(["pdftoppm", "-png", "-r", "24", str(pdf), str(tmp / "p")], check=True)
    blank = []
    for n, path in enumerate(sorted(tmp.glob("p-*.png")), 1):
        image = Image.open(path).convert("L")
        w, h = image.size
        body = image.crop((0, int(h * 0.09), w, int(h * 0.9)))  # header and footer left out
        if body.getextrema()[0] > 235:  # nothing darker than a faint tint
            blank.append(n)
    return blank


def test_the_blank_page_check_finds_a_blank_page(tmp_path):
    from reportlab.pdfgen.canvas import Canvas

    pdf = tmp_path / "two.pdf"
    canvas = Canvas(str(pdf))
    canvas.drawString(100, 400, "something on page one")
    canvas.showPage()
    canvas.drawString(100, 820, "only a running header")  # above the body area
    canvas.showPage()
    canvas.save()
    assert blank_pages(pdf, tmp_path) == [2]


pytestmark = pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs poppler-utils")


@pytest.mark.slow
@pytest.mark.parametrize("model", list(EXAMPLES))
def test_example_body_is_short_and_no_page_is_blank(model, tmp_path):
    pdf = render(model, tmp_path / "body.pdf")
    reader, text = pdf_text(pdf.read_bytes())
    assert len(reader.pages) <= BODY_MAX_PAGES
    assert blank_pages(pdf, tmp_path) == []
    first = reader.pages[0].extract_text()
    assert "OVERALL RISK" in first and "Top actions, ranked by the risk they remove" in first
    assert "Appendix" not in text


@pytest.mark.slow
@pytest.mark.parametrize("model", ["docker-host", "kubernetes-cluster"])
def test_example_with_appendix_has_no_blank_page_either(model, tmp_path):
    pdf = render(model, tmp_path / "full.pdf", "--appendix")
    _reader, text = pdf_text(pdf.read_bytes())
    assert "Appendix — threats by element" in text
    assert blank_pages(pdf, tmp_path) == []


def test_every_failed_docker_check_has_its_remediation(tmp_path):
    from stride_desktop.bench import parse_bench_file
    from stride_desktop.bench.remediation import remediation_for

    pdf = render("docker-host", tmp_path / "body.pdf")
    _, text = pdf_text(pdf.read_bytes())
    flat = squash(text)
    run = parse_bench_file(BENCH / "docker-bench-1.6.0.log.json").run
    failed = [f for f in run.findings if f.status == "fail"]
    assert failed
    for finding in failed:  # the first words of our remediation are in the body
        words = squash(" ".join(remediation_for(run, finding).split()[:5]))
        assert words in flat, finding.check_id


def test_first_page_names_actions_with_elements_checks_and_threats(tmp_path):
    pdf = render("docker-host", tmp_path / "body.pdf")
    reader, _ = pdf_text(pdf.read_bytes())
    first = squash(reader.pages[0].extract_text())
    model = load_model(ROOT / "models/docker-host.yaml")
    assert "Critical" in reader.pages[0].extract_text()
    assert "Fix:5.31" in first or "Fix:4.1" in first
    assert squash("Jenkins") in first and "DOCKER-CONTAINER-" in first
    assert squash("No hardening plan yet") in first
    assert model.name.split(" - ")[0].replace(" ", "") in first


def test_the_plan_changes_the_risk_left_on_page_one(tmp_path):
    path = tmp_path / "host.yaml"
    shutil.copy(ROOT / "models/docker-host.yaml", path)
    assert main(["import-bench", str(path), str(BENCH / "docker-bench-1.6.0.log.json")]) == 0
    assert main(["harden", str(path), "--top", "3", "--state", "done", "--owner", "Ana"]) == 0
    out = tmp_path / "r.pdf"
    assert main(["report", str(path), "-o", str(out)]) == 0
    reader, text = pdf_text(out.read_bytes())
    first = reader.pages[0].extract_text()
    assert "After the hardening plan" in first and "done" in first
    assert "residual" in text and "Done" in text and "owner: Ana" in text
    model = load_model(path)
    threats = derive(model, load_rules(model=model))
    assert all(h.state == "done" for h in model.hardening) and threats


@pytest.fixture
def fonts():
    """The report's fonts, registered as a report build does (these tests lay out text only)."""
    from stride_desktop.report.fonts import register_fonts

    register_fonts()


def test_ids_break_after_a_separator_never_inside_a_word(fonts):
    lines = layout(
        [
            __import__("stride_desktop.report.textcell", fromlist=["span"]).span(
                "DOCKER-CONTAINER-PORTS-ALL-INTERFACES@predict_api"
            )
        ],
        70,
    )
    texts = ["".join(run[1] for run in line) for line in lines]
    assert len(texts) > 1
    assert all(t[-1] in "-@_." for t in texts[:-1]), texts


def test_an_id_that_fills_the_line_up_to_a_hyphen_keeps_the_hyphen_on_its_line(fonts):
    from stride_desktop.report.textcell import _width, span

    word = "DOCKER-CONTAINER-DOCKER-SOCKET@jenkins"
    width = _width("DOCKER-CONTAINER-DOCKER", False, 7.6) + 0.1  # the hyphen does not fit
    lines = layout([span(word)], width)
    texts = ["".join(run[1] for run in line) for line in lines]
    assert "".join(texts) == word
    assert not any(t[0] in "-@_." for t in texts), texts
    assert all(t[-1] in "-@_." for t in texts[:-1]), texts


@pytest.mark.slow
@pytest.mark.parametrize("model", ["docker-host", "kubernetes-cluster"])
def test_no_page_ends_with_a_heading(model, tmp_path):
    """The last line of every page is never a heading, a run title or a list label."""
    pdf = render(model, tmp_path / "full.pdf", "--appendix")
    reader, _ = pdf_text(pdf.read_bytes())
    titles = {"Mitigations", "References"}

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.add(squash(item.title))

    walk(reader.outline)
    titles = {squash(t) for t in titles}
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    for n, page in enumerate(text.split("\f")[:-1], 1):
        lines = [line for line in page.splitlines() if line.strip()]
        body = [line for line in lines if not line.strip().startswith("Page ")]
        if len(body[-1]) - len(body[-1].lstrip()) > 8:
            continue  # a table cell's last line ("MySQL" among a check's elements), not a title
        assert squash(body[-1]) not in titles, (n, body[-1])
