"""Pathological inputs of a chosen size for every parser: the shapes that once took quadratic or
cubic time (issue 12), plus the obvious worst cases of each format. ``INPUTS[name](n)`` returns
the bytes of an input about ``n`` units large; ``target(name)`` says which entry point reads it.
"""

from __future__ import annotations

import json
from collections.abc import Callable

DBS_HEAD = "Initializing 2023-09-29T12:05:07+03:00\n\nSection A - Check results\n\n"
CHECK_57 = "[WARN] 5.7 - Ensure privileged ports are not mapped within containers (Automated)\n"
CHECK_513 = "[WARN] 5.13 - Ensure that incoming container traffic is bound to a specific host\n"


def _dbs_text(*lines: str) -> bytes:
    return (DBS_HEAD + "".join(lines)).encode()


def _kb_controls(results: list[dict]) -> dict:
    return {
        "id": "4",
        "version": "cis-1.23",
        "text": "Worker Node Security Configuration",
        "node_type": "node",
        "tests": [
            {"section": "4.1", "desc": "Worker Node Configuration Files", "results": results}
        ],
    }


def _kb_result(i: int, *, title: str = "Ensure a thing (Automated)") -> dict:
    return {"test_number": f"4.1.{i}", "test_desc": title, "status": "FAIL", "scored": True}


INPUTS: dict[str, Callable[[int], bytes]] = {
    # docker-bench text log
    "dbs-text colons in an item": lambda n: _dbs_text(
        CHECK_513, "[WARN]      * Container bound to: web:" + ":" * n + "x\n"
    ),
    "dbs-text item words": lambda n: _dbs_text(
        CHECK_57, "[WARN]      * Privileged Port in use: " + "a:80 " * (n // 5) + "\n"
    ),
    "dbs-text spaces in an item": lambda n: _dbs_text(
        CHECK_57, "[WARN]      * a " + " " * n + "in x y\n"
    ),
    "dbs-text 'in' chain": lambda n: _dbs_text(
        CHECK_57, "[WARN]      * Port " + "in " * (n // 3) + "x y\n"
    ),
    "dbs-text suffixes": lambda n: _dbs_text(
        "[WARN] 1.1.1 - Ensure things" + " (Manual)" * (n // 9) + "\n"
    ),
    "dbs-text remediation spaces": lambda n: _dbs_text(
        CHECK_57,
        "\nSection B - Remediation measures\n\n[WARN] 5.7 - Fix it" + " " * n + "R\n",
    ),
    "dbs-text many checks": lambda n: _dbs_text(
        *(f"[WARN] 5.{i} - Ensure thing {i}\n" for i in range(1, n // 30 + 2))
    ),
    "dbs-text same id": lambda n: _dbs_text(
        *("[WARN] 5.1 - Ensure the same thing\n" for _ in range(n // 35 + 1))
    ),
    "dbs-text continuations": lambda n: _dbs_text(
        "[WARN] 5.1 - Ensure\n", *("word\n" for _ in range(n // 5))
    ),
    # docker-bench JSON
    "dbs-json broken, one long desc": lambda n: (
        '{"dockerbenchsecurity": "1.6.0", "tests": [{"id": "1", "desc": "x", "results": ['
        '{"id": "1.1", "desc": "' + 'a\\" ' * (n // 4)
    ).encode(),
    "dbs-json broken, details everywhere": lambda n: (
        '{"dockerbenchsecurity": "1.6.0", "tests": [{"id": "1", "desc": "x", "results": ['
        '{"id": "1.1", "desc": "d", "result": "WARN", ' + '"details": "x' * (n // 13)
    ).encode(),
    "dbs-json broken, same id": lambda n: (
        '{"dockerbenchsecurity": "1.6.0", "tests": [{"id": "1", "desc": "x", "results": ['
        + '{"id": "1.1", "desc": "d", "result": "WARN"},' * (n // 45)
    ).encode(),
    "dbs-json broken, items": lambda n: (
        '{"dockerbenchsecurity": "1.6.0", "tests": [{"id": "5", "desc": "x", "results": ['
        '{"id": "5.7", "desc": "d", "result": "WARN", "items": [' + '"a:1",' * (n // 6)
    ).encode(),
    "dbs-json flat keys": lambda n: json.dumps(
        {"dockerbenchsecurity": "1.3.4", **{f"9.{i}": "WARN: x" for i in range(n // 15)}}
    ).encode(),
    "dbs-json structured": lambda n: json.dumps(
        {
            "dockerbenchsecurity": "1.6.0",
            "tests": [
                {
                    "id": "5",
                    "desc": "Container Runtime",
                    "results": [
                        {"id": "5.7", "desc": "Ensure x", "result": "WARN", "items": ["a:1"]}
                        for _ in range(n // 80)
                    ],
                }
            ],
        }
    ).encode(),
    # kube-bench
    "kb-json findings": lambda n: json.dumps(
        {"Controls": [_kb_controls([_kb_result(i) for i in range(n // 90)])]}
    ).encode(),
    "kb-json versions": lambda n: "\n".join(
        json.dumps({**_kb_controls([_kb_result(1)]), "version": f"v{i}"}) for i in range(n // 260)
    ).encode(),
    "kb-json suffixes": lambda n: json.dumps(
        {"Controls": [_kb_controls([_kb_result(1, title="x" + " (Manual)" * (n // 9))])]}
    ).encode(),
    "kb-json title repeating a keyword": lambda n: json.dumps(
        {"Controls": [_kb_controls([_kb_result(1, title="etcd docker.sock " * (n // 17))])]}
    ).encode(),
    "dbs-text title repeating a keyword": lambda n: _dbs_text(
        "[WARN] 5.31 - Ensure " + "docker.sock " * (n // 12) + "\n"
    ),
    "kb-text remediations": lambda n: (
        "[INFO] 4 Worker Node Security Configuration\n[INFO] 4.1 Files\n"
        + "".join(f"[FAIL] 4.1.{i} Ensure thing {i} (Automated)\n" for i in range(n // 80 + 1))
        + "== Remediations node ==\n"
        + "".join(f"4.1.{i} Fix it\nmore text\n" for i in range(n // 80 + 1))
    ).encode(),
    "kb-text summary spaces": lambda n: (
        "[INFO] 4 Worker Node Security Configuration\n[FAIL] 4.1.1 Ensure thing (Automated)\n"
        "== Summary" + " " * n + "x\n"
    ).encode(),
    "kb-junit cases": lambda n: (
        "<testsuites><testsuite name='Worker Node Security Configuration' tests='1'>"
        + "".join(
            f"<testcase name='4.1.{i} Ensure thing' classname='Files'><failure/></testcase>"
            for i in range(n // 80 + 1)
        )
        + "</testsuite></testsuites>"
    ).encode(),
    "kb-junit system-out": lambda n: (
        "<testsuites><testsuite name='Worker Node'>"
        + "".join(
            "<testcase name='4.1.1 x'><system-out>"
            + json.dumps(_kb_result(i)).replace("&", "&amp;").replace("<", "&lt;")
            + "</system-out></testcase>"
            for i in range(n // 120 + 1)
        )
        + "</testsuite></testsuites>"
    ).encode(),
    # sniffing: long runs that look almost like check lines
    "sniff almost-check lines": lambda n: ("[PASS] " + "1." * (n // 2) + " x\n").encode(),
}


def _yaml_model(*sections: str) -> bytes:
    return ("stride_model: 1\nname: m\n" + "".join(sections)).encode()


def _boundary_ring(n: int) -> bytes:
    count = max(2, n // 40)
    return _yaml_model(
        "boundaries:\n",
        *(f"  - {{id: b{i}, name: B, parent: b{(i + 1) % count}}}\n" for i in range(count)),
    )


def _boundary_chain(n: int) -> bytes:
    count = max(2, n // 40)
    return _yaml_model(
        "boundaries:\n",
        *(f"  - {{id: b{i}, name: B, parent: b{i - 1}}}\n" for i in range(1, count)),
        "  - {id: b0, name: B}\n",
    )


# Model files (YAML): what the loader, the validator and the reference checks read.
MODEL_INPUTS: dict[str, Callable[[int], bytes]] = {
    "yaml long plain scalar": lambda n: _yaml_model("description: " + "x " * (n // 2) + "\n"),
    "yaml long quoted escapes": lambda n: _yaml_model('description: "' + "\\t" * (n // 2) + '"\n'),
    "yaml many keys": lambda n: _yaml_model(*(f"k{i}: {i}\n" for i in range(n // 12))),
    "yaml flow list": lambda n: _yaml_model("rule_files: [" + "a, " * (n // 3) + "a]\n"),
    "yaml aliases": lambda n: _yaml_model(
        "x: &a [1, 2, 3, 4, 5, 6, 7, 8]\ny: [" + "*a, " * (n // 4) + "*a]\n"
    ),
    "yaml nesting at the limit": lambda n: _yaml_model(
        *(f"k{i}: " + "[" * 60 + "]" * 60 + "\n" for i in range(n // 130))
    ),
    "yaml duplicate key at the end": lambda n: _yaml_model(
        "a: 1\n", *(f"k{i}: {i}\n" for i in range(n // 12)), "a: 2\n"
    ),
    "yaml control character at the end": lambda n: _yaml_model(
        *(f"k{i}: {i}\n" for i in range(n // 12)), "z: \x07\n"
    ),
    "model boundary ring": _boundary_ring,
    "model boundary chain": _boundary_chain,
    "model elements and flows": lambda n: _yaml_model(
        "elements:\n",
        *(
            f"  - {{id: e{i}, name: E {i}, component: docker.container, pos: [{i}, 0]}}\n"
            for i in range(n // 70)
        ),
        "flows:\n",
        *(f"  - {{id: f{i}, source: e{i}, target: e0, port: 443}}\n" for i in range(n // 70)),
    ),
}
