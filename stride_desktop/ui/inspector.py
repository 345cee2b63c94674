"""The properties inspector, generated from the catalog's typed properties; every change is a command."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QSignalBlocker, Qt, QTimer
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
    Change,
    PropertySpec,
)
from .commands import EditFieldCommand, SetPropertyCommand
from .document import Document
from .name_field import restrict_to_names
from .scene import DiagramScene

MODEL_FIELDS = ("name", "description", "author", "owner", "version")
PROTOCOLS = ("tcp", "udp", "http", "https", "grpc", "unix", "ssh", "tls", "etcd", "dns")
CAPTION_CHARS = 18  # a caption longer than this (in average characters) sits above its field


def show_value(widget: QWidget, value: Any) -> None:
    """Put ``value`` in an editor of the form without telling anyone (no command is made)."""
    with QSignalBlocker(widget):
        if isinstance(widget, QCheckBox):
            widget.setChecked(bool(value))
        elif isinstance(widget, QSpinBox):
            widget.setValue(int(value or 0))
        elif isinstance(widget, QComboBox):
            index = widget.findData(value)
            if index < 0 and widget.isEditable():
                widget.addItem(str(value), value)
                index = widget.count() - 1
            widget.setCurrentIndex(max(index, 0))
        elif isinstance(widget, QLineEdit):
            text = ", ".join(value) if isinstance(value, list) else str(value or "")
            if widget.text() != text:  # an unchanged text keeps the cursor where it is
                widget.setText(text)
                widget.setCursorPosition(0)


class InspectorPanel(QScrollArea):
    """The form of the selected object (or of the model). A new selection builds a new form; an
    edit of what the form shows updates its fields in place, so focus and Tab order survive."""

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
        self._layout_key: Any = None  # what decides the form's rows (see _form_key)
        scene.selectionChanged.connect(self.schedule)
        document.changed.connect(self._on_change)
        self.rebuild()

    def _on_change(self, change: Change) -> None:
        if change.is_reset:
            self.schedule()
        elif change.action != "edit" or not change.fields <= {"pos", "rect"}:
            self.sync()

    def _form_key(self) -> Any:
        """What the rows of the form depend on: a change of it needs a new form."""
        kind, obj_id = self.target
        if kind == "multi":
            return (kind, len(self.scene_.selectedItems()))
        obj = self._object(kind, obj_id)
        if obj is None:
            return ("gone", obj_id)
        if kind == "element":
            return (kind, obj_id, obj.component, self._boundary_choices())
        if kind == "boundary":
            return (kind, obj_id, self._boundary_choices(exclude=obj_id))
        return (kind, obj_id)

    def schedule(self) -> None:
        # rebuilt later: a signal may come from one of our own widgets, which must not die mid-call
        if not self._pending:
            self._pending = True
            self._timer.start()

    def sync(self) -> None:
        """Show the model's current values in the fields, in place (no signal reaches the model);
        a form whose rows no longer fit its object is rebuilt instead."""
        if self._pending or not shiboken6.isValid(self.scene_):
            return
        if self._form_key() != self._layout_key:
            self.schedule()
            return
        self.title.setText(self._title())
        for key, value in self._values().items():
            widget = self.fields.get(key)
            if widget is not None:
                show_value(widget, value)
        if self._counts is not None:
            self._counts.setText(self._contents())

    def rebuild(self) -> None:
        self._pending = False
        self._timer.stop()  # built now: a rebuild still scheduled would only repeat it
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
        self._counts: QLabel | None = None
        self.title = QLabel()
        self.title.setObjectName("inspectorTitle")
        self.title.setWordWrap(True)
        outer.addWidget(self.title)
        outer.addLayout(self.form)
        outer.addStretch(1)
        kind, obj_id = self.target
        self._layout_key = self._form_key()
        getattr(self, f"_build_{kind}")(obj_id)
        self.title.setText(self._title())
        old = self.takeWidget()
        self.setWidget(page)
        if old is not None:
            old.deleteLater()

    # -- what the form shows --------------------------------------------------------------
    def _title(self) -> str:
        kind, obj_id = self.target
        obj = self._object(kind, obj_id) if kind != "multi" else None
        if kind == "multi":
            return f"{len(self.scene_.selectedItems())} items selected"
        if kind == "model":
            return "<b>Model</b>"
        if obj is None:
            return ""
        if kind == "element":
            component = self.document.catalog.components.get(obj.component)
            what = self.document.kind_of(obj).replace("_", " ")
            return (
                f"<b>{component.name if component else obj.component}</b>"
                f"<br><span style='color:#6B7280'>{what} · {obj.component}</span>"
            )
        if kind == "flow":
            m = self.document.model
            src, tgt = m.element(obj.source), m.element(obj.target)
            return (
                f"<b>Data flow</b><br><span style='color:#6B7280'>"
                f"{src.name if src else obj.source} → {tgt.name if tgt else obj.target}</span>"
            )
        return "<b>Trust boundary</b>"

    def _values(self) -> dict[str, Any]:
        """Field key -> the value the model holds for it now."""
        kind, obj_id = self.target
        obj = self._object(kind, obj_id) if kind != "multi" else None
        if obj is None:
            return {}
        if kind == "model":
            return {f: getattr(obj, f) for f in MODEL_FIELDS}
        if kind == "element":
            component = self.document.catalog.components.get(obj.component)
            values = {
                "name": obj.name,
                "id": obj.id,
                "boundary": obj.boundary or "",
                "description": obj.description,
            }
            for spec in component.properties if component else ():
                values[f"properties.{spec.name}"] = obj.properties.get(spec.name, spec.default)
            return values
        if kind == "flow":
            return {
                "name": obj.name,
                "protocol": obj.protocol,
                "channel": obj.channel,
                "port": obj.port or 0,
                "encrypted": obj.encrypted,
                "authenticated": obj.authenticated,
                "data": obj.data,
                "description": obj.description,
            }
        return {
            "name": obj.name,
            "trust": obj.trust,
            "kind": obj.kind,
            "parent": obj.parent or "",
            "description": obj.description,
        }

    def _contents(self) -> str:
        m = self.document.model
        return f"{len(m.elements)} elements · {len(m.flows)} flows · {len(m.boundaries)} boundaries"

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
        if key == "name":  # what the editor saves, the loader opens
            restrict_to_names(edit)
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
        # A long caption ("Version (e.g. 1.35.2; empty = not stated)") goes above its field:
        # beside it, it widened the label column until no field could show a whole name.
        metrics = caption.fontMetrics()
        if metrics.horizontalAdvance(label) > metrics.averageCharWidth() * CAPTION_CHARS:
            self.form.addRow(caption)
            self.form.addRow(widget)
        else:
            self.form.addRow(caption, widget)

    def _section(self, text: str) -> None:
        header = QLabel(text.upper())
        header.setObjectName("inspectorSection")
        self.form.addRow(header)

    # -- pages ----------------------------------------------------------------------------
    def _build_multi(self, _: str) -> None:
        pass

    def _build_model(self, _: str) -> None:
        m = self.document.model
        for field in MODEL_FIELDS:
            self._text(field.capitalize(), field, getattr(m, field), self._edit("model", "", field))
        self._section("Contents")
        self._counts = QLabel(self._contents())
        self.form.addRow(self._counts)

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
