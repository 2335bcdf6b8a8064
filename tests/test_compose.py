"""docker-compose.yml and the Dockerfile, checked where no Docker engine runs.

The compose file is read as Compose reads it (YAML with anchors and merge keys, then
`${VAR:-default}` interpolation with an empty environment, so every default applies) and its
structure is checked, and the Dockerfile's. Then the `migrate` service's command and the `api`
service's command run as local processes, each with its environment from the image and the
compose file. Only what cannot exist outside Docker is changed: NEWSFACTS_DATABASE_URL's host,
port, credentials and database name point at a scratch database on the PostgreSQL server of
NEWSFACTS_TEST_DATABASE_URL instead of the `db` service, the API listens on a free port of
127.0.0.1 instead of 0.0.0.0:8000, and the image's /opt/venv/bin is this virtualenv's bin. The
API is then asked for /readyz and an agenda, and both healthchecks are run against it.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import tomllib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from fnmatch import fnmatch
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
import yaml
from sqlalchemy.engine import URL, make_url
from typer.main import get_command

from app.bundles.loader import seed_bundle_paths
from app.cli import cli
from app.health.router import router as health_router
from tests.databases import POSTGRES_URL_VARIABLE, ScratchDatabases
from tests.live import free_port
from tests.replica import postgres_bindir, postgres_user_command

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
COMPOSE_FILE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
DOCKERIGNORE = ROOT / ".dockerignore"

VENV_BIN = Path(sys.executable).parent  # not resolved: .venv/bin/python may be a symlink
IMAGE_VENV_BIN = "/opt/venv/bin"
# What the python:3.11-slim image sets before the Dockerfile's own ENV.
BASE_IMAGE_ENVIRONMENT = {"PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8"}
SHELLS = {"sh", "/bin/sh", "bash", "/bin/bash"}
MEETING = "lukashenka-putin-meeting-2018"


# --- reading the compose file as Compose does ---------------------------------------------

_VARIABLE = re.compile(
    r"\$(?:(?P<escaped>\$)"
    r"|\{(?P<braced>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?[-?+])(?P<arg>[^}]*))?\}"
    r"|(?P<named>[A-Za-z_][A-Za-z0-9_]*))"
)


def interpolate(text: str, env: Mapping[str, str]) -> str:
    """Compose's substitution: $VAR, ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error},
    ${VAR?error}, ${VAR:+other}, ${VAR+other}, and $$ for a literal $."""

    def substitute(match: re.Match[str]) -> str:
        if match["escaped"]:
            return "$"
        name = match["braced"] or match["named"]
        op, arg = match["op"], match["arg"] or ""
        present = bool(env.get(name)) if op and op.startswith(":") else name in env
        if op in (":-", "-"):
            return env[name] if present else interpolate(arg, env)
        if op in (":?", "?"):
            if not present:
                raise ValueError(f"{name} is required: {arg}")
            return env[name]
        if op in (":+", "+"):
            return interpolate(arg, env) if present else ""
        return env.get(name, "")

    return _VARIABLE.sub(substitute, text)


def interpolated(node: Any, env: Mapping[str, str]) -> Any:
    """A YAML document with every string interpolated."""
    if isinstance(node, str):
        return interpolate(node, env)
    if isinstance(node, list):
        return [interpolated(item, env) for item in node]
    if isinstance(node, dict):
        return {key: interpolated(value, env) for key, value in node.items()}
    return node


def load_compose(env: Mapping[str, str] | None = None) -> dict[str, Any]:
    """docker-compose.yml with anchors merged and variables substituted (defaults by default)."""
    document = yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))
    assert isinstance(document, dict)
    return dict(interpolated(document, env or {}))


def command_argv(command: str | list[Any]) -> list[str]:
    """A compose `command`: a string is split as a shell would split it (but not run by one)."""
    return shlex.split(command) if isinstance(command, str) else [str(arg) for arg in command]


def shell_script(argv: list[str]) -> str | None:
    """The script of `sh -c SCRIPT`, or None when argv runs a program directly."""
    if len(argv) >= 3 and argv[0] in SHELLS and argv[1] == "-c":
        return argv[2]
    return None


def simple_commands(argv: list[str]) -> list[list[str]]:
    """The commands argv runs: itself, or each command of an `sh -c "a && b"` script."""
    script = shell_script(argv)
    if script is None:
        return [argv]
    assert not re.search(r"(?<!&)&(?!&)|;|\|", script), f"only && chains are expected: {script}"
    return [shlex.split(part) for part in script.split("&&")]


def healthcheck_argv(test: str | list[str]) -> list[str]:
    """What a compose healthcheck runs: CMD is exec form, CMD-SHELL and a string a shell."""
    if isinstance(test, str):
        return ["/bin/sh", "-c", test]
    kind, *args = test
    if kind == "CMD":
        return [str(arg) for arg in args]
    assert kind == "CMD-SHELL", f"the healthcheck runs nothing: {test}"
    return ["/bin/sh", "-c", " ".join(args)]


def service_environment(service: Mapping[str, Any]) -> dict[str, str]:
    """A service's `environment`, as a mapping or as a NAME=value list."""
    environment = service.get("environment") or {}
    if isinstance(environment, list):
        pairs = [item.split("=", 1) for item in environment]
        return {pair[0]: pair[1] for pair in pairs if len(pair) == 2}
    return {
        name: str(value).lower() if isinstance(value, bool) else str(value)
        for name, value in environment.items()
        if value is not None  # a bare NAME is passed through from the host: unset here
    }


def depends_on(service: Mapping[str, Any]) -> dict[str, str]:
    """{service: condition}; the short (list) form means service_started."""
    dependencies = service.get("depends_on") or {}
    if isinstance(dependencies, list):
        return dict.fromkeys(dependencies, "service_started")
    return {
        name: (spec or {}).get("condition", "service_started")
        for name, spec in dependencies.items()
    }


def container_ports(service: Mapping[str, Any]) -> set[int]:
    """The container ports a service publishes (short `[ip:]host:container` or long syntax)."""
    ports: set[int] = set()
    for entry in service.get("ports") or []:
        if isinstance(entry, dict):
            ports.add(int(entry["target"]))
        else:
            ports.add(int(str(entry).split(":")[-1].split("/")[0]))
    return ports


def named_volumes(service: Mapping[str, Any]) -> dict[str, str]:
    """{volume name: container path} of the named volumes a service mounts."""
    volumes: dict[str, str] = {}
    for entry in service.get("volumes") or []:
        if isinstance(entry, dict):
            if entry.get("type", "volume") == "volume" and entry.get("source"):
                volumes[entry["source"]] = entry["target"]
            continue
        source, _, rest = str(entry).partition(":")
        if rest and not source.startswith((".", "/", "~")):
            volumes[source] = rest.split(":")[0]
    return volumes


# --- reading the Dockerfile ---------------------------------------------------------------


@dataclass
class Stage:
    """One stage of a Dockerfile: its base image, name, and instructions in order."""

    base: str
    name: str | None
    instructions: list[tuple[str, str]] = field(default_factory=list)

    def all(self, keyword: str) -> list[str]:
        return [args for name, args in self.instructions if name == keyword]

    def last(self, keyword: str) -> str | None:
        found = self.all(keyword)
        return found[-1] if found else None


def dockerfile_stages(text: str) -> list[Stage]:
    """The stages of a Dockerfile: continuation lines joined, comments dropped."""
    lines: list[str] = []
    pending = ""
    for raw in text.splitlines():
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            continue  # also inside a continuation, where Docker skips them too
        if stripped.endswith("\\"):
            pending += stripped[:-1] + " "
            continue
        lines.append(pending + stripped)
        pending = ""
    assert not pending, "the Dockerfile ends in a line continuation"
    stages: list[Stage] = []
    for line in lines:
        keyword, _, args = line.partition(" ")
        keyword, args = keyword.upper(), args.strip()
        if keyword == "FROM":
            words = [word for word in args.split() if not word.startswith("--")]
            name = words[2] if len(words) >= 3 and words[1].upper() == "AS" else None
            stages.append(Stage(words[0], name))
        elif keyword != "ARG" or stages:
            assert stages, f"{keyword} before FROM"
            stages[-1].instructions.append((keyword, args))
    return stages


def instruction_argv(args: str) -> list[str]:
    """CMD's (or a HEALTHCHECK's) command: exec form as is, shell form through /bin/sh -c."""
    if args.startswith("["):
        argv = json.loads(args)
        assert isinstance(argv, list)
        assert all(isinstance(arg, str) for arg in argv)
        return argv
    return ["/bin/sh", "-c", args]


def healthcheck_instruction(args: str) -> tuple[dict[str, str], list[str]]:
    """A HEALTHCHECK's options and command."""
    match = re.fullmatch(r"((?:--[a-z-]+=\S+\s+)*)CMD\s+(.+)", args, re.DOTALL)
    assert match, f"HEALTHCHECK runs nothing: {args}"
    options = dict(option[2:].split("=", 1) for option in match[1].split())
    return options, instruction_argv(match[2])


def stage_environment(stage: Stage, base: Mapping[str, str]) -> dict[str, str]:
    """The environment a stage's ENV instructions leave, over base."""
    env = dict(base)
    for args in stage.all("ENV"):
        tokens = shlex.split(args)
        if "=" not in tokens[0]:  # the legacy `ENV NAME value`
            name, _, value = args.partition(" ")
            env[name] = interpolate(value.strip(), env)
            continue
        for token in tokens:
            name, _, value = token.partition("=")
            env[name] = interpolate(value, env)
    return env


def dockerignored(path: str, patterns: list[str]) -> bool:
    """Whether .dockerignore keeps path (or a folder above it) out of the build context."""
    parts = path.split("/")
    candidates = ["/".join(parts[: end + 1]) for end in range(len(parts))]
    ignored = False
    for pattern in patterns:
        negated = pattern.startswith("!")
        pattern = pattern.removeprefix("!").strip("/")
        variants = {pattern, pattern.removeprefix("**/")}
        if any(fnmatch(candidate, variant) for candidate in candidates for variant in variants):
            ignored = not negated
    return ignored


def dockerignore_patterns() -> list[str]:
    lines = DOCKERIGNORE.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


# --- what the image and the services are made of ------------------------------------------


def runtime_stage() -> Stage:
    return dockerfile_stages(DOCKERFILE.read_text(encoding="utf-8"))[-1]


def serve_option_default(name: str) -> Any:
    serve = get_command(cli).commands["serve"]
    return next(param.default for param in serve.params if param.name == name)


def listening_port(argv: list[str]) -> int:
    """The port `newsfacts serve` listens on with these arguments."""
    script = shell_script(argv)
    text = script if script is not None else shlex.join(argv)
    found = re.search(r"--port(?:=|\s+)(\d+)", text)
    return int(found[1]) if found else int(serve_option_default("port"))


def readyz_port(argv: list[str]) -> int:
    """The port of the /readyz URL a healthcheck asks."""
    found = re.search(r"https?://(?:127\.0\.0\.1|localhost|\[::1\]):(\d+)/readyz", " ".join(argv))
    assert found, f"the healthcheck does not ask /readyz on localhost: {argv}"
    return int(found[1])


def cli_accepts(args: list[str]) -> dict[str, Any]:
    """Parse `newsfacts ARGS` as the CLI would (a bad option raises), without running it."""
    command = get_command(cli).commands[args[0]]
    with command.make_context(args[0], list(args[1:])) as context:
        return dict(context.params)


# --- running them locally -----------------------------------------------------------------


def local_environment(service: Mapping[str, Any], database: URL) -> dict[str, str]:
    """The service's environment in its container, made runnable here (see the module doc)."""
    env = {
        **stage_environment(runtime_stage(), BASE_IMAGE_ENVIRONMENT),
        **service_environment(service),
    }
    image_path = env["PATH"].split(":")
    assert image_path[0] == IMAGE_VENV_BIN, "the image's virtualenv comes first on PATH"
    env["PATH"] = os.pathsep.join([str(VENV_BIN), os.environ.get("PATH", os.defpath)])
    url = make_url(env["NEWSFACTS_DATABASE_URL"])
    env["NEWSFACTS_DATABASE_URL"] = url.set(
        host=database.host,
        port=database.port,
        username=database.username,
        password=database.password,
        database=database.database,
    ).render_as_string(hide_password=False)
    return env


def listen_locally(argv: list[str], port: int) -> list[str]:
    """argv listening on 127.0.0.1:port instead of all interfaces and its own port."""
    script = shell_script(argv)
    text = script if script is not None else shlex.join(argv)
    text = text.replace("0.0.0.0", "127.0.0.1")
    text, replaced = re.subn(r"--port(?:=|\s+)\d+", f"--port {port}", text)
    if not replaced:
        text += f" --port {port}"  # in a script, serve is its last command
    return [*argv[:2], text] if script is not None else shlex.split(text)


def ask_locally(argv: list[str], container_port: int, port: int) -> list[str]:
    return [arg.replace(f":{container_port}/", f":{port}/") for arg in argv]


def run(argv: list[str], env: Mapping[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        argv, env=dict(env), cwd=cwd, capture_output=True, text=True, timeout=300, check=False
    )


@contextmanager
def serving(argv: list[str], env: Mapping[str, str], cwd: Path, base: str) -> Iterator[None]:
    """Run the server until the block ends, once /readyz answers 200."""
    log_path = cwd / "api.log"
    with log_path.open("w", encoding="utf-8") as log:
        server = subprocess.Popen(
            argv,
            env=dict(env),
            cwd=cwd,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if server.poll() is not None:
                log = log_path.read_text(encoding="utf-8")
                raise AssertionError(f"the api exited with {server.returncode}:\n{log}")
            assert time.monotonic() < deadline, "the api did not become ready"
            time.sleep(0.2)
        yield
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)  # its own session: the server and its workers
            server.wait()


def seed_agenda(event_id: str) -> dict[str, str]:
    """{issue id: status} of an event's agenda in the seed fixture."""
    agenda: dict[str, str] = {}
    for path in seed_bundle_paths():
        bundle = yaml.safe_load(path.read_text(encoding="utf-8"))
        for issue in bundle.get("issues", []):
            for item in issue.get("agenda", []):
                if item["event"] == event_id:
                    agenda[issue["id"]] = item["status"]
    return agenda


# --- the tests ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "env", "expected"),
    [
        ("${A:-2}", {}, "2"),
        ("${A:-2}", {"A": ""}, "2"),
        ("${A-2}", {"A": ""}, ""),
        ("${A:-2}", {"A": "5"}, "5"),
        ("$A and ${B}", {"A": "a", "B": "b"}, "a and b"),
        ("${A:+set}", {"A": "x"}, "set"),
        ("$${POSTGRES_USER} costs $$5", {"POSTGRES_USER": "u"}, "${POSTGRES_USER} costs $5"),
        ("postgresql://${U:-nf}:${P:-pw}@db:5432/${D:-nf}", {}, "postgresql://nf:pw@db:5432/nf"),
    ],
)
def test_compose_interpolation_is_read_as_compose_reads_it(
    text: str, env: dict[str, str], expected: str
) -> None:
    assert interpolate(text, env) == expected


def test_a_required_variable_left_unset_is_refused() -> None:
    with pytest.raises(ValueError, match="A is required: set A"):
        interpolate("${A:?set A}", {})


def test_commands_in_shell_and_exec_form_are_parsed() -> None:
    assert simple_commands(command_argv('sh -c "newsfacts migrate && newsfacts load x.yaml"')) == [
        ["newsfacts", "migrate"],
        ["newsfacts", "load", "x.yaml"],
    ]
    assert simple_commands(["newsfacts", "serve", "--port", "80"]) == [
        ["newsfacts", "serve", "--port", "80"]
    ]
    assert healthcheck_argv("curl -f x") == ["/bin/sh", "-c", "curl -f x"]
    assert healthcheck_argv(["CMD-SHELL", "pg_isready"]) == ["/bin/sh", "-c", "pg_isready"]
    assert instruction_argv("newsfacts serve") == ["/bin/sh", "-c", "newsfacts serve"]
    assert listen_locally(["sh", "-c", "exec newsfacts serve --host 0.0.0.0"], 9) == [
        "sh",
        "-c",
        "exec newsfacts serve --host 127.0.0.1 --port 9",
    ]
    assert listen_locally(["newsfacts", "serve", "--port=8000"], 9) == [
        "newsfacts",
        "serve",
        "--port",
        "9",
    ]


def test_the_compose_file_wires_db_then_migrate_then_api() -> None:
    compose = load_compose()
    services = compose["services"]
    assert {"db", "migrate", "api"} <= services.keys()
    db, migrate, api = services["db"], services["migrate"], services["api"]

    # db: PostgreSQL 16, its data in a named volume, healthy when pg_isready says so.
    assert db["image"].split(":")[0] == "postgres"
    assert db["image"].split(":")[1].split(".")[0].split("-")[0] == "16"
    data = {name for name, path in named_volumes(db).items() if path == "/var/lib/postgresql/data"}
    assert data, "the database's data is not on a named volume"
    assert data <= (compose.get("volumes") or {}).keys(), "the volume is not declared"
    db_env = service_environment(db)
    assert db_env.get("POSTGRES_PASSWORD"), "the postgres image needs POSTGRES_PASSWORD"
    assert healthcheck_argv(db["healthcheck"]["test"])[-1].split()[0] == "pg_isready"

    # Order: migrate once db is healthy; api once migrate has succeeded and db is healthy.
    assert depends_on(migrate) == {"db": "service_healthy"}
    assert depends_on(api) == {
        "migrate": "service_completed_successfully",
        "db": "service_healthy",
    }
    assert str(migrate.get("restart", "no")) == "no", "a one-shot service must not restart"

    for service in (migrate, api):
        # Both run the image this Dockerfile builds ...
        build = service["build"]
        context = ROOT / (build if isinstance(build, str) else build.get("context", "."))
        dockerfile = (
            "Dockerfile" if isinstance(build, str) else build.get("dockerfile", "Dockerfile")
        )
        assert (context / dockerfile).resolve() == DOCKERFILE
        # ... configured by environment, with the db service and its credentials.
        url = make_url(service_environment(service)["NEWSFACTS_DATABASE_URL"])
        assert url.drivername == "postgresql+psycopg"
        assert (url.host, url.port or 5432) == ("db", 5432)
        assert url.username == db_env.get("POSTGRES_USER", "postgres")
        assert url.password == db_env["POSTGRES_PASSWORD"]
        assert url.database == db_env.get("POSTGRES_DB", url.username)

    # migrate migrates, then (only if that succeeded) loads the seed.
    assert simple_commands(command_argv(migrate["command"])) == [
        ["newsfacts", "migrate"],
        ["newsfacts", "load"],
    ]
    # api serves on every interface, without seeding, with workers from NEWSFACTS_WORKERS.
    api_argv = command_argv(api["command"])
    assert api_argv[:2] == ["newsfacts", "serve"]
    params = cli_accepts(api_argv[1:])
    assert params["host"] == "0.0.0.0"
    assert params["seed"] is False
    assert params["workers"] == 2
    assert (
        cli_accepts(
            command_argv(load_compose({"NEWSFACTS_WORKERS": "5"})["services"]["api"]["command"])[1:]
        )["workers"]
        == 5
    )

    # It publishes the port it listens on, and its healthcheck asks /readyz there.
    port = listening_port(api_argv)
    assert port in container_ports(api)
    check = healthcheck_argv(api["healthcheck"]["test"])
    assert readyz_port(check) == port
    assert not {"curl", "wget"} & set(" ".join(check).split()), "slim images have neither"


def test_the_dockerfile_builds_in_a_builder_and_runs_unprivileged_on_slim() -> None:
    stages = dockerfile_stages(DOCKERFILE.read_text(encoding="utf-8"))
    assert len(stages) >= 2
    builder, runtime = stages[0], stages[-1]

    # The builder makes a virtualenv from the lock, every file checked against its hash.
    builder_runs = " ".join(builder.all("RUN"))
    assert "-m venv /opt/venv" in builder_runs
    assert re.search(r"--require-hashes\b.*-r requirements\.lock", builder_runs)
    assert builder.name

    # The runtime stage is slim and gets only the virtualenv and the application's files.
    assert runtime.base == "python:3.11-slim"
    copies = runtime.all("COPY")
    assert copies
    assert all(copy.startswith(f"--from={builder.name} ") for copy in copies), copies
    sources = {copy.split()[1] for copy in copies}
    assert "/opt/venv" in sources
    assert not runtime.all("ADD")
    assert not any(re.search(r"\b(pip|apt-get|apk)\b", run) for run in runtime.all("RUN"))
    assert stage_environment(runtime, BASE_IMAGE_ENVIRONMENT)["PATH"].startswith(IMAGE_VENV_BIN)

    # It runs as a user that is not root, and that the stage creates.
    user = runtime.last("USER")
    assert user, "the runtime stage has no USER: it would run as root"
    name = user.split(":")[0]
    assert name not in ("root", "0")
    useradd = " ".join(run for run in runtime.all("RUN") if "useradd" in run)
    assert re.search(rf"--uid {name}\b" if name.isdigit() else rf"\b{name}\b", useradd)

    # No ENTRYPOINT: compose's `command` replaces CMD whole.
    assert not runtime.all("ENTRYPOINT")
    cmd = instruction_argv(runtime.last("CMD") or "")
    assert cmd[:2] == ["newsfacts", "serve"]
    params = cli_accepts(cmd[1:])
    assert params["host"] == "0.0.0.0"
    assert params["seed"] is False
    port = listening_port(cmd)
    assert str(port) in " ".join(runtime.all("EXPOSE")).split()
    assert "NEWSFACTS_WORKERS" in stage_environment(runtime, {})

    options, check = healthcheck_instruction(runtime.last("HEALTHCHECK") or "")
    assert {"interval", "timeout"} <= options.keys()
    assert check[0] == "python"
    assert "urllib" in check[-1]
    assert readyz_port(check) == port
    assert "/readyz" in {route.path for route in health_router.routes}


def test_the_build_context_has_what_the_dockerfile_copies_and_no_local_state() -> None:
    patterns = dockerignore_patterns()
    for stage in dockerfile_stages(DOCKERFILE.read_text(encoding="utf-8")):
        for copy in stage.all("COPY"):
            if copy.startswith("--from="):
                continue
            *sources, _destination = copy.split()
            for source in sources:
                assert (ROOT / source).exists(), f"COPY {source}: not in the repository"
                assert not dockerignored(source, patterns), f"COPY {source}: .dockerignore'd"
    for local in (".git", ".venv", ".env", "newsfacts.db", "app/__pycache__/cli.cpython-311.pyc"):
        assert dockerignored(local, patterns), f"{local} would be sent to the build"
    assert not dockerignored("app/cli.py", patterns)
    assert not dockerignored("app/bundles/seed/lukashenka-putin-sochi-2018.yaml", patterns)


def test_the_commands_the_image_and_compose_run_exist() -> None:
    compose = load_compose()
    runtime = runtime_stage()
    invocations = [
        instruction_argv(runtime.last("CMD") or ""),
        *simple_commands(command_argv(compose["services"]["migrate"]["command"])),
        command_argv(compose["services"]["api"]["command"]),
    ]
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "scripts"
    ]
    help_texts: dict[str, str] = {}
    for argv in invocations:
        assert argv[0] in scripts, f"{argv[0]} is not a script of the project"
        assert (VENV_BIN / argv[0]).exists()
        cli_accepts(argv[1:])  # every option and value parses
        flags = {arg.split("=")[0] for arg in argv[2:] if arg.startswith("--")}
        if argv[1] not in help_texts:
            shown = subprocess.run(
                [str(VENV_BIN / argv[0]), argv[1], "--help"],
                capture_output=True,
                text=True,
                timeout=60,
                check=False,
                env={**os.environ, "COLUMNS": "200"},
            )
            assert shown.returncode == 0, shown.stderr
            help_texts[argv[1]] = shown.stdout
        for flag in flags:
            assert re.search(rf"(?<![\w-]){re.escape(flag)}(?![\w-])", help_texts[argv[1]]), (
                f"`{argv[0]} {argv[1]} --help` does not list {flag}"
            )
    assert "--no-seed" in help_texts["serve"]


@pytest.mark.skipif(
    not os.environ.get(POSTGRES_URL_VARIABLE),
    reason=f"runs the compose services on PostgreSQL: set {POSTGRES_URL_VARIABLE} (CI does;"
    " .ci/run fails when PostgreSQL is unreachable)",
)
def test_the_services_run_migrate_then_serve_the_api(
    scratch_databases: ScratchDatabases, tmp_path: Path
) -> None:
    compose = load_compose()
    database = make_url(scratch_databases.create("postgresql"))

    # migrate: schema and seed; run again (as every `up` does), it changes nothing.
    migrate = compose["services"]["migrate"]
    migrate_env = local_environment(migrate, database)
    migrate_argv = command_argv(migrate["command"])
    first = run(migrate_argv, migrate_env, tmp_path)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "database is at the latest migration" in first.stdout
    assert "quotation: 14 created" in first.stdout
    again = run(migrate_argv, migrate_env, tmp_path)
    assert again.returncode == 0, again.stdout + again.stderr
    assert "no changes" in again.stdout

    # api: serves what migrate loaded, and its healthchecks pass against it.
    api = compose["services"]["api"]
    api_argv = command_argv(api["command"])
    container_port = listening_port(api_argv)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with serving(listen_locally(api_argv, port), local_environment(api, database), tmp_path, base):
        ready = httpx.get(f"{base}/readyz", timeout=5)
        assert ready.status_code == 200
        assert ready.json()["status"] == "ready"
        agenda = httpx.get(f"{base}/v1/events/{MEETING}/agenda", timeout=5)
        assert agenda.status_code == 200, agenda.text
        items = agenda.json()["items"]
        assert {item["issue"]["id"]: item["status"] for item in items} == seed_agenda(MEETING)

        env = local_environment(api, database)
        compose_check = healthcheck_argv(api["healthcheck"]["test"])
        _, image_check = healthcheck_instruction(runtime_stage().last("HEALTHCHECK") or "")
        for check in (compose_check, image_check):
            result = run(ask_locally(check, container_port, port), env, tmp_path)
            assert result.returncode == 0, (check, result.stdout + result.stderr)
            # ... and fails where no API answers.
            nobody = run(ask_locally(check, container_port, free_port()), env, tmp_path)
            assert nobody.returncode != 0


def test_the_replica_service_is_optional_and_follows_db() -> None:
    compose = load_compose()
    services = compose["services"]
    db, replica = services["db"], services["replica"]
    # Optional: only `docker compose --profile replica up` starts it; the api does not wait on it.
    assert replica["profiles"] == ["replica"]
    assert "replica" not in depends_on(services["api"])
    assert replica["image"] == db["image"]
    assert depends_on(replica) == {"db": "service_healthy"}
    db_env, env = service_environment(db), service_environment(replica)
    assert env["PRIMARY_HOST"] == "db"
    assert env["POSTGRES_USER"] == db_env["POSTGRES_USER"]
    assert env["PGPASSWORD"] == db_env["POSTGRES_PASSWORD"]
    # Its data on a volume of its own, below the mount point (pg_basebackup makes it 0700).
    (volume, mount), *_ = named_volumes(replica).items()
    assert volume in (compose.get("volumes") or {})
    assert volume not in named_volumes(db)
    assert env["PGDATA"].startswith(mount + "/")
    # The scripts it and db run are files of this repository, mounted where they are run.
    mounts = {
        str(entry).split(":")[1]: ROOT / str(entry).split(":")[0]
        for entry in [*replica["volumes"], *db["volumes"]]
        if str(entry).startswith("./")
    }
    script = command_argv(replica["command"])
    assert script[0] in SHELLS
    assert mounts[script[1]].is_file()
    assert any(target.startswith("/docker-entrypoint-initdb.d/") for target in mounts)
    assert healthcheck_argv(replica["healthcheck"]["test"])[-1].split()[0] == "pg_isready"
    # The api reads no replica unless told to.
    assert service_environment(services["api"])["NEWSFACTS_DATABASE_REPLICA_URLS"] == "[]"


@pytest.mark.skipif(
    not os.environ.get(POSTGRES_URL_VARIABLE),
    reason=f"streams from a PostgreSQL server: set {POSTGRES_URL_VARIABLE} (CI does)",
)
def test_the_replica_script_makes_a_hot_standby_of_a_real_server(tmp_path: Path) -> None:
    bindir, run_as = postgres_bindir(), postgres_user_command()
    if bindir is None or run_as is None:
        pytest.skip("needs PostgreSQL's server programs and to run them as `postgres`")
    compose = load_compose()
    replica = compose["services"]["replica"]
    primary = make_url(os.environ[POSTGRES_URL_VARIABLE])
    # Not under tmp_path: postgres must reach it, and pytest's directories are root's alone.
    workspace = Path(tempfile.mkdtemp(prefix="newsfacts-compose-replica-"))
    shutil.chown(workspace, "postgres", "postgres")
    script = ROOT / "deploy" / "replica.sh"
    shutil.copy(script, workspace / "replica.sh")  # readable by postgres wherever the repo is
    port = free_port()
    # The service's environment, with the test server as `db` and a scratch data directory.
    env = {
        **service_environment(replica),
        "PRIMARY_HOST": primary.host or "127.0.0.1",
        "PRIMARY_PORT": str(primary.port or 5432),
        "POSTGRES_USER": primary.username or "postgres",
        "PGDATA": str(workspace / "data"),
        "PATH": f"{bindir}:{os.environ['PATH']}",
    }
    argv = [
        *run_as,
        "env",
        *(f"{name}={value}" for name, value in env.items()),
        "sh",
        str(workspace / "replica.sh"),
        *("-c", f"port={port}", "-c", f"listen_addresses={env['PRIMARY_HOST']}"),
        *("-c", f"unix_socket_directories={workspace}"),
    ]
    server = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        standby = primary.set(port=port, database="postgres")
        deadline = time.monotonic() + 180
        while True:
            assert server.poll() is None, server.stdout.read().decode() if server.stdout else ""
            try:
                with psycopg.connect(  # by its socket: the copy trusts local connections
                    host=str(workspace), port=port, user=standby.username, dbname="postgres"
                ) as connection:
                    in_recovery = connection.execute("SELECT pg_is_in_recovery()").fetchone()
                    assert in_recovery == (True,)
                    break
            except psycopg.OperationalError:
                assert time.monotonic() < deadline, "the replica never accepted connections"
                time.sleep(0.5)
        assert (workspace / "data" / "standby.signal").exists()
        # Its healthcheck passes against it (pg_isready reads the server from PGHOST/PGPORT).
        check = healthcheck_argv(replica["healthcheck"]["test"])
        local = {**env, "PGHOST": str(workspace), "PGPORT": str(port)}
        assert run(check, local, tmp_path).returncode == 0
    finally:
        if (workspace / "data" / "postmaster.pid").exists():
            stop = [str(bindir / "pg_ctl"), "stop", "-w", "-m", "immediate", "-D"]
            subprocess.run([*run_as, *stop, str(workspace / "data")], check=False, timeout=120)
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        shutil.rmtree(workspace, ignore_errors=True)
