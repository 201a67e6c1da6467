"""The production-like deployment: docker-compose.yml, deploy/ and .dockerignore.

No Docker engine is needed. `deploy/check-compose.sh` validates the compose file with the
real Compose v2 (`docker compose config`), nginx.conf with `nginx -t` and prometheus.yml
with `promtool`, installing what is missing; the other tests read the files themselves.
"""

from __future__ import annotations

import base64
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
REQUIRED = {"postgres", "minio", "migrate", "api", "worker", "web"}
LONG_RUNNING = {"postgres", "minio", "api", "worker", "web", "prometheus"}
ONE_SHOT = {"migrate", "minio-init"}
SECRET_NAME = re.compile(r"PASSWORD|SECRET|TOKEN|_KEYS?$|DATABASE_URL|CREDENTIAL", re.I)
URL_WITH_PASSWORD = re.compile(r"://[^/\s:@]+:[^/\s@]+@")


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    data = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    assert isinstance(data, dict)
    return data


@pytest.fixture(scope="module")
def services(compose: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return compose["services"]


def _env(service: dict[str, Any]) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) if "=" in item else (item, "") for item in env)
    return {k: str(v) for k, v in env.items()}


def _strings(node: Any) -> list[str]:
    if isinstance(node, dict):
        return [s for k, v in node.items() for s in [str(k), *_strings(v)]]
    if isinstance(node, list):
        return [s for v in node for s in _strings(v)]
    return [str(node)] if node is not None else []


def _env_file_values(path: Path) -> dict[str, str]:
    out = {}
    for line in path.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, _, value = line.partition("=")
            out[key.strip()] = value.strip()
    return out


def test_check_script_validates_with_real_tools() -> None:
    """docker compose config (required), nginx -t and promtool (when they can be had)."""
    # given the committed deployment files and the example env files
    # when the check script runs (installing Compose v2 from PyPI if it is missing)
    proc = subprocess.run(
        ["bash", str(DEPLOY / "check-compose.sh")],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    # then every check passed, and compose was really validated
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "compose: ok" in proc.stdout, proc.stdout
    assert "all checks passed" in proc.stdout, proc.stdout


def test_required_services_exist(services: dict[str, dict[str, Any]]) -> None:
    assert services.keys() >= REQUIRED
    assert services["prometheus"]["profiles"] == ["monitoring"]
    for name in REQUIRED:
        assert "profiles" not in services[name], f"{name} must start by default"


def test_app_waits_for_migrations(services: dict[str, dict[str, Any]]) -> None:
    for name in ("api", "worker"):
        deps = services[name]["depends_on"]
        assert deps["migrate"]["condition"] == "service_completed_successfully", name
        assert deps["postgres"]["condition"] == "service_healthy", name
        assert deps["minio-init"]["condition"] == "service_completed_successfully", name
    assert services["migrate"]["command"] == ["migrate"]
    assert services["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert services["web"]["depends_on"]["api"]["condition"] == "service_healthy"
    assert services["api"]["command"] == ["serve", "--workers", "${REGSAFE_API_WORKERS:-2}"]
    assert services["worker"]["command"] == ["worker"]


def test_healthchecks(services: dict[str, dict[str, Any]]) -> None:
    for name in ("postgres", "minio", "api", "web", "prometheus"):
        check = services[name].get("healthcheck") or {}
        assert not check.get("disable"), name
        assert check.get("test"), f"{name} has no healthcheck"
    assert "/healthz" in services["api"]["healthcheck"]["test"]
    # The API image's HEALTHCHECK probes :8000, which worker and migrate do not serve.
    for name in ("worker", "migrate"):
        assert services[name]["healthcheck"] == {"disable": True}, name
    assert "HEALTHCHECK" in (DEPLOY / "Dockerfile.api").read_text()
    assert "HEALTHCHECK" in (DEPLOY / "Dockerfile.web").read_text()


def test_restart_policies(services: dict[str, dict[str, Any]]) -> None:
    for name in LONG_RUNNING:
        assert services[name]["restart"] == "unless-stopped", name
    for name in ONE_SHOT:
        assert services[name]["restart"] == "no", name


def test_images_are_pinned(services: dict[str, dict[str, Any]]) -> None:
    for name, svc in services.items():
        image = svc["image"]
        if "build" in svc:  # built here, tagged by REGSAFE_IMAGE_TAG
            assert image.startswith("regsafe-"), name
            continue
        repo, _, tag = image.rpartition(":")
        assert repo and tag and tag != "latest" and not tag.startswith("$"), image
        assert re.search(r"\d", tag), f"{image}: tag pins no version"
    assert services["postgres"]["image"].startswith("postgres:16")


def test_no_literal_secrets(compose: dict[str, Any], services: dict[str, dict[str, Any]]) -> None:
    for name, svc in services.items():
        for key, value in _env(svc).items():
            assert not SECRET_NAME.search(key), (
                f"{name}: secret {key}={value!r} belongs in an env file, not compose"
            )
    for text in _strings(compose):
        assert not URL_WITH_PASSWORD.search(text), text
    # The services that need secrets read them from the git-ignored env files.
    expected = {
        "postgres": "postgres.env",
        "minio": "minio.env",
        "minio-init": "minio.env",
        "migrate": "regsafe.env",
        "api": "regsafe.env",
        "worker": "regsafe.env",
    }
    for name, filename in expected.items():
        files = services[name]["env_file"]
        assert [f for f in files if f.endswith("/" + filename)], name
        assert (DEPLOY / (filename + ".example")).is_file()
    # The database's container never sees the app's encryption keys.
    assert not [f for f in services["postgres"]["env_file"] if "regsafe.env" in f]


def test_env_examples_hold_placeholders_only() -> None:
    for example in sorted(DEPLOY.glob("*.env.example")):
        if example.name == "stack.env.example":
            continue
        for key, value in _env_file_values(example).items():
            # Names, not secrets: the key id and the app's MinIO user name.
            if SECRET_NAME.search(key) and not key.endswith(("_KEY_ID", "_ACCESS_KEY")):
                assert "CHANGE_ME" in value, f"{example.name}: {key} looks like a real secret"
    gitignore = (DEPLOY / ".gitignore").read_text().split()
    assert "*.env" in gitignore


def test_env_examples_agree_on_shared_values() -> None:
    app = _env_file_values(DEPLOY / "regsafe.env.example")
    minio = _env_file_values(DEPLOY / "minio.env.example")
    pg = _env_file_values(DEPLOY / "postgres.env.example")
    required = {
        "REGSAFE_DATABASE_URL",
        "REGSAFE_S3_ACCESS_KEY",
        "REGSAFE_S3_SECRET_KEY",
        "REGSAFE_SECRET_KEY",
        "REGSAFE_DATA_KEYS",
        "REGSAFE_DATA_KEY_ID",
        "REGSAFE_BLIND_INDEX_KEY",
    }
    assert required <= app.keys()
    assert f":{pg['POSTGRES_PASSWORD']}@postgres:5432/" in app["REGSAFE_DATABASE_URL"]
    for key in ("REGSAFE_S3_ACCESS_KEY", "REGSAFE_S3_SECRET_KEY"):
        assert app[key] == minio[key], key


def test_gen_env_writes_consistent_random_secrets(tmp_path: Path) -> None:
    # given an empty directory, when gen-env.sh writes the env files there
    run = ["bash", str(DEPLOY / "gen-env.sh"), str(tmp_path)]
    first = subprocess.run(run, capture_output=True, text=True, check=False)
    assert first.returncode == 0, first.stderr
    app = _env_file_values(tmp_path / "regsafe.env")
    minio = _env_file_values(tmp_path / "minio.env")
    pg = _env_file_values(tmp_path / "postgres.env")
    # then they agree with each other and hold well-formed keys
    assert app["REGSAFE_DATABASE_URL"] == (
        f"postgresql://regsafe:{pg['POSTGRES_PASSWORD']}@postgres:5432/regsafe"
    )
    assert app["REGSAFE_S3_SECRET_KEY"] == minio["REGSAFE_S3_SECRET_KEY"]
    assert len(minio["REGSAFE_S3_SECRET_KEY"]) >= 8
    assert minio["MINIO_ROOT_USER"] != minio["REGSAFE_S3_ACCESS_KEY"]
    kid, _, key = app["REGSAFE_DATA_KEYS"].partition(":")
    assert kid == app["REGSAFE_DATA_KEY_ID"] == "k1"
    for value in (key, app["REGSAFE_SECRET_KEY"], app["REGSAFE_BLIND_INDEX_KEY"]):
        assert len(base64.b64decode(value, validate=True)) == 32
    assert (tmp_path / "regsafe.env").stat().st_mode & 0o077 == 0
    # and a second run refuses to overwrite them
    again = subprocess.run(run, capture_output=True, text=True, check=False)
    assert again.returncode != 0
    assert _env_file_values(tmp_path / "regsafe.env") == app


def test_knobs_are_documented(compose: dict[str, Any]) -> None:
    used = set()
    for text in _strings(compose):
        used |= set(re.findall(r"\$\{([A-Z0-9_]+)", text))
    documented = set(_env_file_values(DEPLOY / "stack.env.example"))
    # REGSAFE_ENV_DIR only moves the env files (the check script points it at examples).
    assert used - {"REGSAFE_ENV_DIR"} <= documented, used - documented


def _default(text: str) -> str:
    """The default of a ``${NAME:-default}`` value (the text itself otherwise)."""
    found = re.fullmatch(r"\$\{[A-Z0-9_]+:-([^}]*)\}", text)
    return found.group(1) if found else text


def test_database_connections_are_bounded(services: dict[str, dict[str, Any]]) -> None:
    """The api and worker containers' pools fit their budgets (else they refuse to
    start), and the budgets fit PostgreSQL's default max_connections with room left."""
    from regsafe.core.settings import Settings, connection_plan

    def settings(name: str) -> Settings:
        env = _env(services[name])
        return Settings(
            db_pool_size=int(_default(env["REGSAFE_DB_POOL_SIZE"])),
            db_max_overflow=int(_default(env["REGSAFE_DB_MAX_OVERFLOW"])),
            db_connection_budget=int(_default(env["REGSAFE_DB_CONNECTION_BUDGET"])),
        )

    workers = int(_default(services["api"]["command"][2]))
    api = connection_plan(settings("api"), api_processes=workers, job_worker=False)
    worker = connection_plan(settings("worker"), api_processes=0, job_worker=True)
    assert api.problem() is None and worker.problem() is None, (api, worker)
    assert "max_connections" not in str(services["postgres"].get("command", ""))  # 100
    assert api.budget + worker.budget <= 100 - 3 - 5  # superuser slots, psql, migrate
    # the stack's knobs say the same
    knobs = _env_file_values(DEPLOY / "stack.env.example")
    assert knobs["REGSAFE_API_WORKERS"] == str(workers)
    assert knobs["REGSAFE_API_DB_CONNECTIONS"] == str(api.budget)


def test_only_the_edge_is_published(services: dict[str, dict[str, Any]]) -> None:
    for name in ("postgres", "api", "worker", "migrate"):
        assert "ports" not in services[name], f"{name} must not be published"
    # Browsers reach MinIO's S3 API directly (presigned URLs), at the same port inside.
    assert any(str(p).endswith(":9000:9000") for p in services["minio"]["ports"])
    assert services["minio"]["networks"]["backend"]["aliases"]
    assert "backend" not in services["web"]["networks"]


def test_nginx_conf() -> None:
    conf = (DEPLOY / "nginx.conf").read_text()
    code = "\n".join(line for line in conf.splitlines() if not line.lstrip().startswith("#"))
    proxied = re.findall(r"location\s+~\s+\^/\(([^)]*)\)\$", code)
    assert proxied == ["graphql|healthz|readyz"]
    assert code.count("proxy_pass") == 1
    assert re.search(r"location = /metrics \{\s*return 404;", code)
    assert "try_files $uri /index.html;" in code
    assert re.search(r"^\s*gzip on;", code, re.M)
    size = re.search(r"client_max_body_size (\d+)([km]?);", code)
    assert size and (size[2] == "k" or (size[2] == "m" and int(size[1]) <= 2))
    csp = re.search(r'add_header Content-Security-Policy "([^"]+)" always;', code)
    assert csp
    assert "default-src 'self'" in csp[1] and "frame-ancestors 'none'" in csp[1]
    assert "connect-src 'self' ${REGSAFE_S3_PUBLIC_ORIGIN}" in csp[1]
    for header in ("X-Content-Type-Options", "Referrer-Policy"):
        assert f"add_header {header} " in code, header
    # add_header in a location would drop the server's security headers there.
    assert "add_header" not in code[code.index("location ") :]


def test_dockerfiles() -> None:
    api = (DEPLOY / "Dockerfile.api").read_text()
    assert len(re.findall(r"^FROM ", api, re.M)) >= 2
    assert re.search(r"^ARG PYTHON_IMAGE=python:3\.11[\w.]*-slim", api, re.M)
    assert "pip install --no-deps ." in api
    assert "COPY migrations/" in api and "alembic.in[i]" in api
    user = re.findall(r"^USER (\S+)", api, re.M)
    assert user and user[-1].split(":")[0] not in ("root", "0")
    web = (DEPLOY / "Dockerfile.web").read_text()
    assert re.search(r"^ARG NODE_IMAGE=node:20", web, re.M)
    assert "npm ci" in web and "npm run build" in web
    assert re.search(r"^ARG NGINX_IMAGE=nginx:", web, re.M)
    assert "deploy/nginx.conf /etc/nginx/templates/nginx.conf.template" in web


def test_dockerignore() -> None:
    lines = [
        line.strip()
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert lines[0] == "*", "allow-list: exclude everything, then re-include"
    included = {line[1:].rstrip("/") for line in lines if line.startswith("!")}
    for path in ("pyproject.toml", "README.md", "backend", "migrations", "frontend/web"):
        assert path in included, path
    for excluded in (".git", ".venv", ".regsafe", "**/node_modules", "**/dist", "**/*.env"):
        assert excluded in lines, excluded
    # Everything the Dockerfiles COPY from the build context is re-included.
    for dockerfile in ("Dockerfile.api", "Dockerfile.web"):
        for line in (DEPLOY / dockerfile).read_text().splitlines():
            words = line.split()
            if not words or words[0] != "COPY" or any(w.startswith("--from") for w in words):
                continue
            sources = [w for w in words[1:-1] if not w.startswith("--")]
            for src in sources:
                path = src.rstrip("/").replace("[", "").replace("]", "")
                assert any(
                    path == inc or path.startswith(inc + "/") or inc.startswith(path + "/")
                    for inc in included
                ), f"{dockerfile}: {src} is excluded by .dockerignore"


@pytest.mark.skipif(shutil.which("sh") is None, reason="no POSIX shell")
def test_shell_scripts_parse() -> None:
    assert subprocess.run(["sh", "-n", str(DEPLOY / "minio-init.sh")], check=False).returncode == 0
    for script in ("check-compose.sh", "gen-env.sh"):
        assert subprocess.run(["bash", "-n", str(DEPLOY / script)], check=False).returncode == 0
