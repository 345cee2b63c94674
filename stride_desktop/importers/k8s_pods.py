"""What a workload's pod template says: risky settings, and what the pod reads and names.

Settings are judged over every container, init containers included (a privileged init container
is as dangerous as a privileged main one); a setting that protects only counts when every
container has it. A container's securityContext overrides the pod's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .compose_props import SECRET_WORDS
from .hosts import expand_k8s_vars
from .k8s_objects import K8sObject

SECCOMP = {"RuntimeDefault": "RuntimeDefault", "Localhost": "Localhost", "Unconfined": "Unconfined"}
SECCOMP_ANNOTATION = "seccomp.security.alpha.kubernetes.io/pod"


@dataclass
class Ref:
    """A ConfigMap, Secret or claim a pod uses, and how."""

    name: str
    path: str  # where in the object
    optional: bool = False
    as_env: bool = False
    read_only: bool = False
    mount: str = ""  # mount path, for volumes


@dataclass
class EnvValue:
    container: str
    key: str
    value: str | None  # None: from a ConfigMap key, see config
    path: str
    config: tuple[str, str] | None = None  # (ConfigMap name, key)


@dataclass
class PodFacts:
    spec_path: str
    labels: dict[str, str]
    properties: dict[str, Any] = field(default_factory=dict)
    service_account: str = "default"
    automount: bool | None = None
    configmaps: list[Ref] = field(default_factory=list)
    secrets: list[Ref] = field(default_factory=list)
    claims: list[Ref] = field(default_factory=list)
    env: list[EnvValue] = field(default_factory=list)
    args: list[tuple[str, str]] = field(default_factory=list)  # (container, argument)
    named_ports: dict[str, int] = field(default_factory=dict)
    ports: set[int] = field(default_factory=set)


def pod_template(obj: K8sObject) -> tuple[dict[str, Any], dict[str, str], str] | None:
    """(pod spec, pod labels, path of the spec) of a workload object."""
    if obj.kind == "Pod":
        return obj.spec(), obj.labels(), "spec"
    spec, path = obj.spec(), "spec"
    if obj.kind == "CronJob":
        job = _dict(_dict(spec.get("jobTemplate")).get("spec"))
        spec, path = job, "spec.jobTemplate.spec"
    template = spec.get("template")
    if not isinstance(template, dict):
        return None
    pod = template.get("spec")
    meta = template.get("metadata")
    labels = meta.get("labels") if isinstance(meta, dict) else None
    if not isinstance(pod, dict):
        return None
    labels = {str(k): str(v) for k, v in labels.items()} if isinstance(labels, dict) else {}
    return pod, labels, f"{path}.template.spec"


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def mutable_tag(image: str) -> bool:
    """``nginx``, ``nginx:latest``: the tag can point at other code tomorrow (a digest cannot)."""
    if "@" in image:
        return False
    last = image.rsplit("/", 1)[-1]
    return ":" not in last or last.endswith(":latest")


def _containers(pod: dict[str, Any], path: str) -> list[tuple[dict[str, Any], str, bool]]:
    found = []
    for key, main in (
        ("containers", True),
        ("initContainers", False),
        ("ephemeralContainers", False),
    ):
        for i, c in enumerate(_list(pod.get(key))):
            if isinstance(c, dict):
                found.append((c, f"{path}.{key}[{i}]", main))
    return found


def _security(
    pod: dict[str, Any], containers: list[tuple[dict, str, bool]], annotations: dict[str, str]
) -> dict[str, Any]:
    pod_sc = _dict(pod.get("securityContext"))
    props: dict[str, Any] = {}
    scs = [_dict(c.get("securityContext")) for c, _, _ in containers]
    mains = [(_dict(c.get("securityContext")), c) for c, _, main in containers if main]
    if any(sc.get("privileged") is True for sc in scs):
        props["privileged"] = True
    if scs and all(
        sc.get("allowPrivilegeEscalation") is False and sc.get("privileged") is not True
        for sc in scs
    ):
        props["allow_privilege_escalation"] = False

    def non_root(sc: dict[str, Any]) -> bool:
        flag = sc.get("runAsNonRoot", pod_sc.get("runAsNonRoot"))
        user = sc.get("runAsUser", pod_sc.get("runAsUser"))
        return flag is True or (isinstance(user, int) and not isinstance(user, bool) and user != 0)

    if scs and all(non_root(sc) for sc in scs):
        props["run_as_non_root"] = True
    if mains and all(sc.get("readOnlyRootFilesystem") is True for sc, _ in mains):
        props["read_only_rootfs"] = True
    if mains and all(
        {"cpu", "memory"} <= set(_dict(_dict(c.get("resources")).get("limits"))) for _, c in mains
    ):
        props["resource_limits"] = True
    caps = sorted(
        {str(cap) for sc in scs for cap in _list(_dict(sc.get("capabilities")).get("add"))}
    )
    if caps:
        props["cap_add"] = caps
    pod_profile = _dict(pod_sc.get("seccompProfile")).get("type")
    profiles = [_dict(sc.get("seccompProfile")).get("type") or pod_profile for sc in scs]
    legacy = annotations.get(SECCOMP_ANNOTATION, "")
    if legacy in ("runtime/default", "docker/default"):
        profiles = [p or "RuntimeDefault" for p in profiles]
    elif legacy.startswith("localhost/"):
        profiles = [p or "Localhost" for p in profiles]
    if profiles and all(p in ("RuntimeDefault", "Localhost") for p in profiles):
        props["seccomp_profile"] = "Localhost" if "Localhost" in profiles else "RuntimeDefault"
    return props


def analyze_pod(obj: K8sObject) -> PodFacts | None:
    """The facts of a workload's pods; None when it has no pod template."""
    found = pod_template(obj)
    if found is None:
        return None
    pod, labels, spec_path = found
    spec_path = obj.at(spec_path)
    facts = PodFacts(spec_path, labels)
    containers = _containers(pod, spec_path)
    template_meta = _dict(_dict(obj.spec().get("template")).get("metadata"))
    notes = {str(k): str(v) for k, v in _dict(template_meta.get("annotations")).items()}
    props = facts.properties
    props.update(_security(pod, containers, notes | obj.annotations()))
    images = []
    for c, _, main in containers:
        image = c.get("image")
        if isinstance(image, str) and image:
            if main and image not in images:
                images.append(image)
            if mutable_tag(image):
                props["image_mutable_tag"] = True
    if images:
        props["image"] = ", ".join(images)
    if pod.get("hostNetwork") is True:
        props["host_network"] = True
    if pod.get("hostPID") is True or pod.get("hostIPC") is True:
        props["host_pid"] = True
    account = pod.get("serviceAccountName") or pod.get("serviceAccount")
    facts.service_account = account if isinstance(account, str) and account else "default"
    automount = pod.get("automountServiceAccountToken")
    facts.automount = automount if isinstance(automount, bool) else None
    _volumes(pod, containers, facts)
    _environment(containers, facts)
    return facts


def _volumes(
    pod: dict[str, Any], containers: list[tuple[dict, str, bool]], facts: PodFacts
) -> None:
    mounts: dict[str, tuple[str, bool]] = {}
    for c, _, _ in containers:
        for m in _list(c.get("volumeMounts")):
            if isinstance(m, dict) and isinstance(m.get("name"), str):
                read_only = bool(m.get("readOnly")) and mounts.get(m["name"], ("", True))[1]
                mounts[m["name"]] = (str(m.get("mountPath") or ""), read_only)
    for i, volume in enumerate(_list(pod.get("volumes"))):
        if not isinstance(volume, dict):
            continue
        path = f"{facts.spec_path}.volumes[{i}]"
        mount, read_only = mounts.get(str(volume.get("name")), ("", False))
        if isinstance(volume.get("hostPath"), dict):
            facts.properties["host_path"] = True
        config, secret, claim = (
            _dict(volume.get(k)) for k in ("configMap", "secret", "persistentVolumeClaim")
        )
        if isinstance(config.get("name"), str):
            facts.configmaps.append(
                Ref(config["name"], path, bool(config.get("optional")), mount=mount)
            )
        if isinstance(secret.get("secretName"), str):
            facts.secrets.append(
                Ref(secret["secretName"], path, bool(secret.get("optional")), mount=mount)
            )
        if isinstance(claim.get("claimName"), str):
            facts.claims.append(
                Ref(
                    claim["claimName"],
                    path,
                    read_only=read_only or bool(claim.get("readOnly")),
                    mount=mount,
                )
            )
        for j, source in enumerate(_list(_dict(volume.get("projected")).get("sources"))):
            source = _dict(source)
            for key, refs in (("configMap", facts.configmaps), ("secret", facts.secrets)):
                named = _dict(source.get(key))
                if isinstance(named.get("name"), str):
                    refs.append(
                        Ref(
                            named["name"],
                            f"{path}.projected.sources[{j}]",
                            bool(named.get("optional")),
                            mount=mount,
                        )
                    )


def _environment(containers: list[tuple[dict, str, bool]], facts: PodFacts) -> None:
    for c, path, _ in containers:
        name = str(c.get("name") or "")
        for port in _list(c.get("ports")):
            number = _dict(port).get("containerPort")
            if isinstance(number, int) and not isinstance(number, bool):
                facts.ports.add(number)
                if isinstance(_dict(port).get("name"), str):
                    facts.named_ports[port["name"]] = number
        for i, source in enumerate(_list(c.get("envFrom"))):
            source = _dict(source)
            for field_name, refs in (
                ("configMapRef", facts.configmaps),
                ("secretRef", facts.secrets),
            ):
                named = _dict(source.get(field_name))
                if isinstance(named.get("name"), str):
                    refs.append(
                        Ref(
                            named["name"],
                            f"{path}.envFrom[{i}]",
                            bool(named.get("optional")),
                            as_env=True,
                        )
                    )
                    if field_name == "secretRef":
                        facts.properties["secrets_in_env"] = True
                    else:
                        facts.env.append(
                            EnvValue(name, "*", None, f"{path}.envFrom[{i}]", (named["name"], "*"))
                        )
        values: dict[str, str] = {}
        for i, var in enumerate(_list(c.get("env"))):
            var = _dict(var)
            if not isinstance(var.get("name"), str):
                continue
            key = str(var["name"])
            where = f"{path}.env[{i}]"
            source = _dict(var.get("valueFrom"))
            secret = _dict(source.get("secretKeyRef"))
            config = _dict(source.get("configMapKeyRef"))
            if isinstance(secret.get("name"), str):
                facts.secrets.append(
                    Ref(secret["name"], where, bool(secret.get("optional")), as_env=True)
                )
                facts.properties["secrets_in_env"] = True
            elif isinstance(config.get("name"), str):
                facts.configmaps.append(
                    Ref(config["name"], where, bool(config.get("optional")), as_env=True)
                )
                facts.env.append(
                    EnvValue(name, key, None, where, (config["name"], str(config.get("key"))))
                )
            elif "value" in var and var["value"] is not None:
                value = expand_k8s_vars(str(var["value"]), values)
                values[key] = value
                facts.env.append(EnvValue(name, key, value, where))
                if value and SECRET_WORDS.search(key.upper()) and not key.upper().endswith("_FILE"):
                    facts.properties["secrets_in_env"] = True
        for key in ("command", "args"):
            for arg in _list(c.get(key)):
                if isinstance(arg, str | int):
                    facts.args.append((name, expand_k8s_vars(str(arg), values)))
