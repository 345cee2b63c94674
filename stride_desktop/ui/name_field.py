"""Name fields accept what the loader accepts: at most MAX_NAME_CHARS characters, none of the
characters a name may not hold (io/fields.NOT_IN_NAMES), so what the editor saves it opens."""

from __future__ import annotations

from PySide6.QtCore import QRegularExpression
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import QLineEdit

from ..io.fields import NOT_IN_NAMES
from ..io.limits import MAX_NAME_CHARS

NAME_EXPRESSION = QRegularExpression(
    "[^" + "".join(f"\\x{{{a:x}}}-\\x{{{b:x}}}" for a, b in NOT_IN_NAMES) + "]*"
)


def restrict_to_names(edit: QLineEdit) -> QLineEdit:
    edit.setMaxLength(MAX_NAME_CHARS)
    edit.setValidator(QRegularExpressionValidator(NAME_EXPRESSION, edit))
    return edit
