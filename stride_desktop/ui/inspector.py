"""The properties inspector, generated from the catalog's typed properties; every change is a command."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ..model import (
    AUTHENTICATION_VALUES,
    BOUNDARY_KINDS,
    CHANNEL_LABELS,
    CHANNELS,
    CLASSIFICATIONS,
    PropertySpec,
)
from .commands import EditFieldCommand, SetPropertyCommand
from .document import Document
from .scene import DiagramScene

PROTOCOLS = ("tcp", "udp", "http", "https", "grpc", "unix", "ssh", "tls", "etcd", "dns")


class InspectorPanel(QScrollArea):
    def __init__(
        self, document: Document, scene: DiagramScene, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.document, self.scene_ = document, scene
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.target: tuple[str, str] = ("model", "")
        self._pending = False
        self._timer = QTimer(self)  # a child: it cannot fire after the panel is gone
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self.rebuild)
        scene.destroyed.connect(self._timer.stop)
        self.fields: dict[str, QWidget] = {}  # by field / property name, for tests and focus
        self._shown_sig: Any = None
        scene.selectionChanged.connect(self.schedule)
        for signal in (document.elementsChanged, document.flowsChanged, document.boundariesChanged):
            signal.connect(self._changed)
        document.modelChanged.connect(self.schedule)
        document.modelReset.connect(self.schedule)
        self.rebuild()

    def _changed(self, ids: list[str]) -> None:
        if self.target[0] == "model" or (
            self.target[1] in ids and self._shown() != self._shown_sig
        ):
            self.schedule()

    def _shown(self) -> Any:
        """What the panel shows of its target: all but the geometry (a move needs no rebuild)."""
        kind, obj_id = self.target
        obj = self._object(kind, obj_id) if kind in ("element", "flow", "boundary") else None
        if obj is None or not dataclasses.is_dataclass(obj):
            return object()  # unknown: always different
        return repr(
            [
                (f.name, getattr(obj, f.name))
                for f in dataclasses.fields(obj)
                if f.name not in ("pos", "rect")
            ]
        )

    def schedule(self) -> None:
        # rebuilt later: a signal may come from one of our own widgets, which must not die mid-call
        if not self._pending:
            self._pending = True
            self._timer.start()

    def rebuild(self) -> None:
        self._pending = False
        if not shiboken6.isValid(self.scene_):  # the window is closing
            return
        elements, flows, boundaries = self.scene_.selected_ids()
        count = len(elements) + len(flows) + len(boundaries)
        if count == 1:
            self.target = (
                ("element", elements[0])
                if elements
                else ("flow", flows[0])
                if flows
                else ("boundary", boundaries[0])
            )
        else:
            self.target = ("model", "") if count == 0 else ("multi", "")
        page = QWidget()
        page.setObjectName("inspectorPage")
        outer = QVBoxLayout(page)
        outer.setContentsMargins(10, 8, 10, 8)
        self.form = QFormLayout()
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.fields = {}
        self.title = QLabel()
        self.title.setObjectName("inspectorTitle")
        self.title.setWordWrap(True)
        outer.addWidget(self.title)
        outer.addLayout(self.form)
        outer.addStretch(1)
        kind, obj_id = self.target
        self._shown_sig = self._shown()
        getattr(self, f"_build_{kind}")(obj_id)
        old = self.takeWidget()
        self.setWidget(page)
        if old is not None:
            old.deleteLater()

    # -- editors --------------------------------------------------------------------------
    def _edit(self, kind: str, obj_id: str, field: str) -> Callable[[Any], None]:
        def apply(value: Any) -> None:
            obj = self._object(kind, obj_id)
            if obj is not None and getattr(obj, field) != value:
                self.document.push(EditFieldCommand(self.document, kind, obj_id, field, value))

        return apply

    def _object(self, kind: str, obj_id: str) -> Any:
        m = self.document.model
        return (
            m
            if kind == "model"
            else {"element": m.element, "flow": m.flow, "boundary": m.boundary}[kind](obj_id)
        )

    def _text(
        self,
        label: str,
        key: str,
        value: str,
        apply: Callable[[Any], None],
        *,
        read_only: bool = False,
    ) -> QLineEdit:
        edit = QLineEdit(value)
        edit.setCursorPosition(0)  # show the start of long values
        edit.setReadOnly(read_only)
        if not read_only:
            edit.editingFinished.connect(lambda: apply(edit.text()))
        self._row(label, key, edit)
        return edit

    def _combo(
        self,
        label: str,
        key: str,
        values: tuple[str, ...] | list[str],
        value: Any,
        apply: Callable[[Any], None],
        *,
        editable: bool = False,
        labels: list[str] | None = None,
    ) -> QComboBox:
        combo = QComboBox()
        combo.setEditable(editable)
        # sized by the panel, not by the longest choice: long values must not widen the panel
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(8)
        for i, v in enumerate(values):
            combo.addItem(labels[i] if labels else str(v), v)
        index = combo.findData(value)
        if index < 0 and editable:
            combo.addItem(str(value), value)
            index = combo.count() - 1
        combo.setCurrentIndex(max(index, 0))
        if editable:
            combo.lineEdit().editingFinished.connect(lambda: apply(combo.currentText().strip()))
            combo.activated.connect(lambda i: apply(combo.itemData(i) or combo.currentText()))
        else:
            combo.activated.connect(lambda i: apply(combo.itemData(i)))
        self._row(label, key, combo)
        return combo

    def _check(self, label: str, key: str, value: bool, apply: Callable[[Any], None]) -> QCheckBox:
        box = QCheckBox()
        box.setChecked(bool(value))
        box.toggled.connect(apply)
        text = QLabel(label)  # a wrapped label: long catalog labels must not widen the panel
        text.setWordWrap(True)
        text.mousePressEvent = lambda _event: box.toggle()  # type: ignore[method-assign]
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 1, 0, 1)
        layout.addWidget(box, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(text, 1)
        self.fields[key] = box
        self.form.addRow(row)
        return box

    def _spin(
        self,
        label: str,
        key: str,
        value: int,
        apply: Callable[[Any], None],
        *,
        minimum: int = 0,
        maximum: int = 1_000_000,
        special: str = "",
    ) -> QSpinBox:
        spin = QSpinBox()
        spin.setRange(minimum, maximum)
        spin.setValue(int(value))
        if special:
            spin.setSpecialValueText(special)
        spin.editingFinished.connect(lambda: apply(spin.value()))
        self._row(label, key, spin)
        return spin

    def _row(self, label: str, key: str, widget: QWidget) -> None:
        self.fields[key] = widget
        caption = QLabel(label)
        caption.setWordWrap(True)  # long catalog labels wrap instead of widening the panel
        self.form.addRow(caption, widget)

    def _section(self, text: str) -> None:
        header = QLabel(text.upper())
        header.setObjectName("inspectorSection")
        self.form.addRow(header)

    # -- pages ----------------------------------------------------------------------------
    def _build_multi(self, _: str) -> None:
        self.title.setText(f"{len(self.scene_.selectedItems())} items selected")

    def _build_model(self, _: str) -> None:
        m = self.document.model
        self.title.setText("<b>Model</b>")
        for field in ("name", "description", "author", "owner", "version"):
            self._text(field.capitalize(), field, getattr(m, field), self._edit("model", "", field))
        self._section("Contents")
        self.form.addRow(
            QLabel(
                f"{len(m.elements)} elements · {len(m.flows)} flows · "
                f"{len(m.boundaries)} boundaries"
            )
        )

    def _boundary_choices(self, exclude: str = "") -> tuple[list[Any], list[str]]:
        m = self.document.model
        values: list[Any] = [""] + [
            b.id for b in m.boundaries if exclude not in m.boundary_chain(b.id) or not exclude
        ]
        labels = ["(outside every boundary)"] + [m.boundary(v).name for v in values[1:]]  # type: ignore[union-attr]
        return values, labels

    def _build_element(self, element_id: str) -> None:
        element = self.document.model.element(element_id)
        if element is None:
            return
        component = self.document.catalog.components.get(element.component)
        kind = self.document.kind_of(element).replace("_", " ")
        self.title.setText(
            f"<b>{component.name if component else element.component}</b>"
            f"<br><span style='color:#6B7280'>{kind} · {element.component}</span>"
        )
        edit = self._edit("element", element_id, "name")
        self._text("Name", "name", element.name, edit)
        self._text("Id", "id", element.id, edit, read_only=True)
        values, labels = self._boundary_choices()
        to_boundary = self._edit("element", element_id, "boundary")
        self._combo(
            "Boundary",
            "boundary",
            values,
            element.boundary or "",
            lambda v: to_boundary(v or None),
            labels=labels,
        )
        self._text(
            "Description",
            "description",
            element.description,
            self._edit("element", element_id, "description"),
        )
        if component and component.properties:
            self._section("Properties")
            for spec in component.properties:
                self._property_editor(
                    element_id, spec, element.properties.get(spec.name, spec.default)
                )

    def _property_editor(self, element_id: str, spec: PropertySpec, value: Any) -> None:
        def apply(new: Any) -> None:
            element = self.document.model.element(element_id)
            current = element.properties.get(spec.name, spec.default) if element else None
            if element is not None and new != current:
                self.document.push(SetPropertyCommand(self.document, element_id, spec.name, new))

        label = spec.label or spec.name
        key = f"properties.{spec.name}"
        if spec.type == "bool":
            box = self._check(label, key, value, apply)
            box.setToolTip(spec.description or spec.name)
        elif spec.type == "enum":
            self._combo(label, key, spec.values, value, apply)
        elif spec.type == "int":
            self._spin(label, key, value, apply, maximum=2_147_483_647)
        elif spec.type == "list":
            edit = QLineEdit(", ".join(value or []))
            edit.setPlaceholderText("comma-separated")
            edit.editingFinished.connect(
                lambda: apply([v.strip() for v in edit.text().split(",") if v.strip()])
            )
            self._row(label, key, edit)
        else:
            self._text(label, key, str(value or ""), apply)

    def _build_flow(self, flow_id: str) -> None:
        m = self.document.model
        flow = m.flow(flow_id)
        if flow is None:
            return
        src, tgt = m.element(flow.source), m.element(flow.target)
        self.title.setText(
            f"<b>Data flow</b><br><span style='color:#6B7280'>"
            f"{src.name if src else flow.source} → {tgt.name if tgt else flow.target}</span>"
        )
        e = lambda field: self._edit("flow", flow_id, field)
        self._text("Name", "name", flow.name, e("name"))
        self._combo("Protocol", "protocol", PROTOCOLS, flow.protocol, e("protocol"), editable=True)
        self._combo(
            "Channel",
            "channel",
            CHANNELS,
            flow.channel,
            e("channel"),
            labels=[CHANNEL_LABELS[c] for c in CHANNELS],
        ).setToolTip(
            "Only a network channel gets in-transit threats (sniffing, tampering, spoofing)"
        )
        self._spin(
            "Port",
            "port",
            flow.port or 0,
            lambda v: e("port")(v or None),
            maximum=65535,
            special="none",
        )
        self._check("Encrypted (TLS)", "encrypted", flow.encrypted, e("encrypted"))
        self._combo(
            "Authentication",
            "authenticated",
            AUTHENTICATION_VALUES,
            flow.authenticated,
            e("authenticated"),
        )
        self._combo("Data", "data", CLASSIFICATIONS, flow.data, e("data"))
        self._text("Description", "description", flow.description, e("description"))

    def _build_boundary(self, boundary_id: str) -> None:
        boundary = self.document.model.boundary(boundary_id)
        if boundary is None:
            return
        self.title.setText("<b>Trust boundary</b>")
        e = lambda field: self._edit("boundary", boundary_id, field)
        self._text("Name", "name", boundary.name, e("name"))
        self._spin("Trust", "trust", boundary.trust, e("trust"), maximum=9)
        self._combo("Kind", "kind", BOUNDARY_KINDS, boundary.kind, e("kind"))
        values, labels = self._boundary_choices(exclude=boundary_id)
        self._combo(
            "Inside",
            "parent",
            values,
            boundary.parent or "",
            lambda v: e("parent")(v or None),
            labels=labels,
        )
        self._text("Description", "description", boundary.description, e("description"))
