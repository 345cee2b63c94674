"""Compose features one by one, on small files written for the purpose."""

from __future__ import annotations

from pathlib import Path

from stride_desktop.importers import import_files
from stride_desktop.importers.hosts import host_refs
from stride_desktop.io import validate_model

from .helpers import flow, props, warnings

RISKY = """\
name: risky
services:
  agent:
    image: portainer/agent
    privileged: true
    cap_add: [SYS_ADMIN, NET_ADMIN]
    cap_drop: [ALL]
    network_mode: host
    pid: host
    ipc: host
    read_only: true
    user: "1000"
    mem_limit: 512m
    pids_limit: 100
    security_opt: ["no-new-privileges:true", "seccomp=unconfined", "apparmor:unconfined"]
    volumes:
      - /var/run/docker.sock:/var/run/docker.sock
      - type: bind
        source: /etc
        target: /host/etc
        read_only: true
  api:
    image: example/api:2
    deploy: {resources: {limits: {cpus: "0.5", memory: 256M, pids: 64}}}
    links: ["db:database"]
    environment:
      - DATABASE_URL=postgres://app:secret@database:5432/app
    ports:
      - target: 8080
        published: "80"
        host_ip: 0.0.0.0
        protocol: tcp
    networks: [front, back]
    configs: [nginx_conf]
    secrets: [{source: api_key, target: /run/secrets/key}]
  db:
    extends: base
    networks: [back]
  base:
    image: postgres:16
    restart: unless-stopped
networks:
  front: {}
  back: {internal: true}
configs:
  nginx_conf: {file: ./nginx.conf}
secrets:
  api_key: {environment: API_KEY}
"""


def test_risky_settings_become_container_properties(tmp_path: Path) -> None:
    path = tmp_path / "compose.yaml"
    path.write_text(RISKY)
    result = import_files([path])
    model = result.model
    assert validate_model(model) == []
    assert model.name == "risky (docker compose)"
    agent = props(model, "svc.agent")
    assert agent["privileged"] is True
    assert agent["cap_add"] == ["SYS_ADMIN", "NET_ADMIN"] and agent["cap_drop_all"] is True
    assert agent["host_network"] and agent["host_pid"] and agent["host_ipc"]
    assert agent["network"] == "host"
    assert agent["read_only_rootfs"] is True and agent["user"] == "1000"
    assert (agent["memory_limit"], agent["pids_limit"]) == ("512m", 100)
    assert agent["no_new_privileges"] is True
    assert agent["seccomp_profile"] == "unconfined" and agent["apparmor_profile"] == "unconfined"
    assert agent["mounts_docker_socket"] is True and agent["sensitive_mounts"] is True
    # the socket is drawn with the daemon behind it
    assert flow(model, "svc.agent", "docker-sock").protocol == "unix"
    assert flow(model, "svc.agent", "docker-sock").channel == "unix_socket"
    assert flow(model, "docker-sock", "dockerd").name == "Engine API"
    assert flow(model, "bind.etc", "svc.agent").name == "read /host/etc"  # read_only: true
    assert flow(model, "bind.etc", "svc.agent").channel == "mount"
    api = props(model, "svc.api")
    assert (api["cpu_limit"], api["memory_limit"], api["pids_limit"]) == ("0.5", "256M", 64)
    assert api["secrets_in_env"] is True  # a password inside the URL


def test_links_urls_internal_networks_configs_and_secrets(tmp_path: Path) -> None:
    path = tmp_path / "compose.yaml"
    path.write_text(RISKY)
    model = import_files([path]).model
    db = flow(model, "svc.api", "svc.db")  # links db:database; the URL names the alias
    assert (db.protocol, db.port, db.authenticated) == ("postgresql", 5432, "basic")
    assert db.channel == "network" and flow(model, "users", "svc.api").channel == "network"
    assert "links db:database" in db.description
    assert model.boundary("net.back").trust == 3  # internal: true
    assert model.element("svc.db").boundary == "net.back"
    assert props(model, "svc.db")["image"] == "postgres:16"  # extends: base (same file)
    assert props(model, "svc.db")["restart_policy"] == "unless-stopped"
    assert flow(model, "users", "svc.api").port == 80
    assert model.element("config.nginx_conf").component == "docker.config"
    assert flow(model, "config.nginx_conf", "svc.api").name == "/nginx_conf"
    assert props(model, "secret.api_key") == {"source": "environment"}
    assert flow(model, "secret.api_key", "svc.api").name == "/run/secrets/key"


def test_a_port_published_on_an_internal_network_only_is_unreachable(tmp_path: Path) -> None:
    path = tmp_path / "compose.yaml"
    path.write_text(
        "services:\n  db:\n    image: postgres\n    ports: ['5432:5432']\n    networks: [back]\n"
        "networks:\n  back: {internal: true}\n"
    )
    result = import_files([path])
    assert not any(f.target == "svc.db" and f.source == "users" for f in result.model.flows)
    assert any("only on internal networks" in w for w in warnings(result))


def test_env_file_interpolation_and_pass_through(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text(
        "TAG=1.2\nexport STORE_ADDR=store:3306 # the database\nBROKEN LINE\n"
    )
    (tmp_path / "app.env").write_text("CACHE_HOST=cache\n")
    (tmp_path / "compose.yaml").write_text(
        "services:\n"
        "  app:\n"
        "    image: 'app:${TAG}'\n"
        "    env_file: [app.env]\n"
        "    environment:\n"
        "      - PRICE=$$5\n"
        "      - STORE_ADDR\n"
        "  cache: {image: 'redis:${REDIS:-7}'}\n"
        "  store: {image: mysql}\n"
    )
    result = import_files([tmp_path / "compose.yaml"])
    model = result.model
    assert props(model, "svc.app")["image"] == "app:1.2"
    assert props(model, "svc.cache")["image"] == "redis:7"
    assert flow(model, "svc.app", "svc.cache").protocol == "redis"  # CACHE_HOST from env_file
    assert flow(model, "svc.app", "svc.store").port == 3306  # STORE_ADDR passed through .env
    assert any(".env: line 3: not NAME=value" in w for w in warnings(result))


def test_the_issue_examples_of_what_names_a_host() -> None:
    assert [r.host for r in host_refs("DB_HOST", "db")] == ["db"]
    assert [(r.host, r.port) for r in host_refs("X", "postgres://db:5432/x")] == [("db", 5432)]
    assert [(r.host, r.port) for r in host_refs("X", "http://api:8080")] == [("api", 8080)]
    assert host_refs("MYSQL_USER", "wordpress") == []
    assert host_refs("DB_NAME", "postgres") == []
    assert host_refs("SERVER_NAME", "iris.app.dev") == []  # the service's own public name


def test_services_sharing_a_network_namespace_talk_over_loopback(tmp_path: Path) -> None:
    """network_mode: service:x joins x's network namespace (a sidecar): what it sends to x,
    or to another service in the same namespace, never leaves the namespace."""
    path = tmp_path / "compose.yaml"
    path.write_text(
        "services:\n"
        "  vpn: {image: example/vpn}\n"
        "  app:\n    image: example/app\n    network_mode: service:vpn\n"
        "    environment: {PROXY_URL: 'http://vpn:3128', CACHE_HOST: cache}\n"
        "  exporter:\n    image: example/exporter\n    network_mode: 'service:app'\n"
        "    depends_on: [app]\n"
        "  cache:\n    image: redis:7\n    ports: ['127.0.0.1:6379:6379']\n"
    )
    model = import_files([path]).model
    assert validate_model(model) == []
    assert flow(model, "svc.app", "svc.vpn").channel == "loopback"
    assert flow(model, "svc.exporter", "svc.app").channel == "loopback"  # through app to vpn's
    assert flow(model, "svc.app", "svc.cache").channel == "network"
    assert flow(model, "local-user", "svc.cache").channel == "loopback"  # 127.0.0.1 only
