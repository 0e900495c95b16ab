"""What the operations tests stand up: deployment databases made with manage.py, private brokers,
network namespaces joined to this one by veth pairs, TCP forwarders, and server processes.

Everything is this test run's own and is removed afterwards: databases and RabbitMQ vhosts carry a
unique name, namespaces and veth devices are deleted, processes are stopped by their own process
group. The shared PostgreSQL, Redis and RabbitMQ are never reconfigured: a host in a namespace
reaches them through a forwarder bound to the veth address only, never to a public interface.
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import urllib.error
import urllib.request
import uuid
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

import psycopg
from django.db import connection
from kombu import Connection

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent


def unique_name(prefix: str) -> str:
    return f"{prefix}_{os.getpid()}_{uuid.uuid4().hex[:6]}"


def run(command: list[str], *, env: dict | None = None, timeout: float = 120, check: bool = True, **kwargs):
    return subprocess.run(
        command, env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=check, **kwargs
    )


# --- PostgreSQL ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Postgres:
    """The PostgreSQL server the test settings point at (the shared one, or CI's)."""

    host: str
    port: int
    user: str
    password: str

    @classmethod
    def of_tests(cls) -> Postgres:
        db = connection.settings_dict
        return cls(db["HOST"] or "127.0.0.1", int(db["PORT"] or 5432), db["USER"], db.get("PASSWORD") or "")

    def url(self, name: str, *, host: str | None = None, port: int | None = None, user: str | None = None) -> str:
        """A URL of database `name`; as the tests' user (with its password) unless another `user` is named."""
        password = f":{self.password}" if self.password and user is None else ""
        return f"postgres://{user or self.user}{password}@{host or self.host}:{port or self.port}/{name}"

    def admin(self, sql: str) -> None:
        with psycopg.connect(self.url("postgres"), autocommit=True) as admin:
            admin.execute(sql)

    def create(self, name: str) -> str:
        self.admin(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def drop(self, name: str) -> None:
        self.admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def rows(self, name: str, sql: str, params: list | None = None) -> list[tuple]:
        with psycopg.connect(self.url(name)) as db:
            return db.execute(sql, params or []).fetchall()


# Only these of the test run's environment reach a Bridge process: none of Bridge's own settings.
PASSED_ON = ("PATH", "HOME", "LANG", "LC_ALL", "TZ", "TMPDIR", "USER", "LOGNAME")


def app_env(**values: str) -> dict[str, str]:
    """The environment of a Bridge process started by a test: development settings unless told."""
    env = {key: os.environ[key] for key in PASSED_ON if key in os.environ}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.base",
        PYTHONPATH=str(ROOT),
        PYTHONDONTWRITEBYTECODE="1",
        PATH=f"{VENV_BIN}:{env.get('PATH', '/usr/bin:/bin')}",
    )
    env.update(values)
    return env


def manage(*args: str, database_url: str, timeout: float = 180, **env: str) -> str:
    result = run(
        [sys.executable, "manage.py", *args],
        env=app_env(DATABASE_URL=database_url, **env),
        timeout=timeout,
        check=False,
    )
    assert result.returncode == 0, f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


# A user of our own (demo users are refused outside DEBUG), created through Django as an admin would.
CREATE_USER = """
from django.contrib.auth.models import Group
from intake.models import Site, User
site = Site.objects.order_by("code").first()
user = User.objects.create_user(username={username!r}, password={password!r}, home_site=site)
user.groups.add(Group.objects.get_or_create(name={role!r})[0])
print(user.pk)
"""


def create_user(database_url: str, *, username: str, password: str, role: str) -> int:
    out = manage(
        "shell", "-c", CREATE_USER.format(username=username, password=password, role=role), database_url=database_url
    )
    return int(out.strip().splitlines()[-1])


# --- brokers ------------------------------------------------------------------------------------


class RabbitVhost:
    """A RabbitMQ virtual host of this test's own on the shared server (deleted afterwards)."""

    def __init__(self, name: str):
        self.name = name

    def create(self) -> RabbitVhost:
        run(["rabbitmqctl", "-q", "add_vhost", self.name])
        run(["rabbitmqctl", "-q", "set_permissions", "-p", self.name, "guest", ".*", ".*", ".*"])
        return self

    def delete(self) -> None:
        run(["rabbitmqctl", "-q", "delete_vhost", self.name], check=False)

    def url(self, host: str = "127.0.0.1", port: int = 5672) -> str:
        return f"amqp://guest:guest@{host}:{port}/{self.name}"


# A recompute task that ran to its end, as the worker logs it (text or JSON).
TASK_DONE = re.compile(r"Task scoring\.tasks\.recompute_stale_task\[[0-9a-f-]+\] succeeded in ")


def purge_celery_queue(url: str) -> None:
    """Messages another test left in our vhost would be recomputes of another database."""
    with Connection(url, connect_timeout=5) as broker:
        channel = broker.channel()
        try:
            channel.queue_purge("celery")
        except Exception:  # noqa: BLE001 - no queue yet: nothing to purge
            pass


# --- network namespaces -------------------------------------------------------------------------


class Forwarder:
    """TCP forwarding from addresses of ours (veth ends) to a service on this namespace's loopback.

    PostgreSQL and RabbitMQ listen on 127.0.0.1 only, and other people use them: rather than
    reconfiguring them, hosts in namespaces connect here. Runs an asyncio loop in a thread."""

    def __init__(self, listen: list[tuple[str, int]], target: tuple[str, int]):
        self.listen, self.target = listen, target
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="forwarder", daemon=True)
        self.servers: list[asyncio.base_events.Server] = []

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            with suppress(OSError, RuntimeError):
                writer.close()

    async def _handle(self, client_reader, client_writer) -> None:
        try:
            server_reader, server_writer = await asyncio.open_connection(*self.target)
        except OSError:
            client_writer.close()
            return
        await asyncio.gather(self._pipe(client_reader, server_writer), self._pipe(server_reader, client_writer))

    async def _start(self) -> None:
        for host, port in self.listen:
            self.servers.append(await asyncio.start_server(self._handle, host, port))

    def start(self) -> Forwarder:
        self.thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self.loop).result(timeout=10)
        return self

    def stop(self) -> None:
        async def close():
            for server in self.servers:
                server.close()
            for task in asyncio.all_tasks():
                if task is not asyncio.current_task():
                    task.cancel()

        with suppress(Exception):
            asyncio.run_coroutine_threadsafe(close(), self.loop).result(timeout=10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)


ROUTE_TYPES = {"local", "broadcast", "unicast", "multicast", "anycast", "blackhole", "unreachable", "prohibit", "throw"}


def _routed_networks() -> list[ipaddress.IPv4Network]:
    networks = []
    for line in run(["ip", "-4", "route", "show", "table", "all"]).stdout.splitlines():
        words = line.split()
        if words and words[0] in ROUTE_TYPES:
            words = words[1:]
        if words and words[0] != "default":
            with suppress(ValueError):
                networks.append(ipaddress.IPv4Network(words[0], strict=False))
    return networks


def _free_subnet(hosts: int) -> ipaddress.IPv4Network:
    """A subnet of 10.200.0.0/16 with a /30 for each host that no route of this machine covers."""
    prefix = 30 - max(0, (hosts - 1).bit_length())
    pool = list(ipaddress.IPv4Network("10.200.0.0/16").subnets(new_prefix=prefix))
    routed = _routed_networks()
    start = int.from_bytes(os.urandom(4), "big") % len(pool)
    for offset in range(len(pool)):
        candidate = pool[(start + offset) % len(pool)]
        if not any(candidate.overlaps(network) for network in routed):
            return candidate
    raise AssertionError("no free subnet in 10.200.0.0/16 for the test hosts")


@dataclass
class Host:
    """A network namespace joined to this one by a veth pair: `address` is the host's own end,
    `gateway` this namespace's end (where the forwarders and the private broker listen)."""

    namespace: str
    address: str
    gateway: str

    def command(self, *argv: str) -> list[str]:
        return ["ip", "netns", "exec", self.namespace, *argv]


class TestNetwork:
    __test__ = False  # not a test class, whatever its name

    """Two or more test hosts, each in its own network namespace with one veth link to this one."""

    def __init__(self, names: list[str]):
        self.tag = f"{os.getpid() % 100000}{uuid.uuid4().hex[:3]}"
        self.names = names
        self.hosts: dict[str, Host] = {}
        self.links: list[str] = []

    def up(self) -> TestNetwork:
        subnet = _free_subnet(len(self.names))
        links = list(subnet.subnets(new_prefix=30))
        for index, name in enumerate(self.names):
            link = links[index]
            host = Host(
                namespace=f"bridge-{self.tag}-{name}",
                address=str(link.network_address + 2),
                gateway=str(link.network_address + 1),
            )
            outside, inside = f"bo{self.tag}{index}", f"bi{self.tag}{index}"
            run(["ip", "netns", "add", host.namespace])
            self.hosts[name] = host
            run(["ip", "link", "add", outside, "type", "veth", "peer", "name", inside])
            self.links.append(outside)
            run(["ip", "link", "set", inside, "netns", host.namespace])
            run(["ip", "addr", "add", f"{host.gateway}/30", "dev", outside])
            run(["ip", "link", "set", outside, "up"])
            run(host.command("ip", "addr", "add", f"{host.address}/30", "dev", inside))
            run(host.command("ip", "link", "set", inside, "up"))
            run(host.command("ip", "link", "set", "lo", "up"))
        return self

    def down(self) -> None:
        for link in self.links:
            run(["ip", "link", "del", link], check=False)
        for host in self.hosts.values():
            run(["ip", "netns", "del", host.namespace], check=False)


# --- processes ----------------------------------------------------------------------------------


class Service:
    """A long-running process in its own process group, its output in a file."""

    def __init__(self, command: list[str], *, env: dict[str, str], log: Path):
        self.command, self.env, self.log, self.process = command, env, log, None

    def start(self) -> Service:
        with open(self.log, "wb") as out:
            self.process = subprocess.Popen(
                self.command, cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
        return self

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def stop(self) -> None:
        if not self.alive():
            return
        with suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            with suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)


# --- HTTP ---------------------------------------------------------------------------------------


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirect is an answer to look at, not to follow


_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirect)


@dataclass
class Answer:
    status: int
    body: dict | list | None
    headers: dict[str, str]


def http(
    method: str,
    url: str,
    *,
    body: dict | None = None,
    token: str | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 30,
) -> Answer:
    headers = {"Accept": "application/json", **(headers or {})}
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    if token:
        headers["Authorization"] = f"Token {token}"
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            raw, status, got = response.read(), response.status, dict(response.headers)
    except urllib.error.HTTPError as error:
        raw, status, got = error.read(), error.code, dict(error.headers)
    is_json = got.get("Content-Type", "").startswith("application/json")
    return Answer(status, json.loads(raw) if raw and is_json else None, got)


def answers(url: str) -> bool:
    """Whether an HTTP server answers at `url` (whatever it answers)."""
    try:
        http("GET", url, timeout=2)
        return True
    except OSError:
        return False


class BlackHole:
    """A TCP port that accepts connections (the kernel completes the handshake) and never answers:
    a frozen server, which must not hang anyone who connects to it."""

    def __init__(self):
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(64)
        self.port = self.socket.getsockname()[1]

    def close(self) -> None:
        self.socket.close()
