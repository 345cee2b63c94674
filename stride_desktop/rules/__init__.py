"""Threat derivation: rule files (data), matchers, graph facts and the engine.

Public API: ``load_rules``, ``loads_rules``, ``derive`` (of a ``Scope`` too), ``stale_triage``,
``threats_by_id``, ``RuleSet``, ``Rule``, ``RuleError``, ``Threat``; replica groups in
``rules.grouping`` (``group_threats``); contradictions between bench results and the model in
``rules.contradictions``; exports in ``rules.export``; hardening suggestions in
``rules.hardening``; the severity numbers in ``rules.risk``; a session that keeps threats current
change by change in ``rules.session`` (its deltas: ``rules.delta``).
"""

from __future__ import annotations

from .engine import Scope, derive, stale_triage, threats_by_id
from .errors import RuleError, RulesError
from .loader import EvidenceSpec, Rule, RuleSet, load_rules, loads_rules
from .references import REFERENCE_FORMATS, reference_kind, reference_problem
from .threat import CATEGORIES, SEVERITIES, SOURCES, TARGET_KINDS, EvidenceLink, Threat

__all__ = [
    "CATEGORIES",
    "REFERENCE_FORMATS",
    "SEVERITIES",
    "SOURCES",
    "TARGET_KINDS",
    "EvidenceLink",
    "EvidenceSpec",
    "Rule",
    "RuleError",
    "RuleSet",
    "RulesError",
    "Scope",
    "Threat",
    "derive",
    "load_rules",
    "loads_rules",
    "reference_kind",
    "reference_problem",
    "stale_triage",
    "threats_by_id",
]
