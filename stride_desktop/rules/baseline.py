"""The generic threats: STRIDE per element (the baseline) and STRIDE per interaction.

Texts are worded for the element they name; ``{name}`` and friends are filled per target.
Rule ids: ``STRIDE-<letter>-<KIND>`` for the baseline, ``INTERACTION-<WHAT>`` for crossings.
"""

from __future__ import annotations

from functools import cache
from typing import NamedTuple

from ..model import STRIDE_CATEGORIES
from .texts import render


@cache  # a handful of templates, read once per generic threat
def _shortened(description: str) -> str:
    return description.replace("{name} ({component})", "{name}")


@cache
def _templated(texts: tuple[str, ...]) -> bool:
    return any("{" in text for text in texts)


class Generic(NamedTuple):
    rule: str
    category: str
    title: str
    description: str
    mitigations: tuple[str, ...]

    @property
    def short_description(self) -> str:
        """The description for an element whose name is its component's name ("Docker CLI")."""
        return _shortened(self.description)

    # The text interface DerivedThreat formats lazily (Rule has the same three members).
    references: tuple[str, ...] = ()

    def describe(self, values: dict[str, str]) -> str:
        short = values["component"] == values["name"]  # avoid "Docker CLI (Docker CLI)"
        return render(self.short_description if short else self.description, values)

    def mitigations_for(self, values: dict[str, str]) -> tuple[str, ...]:
        if not _templated(self.mitigations):
            return self.mitigations
        return tuple(m.format_map(values) if "{" in m else m for m in self.mitigations)


S, T, R, I, D, E = STRIDE_CATEGORIES

ELEMENT_BASELINE: dict[str, tuple[Generic, ...]] = {
    "external_entity": (
        Generic(
            "STRIDE-S-EXTERNAL",
            S,
            "Someone impersonates {name}",
            "An attacker poses as {name} ({component}) towards the elements it talks to, with "
            "stolen, guessed or replayed credentials, unless its identity is verified strongly.",
            (
                "Authenticate it with strong, short-lived credentials (mTLS, OIDC).",
                "Bind credentials to the client and rotate them.",
            ),
        ),
        Generic(
            "STRIDE-R-EXTERNAL",
            R,
            "{name} denies an action it took",
            "Without records that tie requests to the identity of {name}, what it did through "
            "the system cannot be proven afterwards.",
            (
                "Log every request it makes with its authenticated identity.",
                "Ship logs off the machine to tamper-evident storage.",
            ),
        ),
    ),
    "process": (
        Generic(
            "STRIDE-S-PROCESS",
            S,
            "Someone impersonates {name}",
            "Clients of {name} ({component}) can be led to an impostor if they do not check its "
            "identity (server certificate, socket ownership, image digest).",
            (
                "Serve it over TLS with a certificate its clients verify.",
                "Restrict who may bind its socket or port.",
            ),
        ),
        Generic(
            "STRIDE-T-PROCESS",
            T,
            "The code or configuration of {name} is altered",
            "Someone with write access to the binaries, image, configuration or memory of "
            "{name} changes what it does.",
            (
                "Run it from a read-only, signed image or package.",
                "Restrict write access to its configuration and watch it for changes.",
            ),
        ),
        Generic(
            "STRIDE-R-PROCESS",
            R,
            "Actions of {name} cannot be traced",
            "{name} acts on requests without a record of who asked for what, so misuse of it "
            "cannot be attributed.",
            ("Enable audit logging with the caller's identity.",),
        ),
        Generic(
            "STRIDE-I-PROCESS",
            I,
            "{name} leaks the data it handles",
            "Memory, logs, error messages or debug endpoints of {name} expose data or secrets to "
            "someone who should not see them.",
            (
                "Keep secrets out of its logs, environment and error messages.",
                "Disable debug and profiling endpoints.",
            ),
        ),
        Generic(
            "STRIDE-D-PROCESS",
            D,
            "{name} is made unavailable",
            "Floods of requests, resource exhaustion or a crash stop {name} from serving the "
            "elements that depend on it.",
            (
                "Set resource limits and request rate limits.",
                "Run it with health checks and redundancy.",
            ),
        ),
        Generic(
            "STRIDE-E-PROCESS",
            E,
            "An attacker gains the privileges of {name}",
            "A flaw in {name} lets an attacker run code with its privileges, and from there "
            "reach what it can reach.",
            (
                "Run it as a non-root user with the least privileges it needs.",
                "Patch it and validate every input it accepts.",
            ),
        ),
    ),
    "data_store": (
        Generic(
            "STRIDE-T-STORE",
            T,
            "Data in {name} is modified without authorisation",
            "Someone with access to {name} ({component}) or to the files behind it changes the "
            "data that other elements trust.",
            (
                "Restrict write access to the store and its files.",
                "Keep integrity checks or signed backups.",
            ),
        ),
        Generic(
            "STRIDE-R-STORE",
            R,
            "Changes to {name} cannot be attributed",
            "Writes to {name} are not logged with the identity of the writer, so a harmful "
            "change cannot be traced to its author.",
            ("Log writes with the writer's identity.",),
        ),
        Generic(
            "STRIDE-I-STORE",
            I,
            "Data in {name} is read by someone who should not",
            "The content of {name}, its files or its backups are readable without the right "
            "authorisation or without encryption.",
            ("Encrypt it at rest and restrict read access.", "Protect its backups."),
        ),
        Generic(
            "STRIDE-D-STORE",
            D,
            "{name} is filled up, corrupted or made unavailable",
            "Exhausted disk space, floods of writes or deleted data stop the elements that "
            "depend on {name}.",
            ("Set quotas, monitor free space and keep tested backups.",),
        ),
    ),
    "flow": (
        Generic(
            "STRIDE-T-FLOW",
            T,
            "Data on {name} is modified in transit",
            "Someone on the path from {source} to {target} alters the {protocol} traffic "
            "unless its integrity is protected.",
            ("Protect the flow with TLS or another authenticated channel.",),
        ),
        Generic(
            "STRIDE-I-FLOW",
            I,
            "Data on {name} is read and altered in transit",
            "Someone on the path from {source} to {target} reads the {protocol} traffic, and can "
            "change it, unless it is encrypted and integrity-protected.",
            ("Encrypt the flow (TLS, mTLS, WireGuard or IPsec).",),
        ),
        Generic(
            "STRIDE-D-FLOW",
            D,
            "{name} is interrupted",
            "The connection from {source} to {target} is blocked, dropped or flooded, and "
            "{target} stops receiving what it needs.",
            ("Retry with back-off at the source and alert when the flow fails.",),
        ),
    ),
}

SPOOF_SOURCE = Generic(
    "INTERACTION-SPOOFING",
    S,
    "{target} cannot tell {source} from an impostor on {name}",
    "{name} crosses {boundary} and does not authenticate its source, so anyone who can reach "
    "{target} from there can pose as {source}.",
    ("Authenticate {source} on {name} (mTLS, signed tokens).",),
)
SNIFF = Generic(
    "INTERACTION-SNIFFING",
    I,
    "Unencrypted {name} can be read and altered where it crosses {boundary}",
    "{protocol} traffic from {source} to {target} crosses {boundary} in clear text; anyone on "
    "the network path can read it and, as a man in the middle, change requests or responses.",
    (
        "Encrypt {name} with TLS (or mTLS, WireGuard, IPsec) and have {source} verify the "
        "certificate of {target}.",
    ),
)
TAMPER = Generic(
    "INTERACTION-TAMPERING",
    T,
    "Unencrypted {name} can be altered where it crosses {boundary}",
    "Without an integrity-protected channel, someone on the path between {source} and {target} "
    "changes requests or responses on {name} (man in the middle).",
    ("Protect {name} with TLS and have {source} verify the certificate of {target}.",),
)
INTERRUPT = Generic(
    "INTERACTION-INTERRUPTION",
    D,
    "{name} across {boundary} can be interrupted",
    "The crossing of {boundary} is a point where {name} from {source} to {target} can be blocked "
    "or flooded.",
    ("Rate-limit {name} where it enters {target} and monitor the crossing.",),
)
ELEVATE = Generic(
    "INTERACTION-ELEVATION",
    E,
    "{target} acts on input from less trusted {source}",
    "{name} enters a zone of higher trust: {target} must treat everything from {source} as "
    "hostile, or a flaw in it gives the lower zone the privileges of the higher one.",
    (
        "Validate and authorise every request {target} receives on {name}.",
        "Run {target} with the least privileges it needs.",
    ),
)

# Tampering and sniffing of one unencrypted flow are one root cause (no TLS): where both are
# listed, the disclosure threat (worded "read and altered") carries the tampering one.
IN_TRANSIT_PAIRS = {
    "INTERACTION-TAMPERING": "INTERACTION-SNIFFING",
    "STRIDE-T-FLOW": "STRIDE-I-FLOW",
}

# Like MS TMT's Exclude filters (``flow.providesConfidentiality is 'Yes'``): an encrypted flow has
# the control that answers tampering and sniffing in transit, so its baseline keeps only D.
ENCRYPTED_FLOW_BASELINE = tuple(g for g in ELEMENT_BASELINE["flow"] if g.category == D)
# What the engine lists of a flow's baseline: tampering and disclosure in transit (public data
# has nothing to disclose).
TRANSIT_FLOW_BASELINE = tuple(g for g in ELEMENT_BASELINE["flow"] if g.category in (T, I))
PUBLIC_FLOW_BASELINE = tuple(g for g in ELEMENT_BASELINE["flow"] if g.category == T)
# Every id the engine itself derives (rules may name them in ``supersedes``), with its category.
GENERIC_CATEGORY = {
    g.rule: g.category
    for g in (
        *(g for table in ELEMENT_BASELINE.values() for g in table),
        SPOOF_SOURCE,
        SNIFF,
        TAMPER,
        INTERRUPT,
        ELEVATE,
    )
}
GENERIC_IDS = frozenset(GENERIC_CATEGORY)
# Baselines that fold into a threat on another target: an element's denial of service and
# elevation into the interaction threats of its way in, an external entity's impersonation into
# the spoofing of its flows and its repudiation into an untraced target's threat.
VIA_FOLDS = frozenset(
    {
        "STRIDE-D-PROCESS",
        "STRIDE-D-STORE",
        "STRIDE-E-PROCESS",
        "STRIDE-S-EXTERNAL",
        "STRIDE-R-EXTERNAL",
    }
)
