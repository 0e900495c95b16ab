"""deploy/: the systemd units, the environment file example and the gunicorn config are real.

The units are checked by systemd itself (`systemd-analyze verify`, which also fails on a command
that is not executable) after pointing their paths at this checkout, the way an operator installs
them in /opt/bridge and /etc/bridge. Every command they start is one of this checkout's virtualenv,
and every variable a deployment sets is documented in the README and in docs/deploy.md.
"""

from __future__ import annotations

import configparser
import re
import shlex
import sys

from .support import ROOT, VENV_BIN, app_env, run

UNITS = sorted((ROOT / "deploy" / "systemd").glob("*.service"))
ENV_EXAMPLE = ROOT / "deploy" / "bridge.env.example"
INSTALL_DIR, ENV_FILE = "/opt/bridge", "/etc/bridge/bridge.env"
# How settings read a variable: env_bool("X", …), env_list("X"), os.environ.get("X", …), os.environ["X"]
ENV_READ = re.compile(r"""(?:env_bool\(|env_list\(|os\.environ\.get\(|os\.environ\[)["']([A-Z_]+)["']""")


def unit(path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str
    parser.read(path)
    return parser


def env_example() -> dict[str, str]:
    pairs = {}
    for line in ENV_EXAMPLE.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, _, value = line.partition("=")
            pairs[key] = value
    return pairs


def test_the_units_are_web_worker_beat_and_migrate():
    assert [path.name for path in UNITS] == [
        "bridge-beat.service",
        "bridge-migrate.service",
        "bridge-web.service",
        "bridge-worker.service",
    ]
    for path in UNITS:
        service = unit(path)["Service"]
        assert service["User"] == "bridge"
        assert service["WorkingDirectory"] == INSTALL_DIR
        assert service["EnvironmentFile"] == ENV_FILE
        if path.name != "bridge-migrate.service":
            assert service["Restart"] == "always"


def test_systemd_verifies_every_unit_installed_from_this_checkout(tmp_path):
    # Given the units installed with this checkout as /opt/bridge and the example as the environment file
    env_file = tmp_path / "bridge.env"
    env_file.write_text(ENV_EXAMPLE.read_text())
    installed = []
    for path in UNITS:
        text = path.read_text().replace(ENV_FILE, str(env_file)).replace(INSTALL_DIR, str(ROOT))
        (tmp_path / path.name).write_text(text.replace(f"{ROOT}/.venv/bin", str(VENV_BIN)))
        installed.append(str(tmp_path / path.name))
    # When systemd checks them, Then it has nothing to say (no unknown key, no missing command)
    result = run(["systemd-analyze", "verify", *installed], check=False)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_every_unit_starts_a_program_of_the_virtualenv_with_arguments_it_accepts():
    env = app_env(**{key: value for key, value in env_example().items() if key != "DJANGO_SETTINGS_MODULE"})
    for path in UNITS:
        words = shlex.split(unit(path)["Service"]["ExecStart"])
        program = words[0].replace(f"{INSTALL_DIR}/.venv/bin/", f"{VENV_BIN}/")
        assert program.startswith(f"{VENV_BIN}/"), path.name
        arguments = [word.replace("${WORKER_CONCURRENCY}", "2") for word in words[1:]]
        if program.endswith("/gunicorn"):
            # gunicorn loads its config file and the application, then stops
            check = run([program, *arguments[:-1], "--check-config", arguments[-1]], env=env, check=False)
        elif program.endswith("/celery"):
            check = run([program, *arguments, "--help"], env=env, check=False)
        else:
            assert words[1:] == ["manage.py", "migrate", "--noinput"]
            check = run([sys.executable, "manage.py", "migrate", "--help"], env=env, check=False)
        assert check.returncode == 0, f"{path.name}: {check.stdout}\n{check.stderr}"


def test_every_deployment_variable_is_documented():
    readme, deploy = (ROOT / "README.md").read_text(), (ROOT / "docs" / "deploy.md").read_text()
    read_by_code = set()
    for source in [*(ROOT / "config" / "settings").glob("[bp]*.py"), ROOT / "deploy" / "gunicorn.conf.py"]:
        read_by_code |= set(ENV_READ.findall(source.read_text()))
    for name in sorted(read_by_code | set(env_example())):
        assert f"`{name}`" in readme, f"{name} is missing from README's environment table"
    for name in sorted(env_example()):
        assert f"`{name}`" in deploy or f"`{name}`," in deploy, f"{name} is missing from docs/deploy.md"
