"""Real compose files import with the services, ports, flows and settings they contain.

The expected facts are written down from reading each file (tests/fixtures/compose), not from
the importer's output.
"""

from __future__ import annotations

import pytest

from stride_desktop.importers import import_files
from stride_desktop.io import validate_model

from .helpers import COMPOSE, flow, pairs, props, warnings


@pytest.fixture(scope="module")
def flask() -> object:
    return import_files([COMPOSE / "awesome-compose__nginx-flask-mysql-compose.yml"])


def test_nginx_flask_mysql_services_networks_and_exposure(flask) -> None:
    model = flask.model
    assert validate_model(model) == []
    assert flask.format == "compose"
    assert {e.id for e in model.elements if e.component == "docker.container"} == {
        "svc.db",
        "svc.backend",
        "svc.proxy",
    }
    member = {e.id: e.boundary for e in model.elements}
    assert member["svc.db"] == "net.backnet"  # only on backnet
    assert member["svc.proxy"] == "net.frontnet"
    assert member["svc.backend"] == "docker-host"  # bridges both networks
    assert model.boundary("net.backnet").parent == "docker-host"
    assert model.boundary("internet").trust == 0
    assert flow(model, "users", "svc.proxy").port == 80
    assert flow(model, "users", "svc.backend").port == 8000
    assert props(model, "svc.backend")["published_ports"] == ["8000:8000"]
    assert props(model, "svc.backend")["exposed_to_internet"] is True
    assert props(model, "svc.backend")["build_context"] == "backend"
    assert props(model, "svc.db")["image"] == "mariadb:10-focal"
    assert props(model, "svc.db")["exposed_ports"] == ["3306", "33060"]
    assert props(model, "svc.db")["healthcheck"] is True
    assert props(model, "svc.db")["restart_policy"] == "always"
    assert "secrets_in_env" not in props(model, "svc.db")  # MYSQL_ROOT_PASSWORD_FILE is a path
    assert warnings(flask) == []


def test_nginx_flask_mysql_flows_and_stores(flask) -> None:
    model = flask.model
    backend_db = flow(model, "svc.backend", "svc.db")  # depends_on
    assert backend_db.protocol == "mysql" and backend_db.data == "confidential"
    proxy_backend = flow(model, "svc.proxy", "svc.backend")
    assert (proxy_backend.protocol, proxy_backend.port) == ("http", 8000)  # backend's one port
    assert flow(model, "svc.db", "vol.db-data").protocol == "file"
    secret = model.element("secret.db-password")
    assert secret.component == "docker.secret"
    assert secret.properties == {"source": "file", "in_repository": True}  # db/password.txt
    assert flow(model, "secret.db-password", "svc.db").data == "secret"
    assert flow(model, "secret.db-password", "svc.backend").name == "/run/secrets/db-password"


@pytest.fixture(scope="module")
def voting() -> object:
    return import_files([COMPOSE / "example-voting-app__docker-compose.yml"])


def test_voting_app_profiles_ports_and_dependencies(voting) -> None:
    model = voting.model
    assert validate_model(model) == []
    containers = {e.id for e in model.elements if e.component == "docker.container"}
    assert containers == {"svc.vote", "svc.result", "svc.worker", "svc.redis", "svc.db"}
    assert any("service seed" in str(n) and "profile seed" in str(n) for n in voting.notices)
    assert flow(model, "users", "svc.vote").port == 8080
    assert flow(model, "users", "svc.result").port == 8081
    # 127.0.0.1:9229:9229 serves only the host itself
    assert model.element("local-user").boundary == "docker-host"
    assert flow(model, "local-user", "svc.result").port == 9229
    assert flow(model, "local-user", "svc.result").channel == "loopback"
    assert flow(model, "users", "svc.vote").channel == "network"
    assert pairs(model, prefix="svc.") >= {
        ("svc.vote", "svc.redis"),
        ("svc.result", "svc.db"),
        ("svc.worker", "svc.redis"),
        ("svc.worker", "svc.db"),
    }
    # back-tier holds the services that use it alone; front-tier's only such service (seed) is
    # left out, so it draws no boundary
    members = {e.id for e in model.elements if e.boundary == "net.back-tier"}
    assert members == {"svc.worker", "svc.redis", "svc.db"}
    assert model.boundary("net.front-tier") is None


def test_voting_app_settings_and_mounts(voting) -> None:
    model = voting.model
    assert props(model, "svc.db")["secrets_in_env"] is True  # POSTGRES_PASSWORD: "postgres"
    assert props(model, "svc.vote")["build_context"] == "./vote"
    assert props(model, "svc.vote")["bind_mounts"] == ["./vote"]
    healthchecks = model.element("bind.healthchecks")
    assert healthchecks.properties["bind_mount"] is True
    assert healthchecks.properties["shared"] is True  # redis and db both mount it
    assert flow(model, "svc.db", "vol.db-data").protocol == "file"


def test_a_value_equal_to_a_service_name_is_not_a_flow(voting) -> None:
    # db's POSTGRES_USER: "postgres" names no host; no service is called postgres either way,
    # and no flow leaves db
    assert not any(f.source == "svc.db" and f.target.startswith("svc.") for f in voting.model.flows)


@pytest.fixture(scope="module")
def airflow() -> object:
    return import_files([COMPOSE / "airflow__docker-compose.yaml"])


def test_airflow_anchors_merge_keys_profiles_and_interpolation(airflow) -> None:
    model = airflow.model
    assert validate_model(model) == []
    services = {e.name for e in model.elements if e.component == "docker.container"}
    assert services == {
        "postgres",
        "redis",
        "airflow-webserver",
        "airflow-scheduler",
        "airflow-worker",
        "airflow-triggerer",
        "airflow-init",
    }  # airflow-cli (profile debug) and flower (profile flower) are left out
    web = props(model, "svc.airflow-webserver")
    assert web["image"] == "apache/airflow:|version|"  # ${AIRFLOW_IMAGE_NAME:-apache/...}
    assert web["user"] == "50000:0"  # "${AIRFLOW_UID:-50000}:0"
    assert web["published_ports"] == ["8080:8080"]  # unquoted, not read as a sexagesimal
    assert props(model, "svc.airflow-init")["user"] == "0:0"
    assert props(model, "svc.redis")["exposed_ports"] == ["6379"]
    assert any("AIRFLOW_UID is not set" in w for w in warnings(airflow))


def test_airflow_urls_in_the_environment_are_flows(airflow) -> None:
    model = airflow.model
    for worker in ("airflow-webserver", "airflow-scheduler", "airflow-worker", "airflow-init"):
        db = flow(model, f"svc.{worker}", "svc.postgres")
        # postgresql+psycopg2://airflow:airflow@postgres/airflow
        assert (db.protocol, db.port, db.authenticated) == ("postgresql", 5432, "basic")
        broker = flow(model, f"svc.{worker}", "svc.redis")
        # redis://:@redis:6379/0 carries no password
        assert (broker.protocol, broker.port, broker.authenticated) == ("redis", 6379, "none")
        assert props(model, f"svc.{worker}")["secrets_in_env"] is True
    # airflow-init is a job that has exited (service_completed_successfully): no flow to it
    assert not any(f.target == "svc.airflow-init" for f in model.flows)
    assert model.element("bind.project-folder").properties["host_path"] == "."


@pytest.fixture(scope="module")
def iris() -> object:
    return import_files([COMPOSE / "iris-web" / "docker-compose.yml"])


def test_iris_extends_another_file_and_reads_the_env_file(iris) -> None:
    model = iris.model
    assert validate_model(model) == []
    assert warnings(iris) == []
    app = props(model, "svc.app")
    assert app["image"] == "ghcr.io/dfir-iris/iriswebapp_app:v2.4.19"  # tag default, no .env
    assert app["container_name"] == "iriswebapp_app"  # from docker-compose.base.yml
    assert app["secrets_in_env"] is True  # POSTGRES_PASSWORD=__MUST_BE_CHANGED__ via .env
    assert model.element("svc.app").boundary == "docker-host"  # iris_backend and iris_frontend
    assert model.element("svc.nginx").boundary == "net.iris_frontend"
    backend = {e.id for e in model.elements if e.boundary == "net.iris_backend"}
    assert backend == {"svc.rabbitmq", "svc.db", "svc.worker"}
    assert flow(model, "users", "svc.nginx").port == 443  # ${INTERFACE_HTTPS_PORT:-443}


def test_iris_flows_from_depends_on_env_hosts_and_arguments(iris) -> None:
    model = iris.model
    db = flow(model, "svc.app", "svc.db")  # POSTGRES_SERVER=db with POSTGRES_PORT=5432
    assert (db.protocol, db.port) == ("postgresql", 5432)
    broker = flow(model, "svc.app", "svc.rabbitmq")  # CELERY_BROKER=amqp://rabbitmq
    assert (broker.protocol, broker.port) == ("amqp", 5672)
    upstream = flow(model, "svc.nginx", "svc.app")  # IRIS_UPSTREAM_SERVER=app, ..._PORT=8000
    assert (upstream.protocol, upstream.port) == ("http", 8000)
    assert "command argument app:8000" in flow(model, "svc.worker", "svc.app").description
    certificates = flow(model, "bind.certificates", "svc.app")  # mounted :ro, so read
    assert certificates.protocol == "file"


def test_iris_files_merge_in_the_order_given() -> None:
    folder = COMPOSE / "iris-web"
    result = import_files([folder / "docker-compose.yml", folder / "docker-compose.dev.yml"])
    model = result.model
    assert validate_model(model) == []
    app = props(model, "svc.app")
    assert app["image"] == "iriswebapp_app:develop"  # the later file wins
    assert app["published_ports"] == ["127.0.0.1:8000:8000"]
    assert "exposed_to_internet" not in app  # bound to the host only
    assert "./source/app" in app["bind_mounts"]  # volumes of both files
    assert app["build_context"] == "."
    assert flow(model, "local-user", "svc.db").port == 5432
