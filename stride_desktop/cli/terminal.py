"""What the command line prints never carries control characters from its input.

A name in a model or a bench file can hold terminal escape sequences (OSC 0 sets the window
title, OSC 8 makes hyperlinks, CSI moves the cursor and rewrites lines). Every command's output
and messages pass through ``escaped_output()``, which shows such characters as visible
``\\u001b``-style escapes: readable in a table, and still valid JSON (inside a JSON string the
same text is the escape of the same character). Tabs and line breaks of the layout stay.
"""

from __future__ import annotations

import contextlib
import re
import sys
from collections.abc import Iterator
from typing import Any, TextIO

# C0 controls but tab and newline, DEL, C1 controls, line/paragraph separators, bidi overrides
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def escape(text: str) -> str:
    """``text`` with every control character replaced by a visible ``\\uXXXX`` escape."""
    return UNSAFE.sub(lambda found: f"\\u{ord(found.group()):04x}", text)


class EscapingStream:
    """A text stream that escapes what is written to it; everything else is the wrapped one's."""

    def __init__(self, stream: TextIO) -> None:
        self.wrapped = stream

    def write(self, text: str) -> int:
        self.wrapped.write(escape(text))
        return len(text)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.wrapped, name)


@contextlib.contextmanager
def escaped_output() -> Iterator[None]:
    """Route sys.stdout and sys.stderr through EscapingStream for the duration."""
    saved = sys.stdout, sys.stderr
    sys.stdout = EscapingStream(saved[0])
    sys.stderr = EscapingStream(saved[1])
    try:
        yield
    finally:
        with contextlib.suppress(Exception):
            sys.stdout.flush()
        sys.stdout, sys.stderr = saved
