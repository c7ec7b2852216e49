"""No Docker engine runs here, so the compose file is checked by reading it."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def procfile():
    lines = (ROOT / "Procfile").read_text().splitlines()
    return dict(line.split(": ", 1) for line in lines if line.strip())


def test_compose_runs_the_six_services_with_healthchecks():
    services = compose()["services"]
    assert set(services) == {"proxy", "postgres", "redis", "web", "worker", "beat"}
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
        assert env["REDIS_URL"].startswith("redis://:${REDIS_PASSWORD")
        assert env["REDIS_URL"].endswith("@redis:6379/0")
        assert env["DJANGO_ENV"] == "production"


def test_the_image_ships_the_exercise_library():
    """careplans/library.yaml is read at run time, by the pages and by `load_library`: the
    image copies it (nothing in .dockerignore leaves it out) and installs PyYAML with the
    runtime dependencies, not only the dev ones."""
    import fnmatch
    import tomllib

    assert "COPY . ." in (ROOT / "Dockerfile").read_text()
    ignored = [
        line.strip().rstrip("/")
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    for path in ("careplans", "careplans/library.yaml"):
        assert not [pattern for pattern in ignored if fnmatch.fnmatch(path, pattern)], path
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert any(dep.lower().startswith("pyyaml==") for dep in project["dependencies"])


def test_the_release_step_loads_the_library_after_migrating():
    """Migrations do not load the exercise library; the release step does, after migrate."""
    release = next(
        line for line in (ROOT / "docker-compose.yml").read_text().splitlines() if "migrate" in line
    )
    assert release.index("manage.py migrate") < release.index("manage.py load_library")
    makefile = (ROOT / "Makefile").read_text()
    assert makefile.index("manage.py migrate") < makefile.index("manage.py load_library")


def test_the_image_build_passes_the_production_settings_guard():
    """collectstatic runs under DJANGO_ENV=production: its build-time key must be long enough
    for the settings' refusal of short keys."""
    line = next(
        line for line in (ROOT / "Dockerfile").read_text().splitlines() if "SECRET_KEY=" in line
    )
    key = line.split("SECRET_KEY=", 1)[1].split()[0]
    assert len(key) >= 50


def test_only_the_tls_proxy_publishes_ports():
    """Finding 5: gunicorn trusts X-Forwarded-Proto, so nothing but the proxy may reach it."""
    services = compose()["services"]
    published = {name for name, service in services.items() if service.get("ports")}
    assert published == {"proxy"}
    proxy = services["proxy"]
    image, tag = proxy["image"].split(":")
    assert image == "caddy" and tag[0].isdigit() and tag.count(".") == 2  # a pinned release
    assert "./deploy/Caddyfile:/etc/caddy/Caddyfile:ro" in proxy["volumes"]
    assert "reverse_proxy web:8000" in (ROOT / "deploy/Caddyfile").read_text()
    assert services["web"]["environment"]["TRUSTED_PROXY_COUNT"] == "1"


def test_redis_needs_a_password():
    redis = compose()["services"]["redis"]
    assert "--requirepass" in redis["command"]
    assert redis["command"][redis["command"].index("--requirepass") + 1].startswith(
        "${REDIS_PASSWORD:?"
    )
