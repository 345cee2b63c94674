"""STRIDE Desktop: a threat-model editor for Docker and Kubernetes."""

from __future__ import annotations

__version__ = "0.1.0"
