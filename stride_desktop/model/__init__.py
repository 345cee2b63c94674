"""Pure data of a threat model. Imports only the standard library (and networkx elsewhere)."""

from __future__ import annotations

from .catalog import Catalog, ComponentType, DfdKind, PropertySpec
from .changes import Change
from .elements import (
    AUTHENTICATION_VALUES,
    BOUNDARY_KINDS,
    CHANNEL_LABELS,
    CHANNELS,
    CLASSIFICATIONS,
    PLAN_STATES,
    SEVERITY_LEVELS,
    STRIDE_CATEGORIES,
    TRIAGE_STATUSES,
    Boundary,
    CustomThreat,
    Element,
    Flow,
    HardeningEntry,
    TriageEntry,
    channel_for_protocol,
    custom_threat_id,
)
from .findings import FINDING_STATUSES, AffectedObject, BenchRun, Finding
from .model import Model

__all__ = [
    "AUTHENTICATION_VALUES",
    "BOUNDARY_KINDS",
    "CHANNELS",
    "CHANNEL_LABELS",
    "CLASSIFICATIONS",
    "FINDING_STATUSES",
    "PLAN_STATES",
    "SEVERITY_LEVELS",
    "STRIDE_CATEGORIES",
    "TRIAGE_STATUSES",
    "AffectedObject",
    "BenchRun",
    "Boundary",
    "Catalog",
    "Change",
    "ComponentType",
    "CustomThreat",
    "DfdKind",
    "Element",
    "Finding",
    "Flow",
    "HardeningEntry",
    "Model",
    "PropertySpec",
    "TriageEntry",
    "channel_for_protocol",
    "custom_threat_id",
]
