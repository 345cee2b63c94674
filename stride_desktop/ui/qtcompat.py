"""Work-arounds for reference-count bugs of the installed PySide6 (found on 6.12.0, CPython 3.11).

1. ``SignalInstance.emit()`` returns ``True`` without taking a reference: every emit from Python
   drops one reference to ``True`` and, after a few hundred emits, CPython aborts with
   "bool_dealloc: deallocating True or False". ``emit(signal, *args)`` gives that reference back.
2. A Python override of ``QUndoCommand.redo``/``undo`` called by ``QUndoStack`` drops one
   reference to ``None`` per call ("none_dealloc" after a few thousand undo steps).
   ``UndoCommand`` (use it instead of ``QUndoCommand``) gives it back.

Giving back too much is harmless (True and None are never freed); too little is fatal, so both
fixes are measured at import: they only compensate when the bug is actually present.
"""
from __future__ import annotations

import ctypes
import functools
import sys
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

_incref = ctypes.pythonapi.Py_IncRef
_incref.argtypes = [ctypes.py_object]
_incref.restype = None


class _Probe(QObject):
    ping = Signal()


def _emit_drops_true() -> bool:
    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(8):
        probe.ping.emit()
    lost = before - sys.getrefcount(True)
    for _ in range(max(0, lost)):
        _incref(True)
    return lost >= 8


def _redo_drops_none() -> bool:
    class _Cmd(QUndoCommand):
        def redo(self) -> None:
            pass

        def undo(self) -> None:
            pass

    stack = QUndoStack()
    stack.push(_Cmd("probe"))
    before = sys.getrefcount(None)
    for _ in range(8):
        stack.undo()
        stack.redo()
    lost = before - sys.getrefcount(None)
    for _ in range(max(0, lost)):
        _incref(None)
    stack.clear()
    return lost >= 16


EMIT_BUG = _emit_drops_true()
UNDO_BUG = _redo_drops_none()


def emit(signal: Any, *args: Any) -> None:
    """``signal.emit(*args)``, safe on PySide6 versions whose emit drops a reference to True."""
    signal.emit(*args)
    if EMIT_BUG:
        _incref(True)


class UndoCommand(QUndoCommand):
    """QUndoCommand whose Python ``redo``/``undo`` overrides do not drain ``None``'s refcount."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if not UNDO_BUG:
            return
        for name in ("redo", "undo"):
            method = cls.__dict__.get(name)
            if method is None:
                continue

            @functools.wraps(method)
            def wrapper(self: QUndoCommand, _method: Any = method) -> None:
                _incref(None)
                _method(self)

            setattr(cls, name, wrapper)
