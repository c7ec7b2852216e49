"""No Docker engine runs here, so the compose file is checked by reading it."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def procfile():
    lines = (ROOT / "Procfile").read_text().splitlines()
    return dict(line.split(": ", 1) for line in lines if line.strip())


def test_compose_runs_the_five_services_with_healthchecks():
    services = compose()["services"]
    assert set(services) == {"postgres", "redis", "web", "worker", "beat"}
    for name in services:
        assert "healthcheck" in services[name], name


def test_compose_commands_match_the_makefile_processes():
    services = compose()["services"]
    assert services["web"]["command"][0] == "gunicorn"
    assert "clinic.wsgi:application" in services["web"]["command"]
    for name in ["worker", "beat"]:
        command = services[name]["command"]
        assert command[:4] == ["celery", "-A", "clinic", name]
        assert " ".join(command[1:4]) in procfile()[name]


def test_compose_services_wait_for_healthy_dependencies():
    services = compose()["services"]
    for name in ["web", "worker", "beat"]:
        depends = services[name]["depends_on"]
        assert depends["postgres"]["condition"] == "service_healthy"
        assert depends["redis"]["condition"] == "service_healthy"
        env = services[name]["environment"]  # shared by the three app services
        assert env["DATABASE_URL"].startswith("postgres://")
        assert env["REDIS_URL"].startswith("redis://redis:6379")
        assert env["DJANGO_ENV"] == "production"
