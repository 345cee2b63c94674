"""The review workflow in the editor (issue 7): threats, triage, bench findings, hardening, export.

``install_review(window, document)`` adds the panels, actions and badges to a main window.
"""

from __future__ import annotations

from .service import ThreatService

__all__ = ["ThreatService", "install_review"]


def install_review(window, document):
    from .install import install_review as _install

    return _install(window, document)
