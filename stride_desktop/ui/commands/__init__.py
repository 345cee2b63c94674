"""Every edit of the model is one of these undo commands; each changes the model via the Document."""

from __future__ import annotations

from .add_remove import AddItemsCommand, DeleteItemsCommand
from .edit import EditFieldCommand, SetPropertyCommand
from .geometry import MoveCommand

__all__ = [
    "AddItemsCommand",
    "DeleteItemsCommand",
    "EditFieldCommand",
    "MoveCommand",
    "SetPropertyCommand",
]
