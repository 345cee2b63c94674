"""Every catalog component has a static SVG icon that Qt's SVG Tiny renderer can draw."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

from stride_desktop.io import default_catalog
from stride_desktop.paths import resources_dir

SVG_NS = "{http://www.w3.org/2000/svg}"
# Qt's SVG Tiny 1.2 renderer ignores or rejects these; an icon using them would render wrong.
FORBIDDEN_TAGS = {
    "style",
    "script",
    "filter",
    "mask",
    "foreignObject",
    "image",
    "use",
    "pattern",
    "clipPath",
    "linearGradient",
    "radialGradient",
}
COMPONENTS = sorted(default_catalog().components.values(), key=lambda c: c.id)


def icon_path(icon: str) -> Path:
    return resources_dir() / "icons" / icon


@pytest.fixture(scope="module")
def qt_app(qapp) -> QGuiApplication:
    # pytest-qt's QApplication: a bare QGuiApplication here would break the widget tests after it.
    return qapp


def test_icon_name_follows_component_id() -> None:
    for comp in COMPONENTS:
        assert comp.icon == comp.id.replace(".", "-").replace("_", "-") + ".svg", comp.id


@pytest.mark.parametrize("comp", COMPONENTS, ids=lambda c: c.id)
def test_icon_is_static_svg_with_viewbox(comp) -> None:
    path = icon_path(comp.icon)
    assert path.is_file(), f"{comp.id}: missing icon {path}"
    root = ET.parse(path).getroot()
    assert root.tag == f"{SVG_NS}svg", f"{path.name}: root is {root.tag}"
    assert root.get("viewBox") == "0 0 48 48", f"{path.name}: viewBox {root.get('viewBox')!r}"
    for node in root.iter():
        tag = node.tag.removeprefix(SVG_NS)
        assert tag not in FORBIDDEN_TAGS, f"{path.name}: uses <{tag}>"
        assert "style" not in node.attrib, f"{path.name}: <{tag}> has a style attribute"
        for name, value in node.attrib.items():
            assert "href" not in name and "url(" not in value, (
                f"{path.name}: reference in <{tag} {name}={value!r}>"
            )


@pytest.mark.parametrize("comp", COMPONENTS, ids=lambda c: c.id)
@pytest.mark.parametrize("size", [24, 48])
def test_icon_renders_non_empty(qt_app, comp, size: int) -> None:
    path = icon_path(comp.icon)
    renderer = QSvgRenderer(str(path))
    assert renderer.isValid(), f"{path.name}: Qt cannot parse it"
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(QColor(0, 0, 0, 0))
    painter = QPainter(image)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    opaque = sum(
        1 for y in range(size) for x in range(size) if image.pixelColor(x, y).alpha() > 128
    )
    # a real pictogram covers a good share of its square, but is not a solid block
    assert size * size // 20 < opaque < size * size * 95 // 100, (
        f"{path.name}: {opaque} opaque pixels"
    )


def test_no_orphan_icons() -> None:
    """Icons nobody uses rot; every SVG in resources/icons belongs to a component."""
    used = {c.icon for c in COMPONENTS}
    orphans = sorted(
        p.name for p in (resources_dir() / "icons").glob("*.svg") if p.name not in used
    )
    assert not orphans, f"icons without a catalog component: {orphans}"
