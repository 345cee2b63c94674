"""Inputs for the fuzz test: mutated real files, token soups, random bytes, generated models."""

from __future__ import annotations

import yaml
from hypothesis import strategies as st

# Fragments that have broken parsers before, or that every format treats specially.
TOKENS = (
    # YAML structure, aliases, tags, YAML 1.1 traps, directives
    "- ",
    ": ",
    "? ",
    "[",
    "]",
    "{",
    "}",
    ",",
    "\n",
    "\n  ",
    "---\n",
    "...\n",
    "&a ",
    "*a",
    "<<: *a",
    "!!python/object/apply:os.system ",
    "!!int ",
    "!!str ",
    "!!set ",
    "!!binary ",
    "%YAML 1.1\n",
    "%TAG ! tag:x,2000:\n",
    "no",
    "yes",
    "0x1F",
    "012",
    "22:22",
    "~",
    "null",
    ".inf",
    "1e999",
    "-0",
    "9" * 120,
    "'",
    '"',
    "\\",
    "#",
    "|\n",
    ">-\n",
    "\t",
    # characters: controls, escapes, BOMs, separators, bidi, astral, surrogates as escapes
    "\x00",
    "\x07",
    "\x1b]0;x\x07",
    "\x1b[2J",
    "\x85",
    "\u2028",
    "\u202e",
    "\ufeff",
    "\U0001f600",
    '"\\x1b"',
    '"\\ud800"',
    "\r\n",
    "\r",
    # model keys
    "stride_model: 1\n",
    "elements:\n",
    "flows:\n",
    "boundaries:\n",
    "triage:\n",
    "bench_runs:\n",
    "id: ",
    "name: ",
    "component: docker.daemon",
    "parent: ",
    "trust: ",
    "port: ",
    "pos: [1, 2]",
    "rect: [0, 0, 1, 1]",
    "properties: ",
    "source: ",
    "target: ",
    "status: open",
    # JSON and bench outputs
    '"id": "1.1"',
    '"desc": "',
    '"result": "WARN"',
    '"details": "',
    '"items": [',
    '"tests": [',
    '"results": [',
    '"dockerbenchsecurity": "1.6.0"',
    '"Controls": [',
    '"test_number": "',
    '"status": "FAIL"',
    '"node_type": "node"',
    '"Totals": {',
    "\\u0000",
    "\\u001b",
    "1" * 400,
    "[WARN] ",
    "[PASS] 1.1 ",
    "[INFO] 5 - ",
    "[NOTE] ",
    "      * ",
    "Initializing ",
    "Section B",
    "Section C",
    "== Summary ==",
    "== Remediations node ==",
    "(Manual)",
    "(Automated)",
    "Remediation Impact:",
    " in ",
    ":::::",
    "[repo:a repo:b]",
    "<testsuite>",
    "<testcase name='",
    "<!DOCTYPE x [<!ENTITY a 'b'>]>",
    "<system-out>",
    "&#34;",
)


@st.composite
def mutated(draw, seeds: tuple[bytes, ...]) -> bytes:
    """A real file with a few random edits: cut, insert a token or bytes, delete, repeat."""
    data = bytearray(draw(st.sampled_from(seeds)))
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(data)))
        op = draw(st.sampled_from(("insert", "bytes", "delete", "repeat", "truncate", "flip")))
        if op == "insert":
            data[at:at] = draw(st.sampled_from(TOKENS)).encode("utf-8", "surrogatepass")
        elif op == "bytes":
            data[at:at] = draw(st.binary(min_size=1, max_size=8))
        elif op == "delete":
            del data[at : at + draw(st.integers(1, 200))]
        elif op == "repeat":
            piece = data[at : at + draw(st.integers(1, 80))]
            data[at:at] = piece * draw(st.integers(1, 50))
        elif op == "truncate":
            del data[at:]
        elif data:
            data[min(at, len(data) - 1)] ^= 1 << draw(st.integers(0, 7))
    return bytes(data)


token_soup = st.lists(st.sampled_from(TOKENS) | st.text(max_size=4), max_size=80).map(
    lambda parts: "".join(parts).encode("utf-8", "surrogatepass")
)

_names = st.text(max_size=12) | st.sampled_from(("web", "dockerd", "a", "b", "", "x" * 300))
_scalars = (
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | _names
)
_values = st.recursive(
    _scalars,
    lambda kids: st.lists(kids, max_size=3) | st.dictionaries(_names, kids, max_size=3),
    max_leaves=12,
)
_ids = st.sampled_from(("a", "b", "c", "host", "node", "web", "a b", "", "x" * 120))
_components = st.sampled_from(
    ("docker.daemon", "docker.container", "k8s.pod", "k8s.apiserver", "generic.process", "nope")
)


def _record(required: dict, optional: dict) -> st.SearchStrategy[dict]:
    return st.fixed_dictionaries(required, optional=optional)


@st.composite
def model_documents(draw) -> bytes:
    """Model-shaped YAML: the loader's sections with plausible and wrong values mixed."""
    any_value = _values
    boundary = _record(
        {"id": _ids},
        {
            "name": _names,
            "trust": st.integers(-2, 12) | any_value,
            "parent": _ids | any_value,
            "rect": st.lists(st.floats(-2e6, 2e6) | st.integers(), min_size=3, max_size=5),
            "kind": st.sampled_from(("host", "node", "cluster", "x")),
        },
    )
    element = _record(
        {"id": _ids, "component": _components},
        {
            "name": _names | any_value,
            "boundary": _ids,
            "pos": st.lists(_scalars, max_size=3),
            "properties": st.dictionaries(
                st.sampled_from(("privileged", "tls_verify", "image", "pids_limit", "x")), any_value
            ),
            "description": _names,
        },
    )
    flow = _record(
        {"id": _ids, "source": _ids, "target": _ids},
        {
            "port": st.integers(-5, 70000) | any_value,
            "encrypted": any_value,
            "authenticated": st.sampled_from(("none", "token", "mtls", "no")),
            "name": _names,
        },
    )
    document = _record(
        {"stride_model": st.sampled_from((1, 1, 1, 2, "1", None))},
        {
            "name": _names,
            "boundaries": st.lists(boundary, max_size=4),
            "elements": st.lists(element, max_size=5),
            "flows": st.lists(flow, max_size=5),
            "triage": st.dictionaries(_names, st.fixed_dictionaries({"status": _names})),
            "extra": any_value,
        },
    )
    data = draw(document)
    text = yaml.safe_dump(
        data,
        default_flow_style=draw(st.sampled_from((False, True, None))),
        allow_unicode=draw(st.booleans()),
        sort_keys=False,
        width=draw(st.sampled_from((80, 10_000))),
    )
    return text.encode("utf-8", "surrogatepass")


def inputs(seeds: tuple[bytes, ...], *, model: bool = False) -> st.SearchStrategy[bytes]:
    options = [mutated(seeds), mutated(seeds), token_soup, st.binary(max_size=3000)]
    if model:
        options += [model_documents(), model_documents()]
    return st.one_of(options)
