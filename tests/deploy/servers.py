"""Real `thera serve` processes and a real nginx in front of them, for tests and benchmarks.

Each process is started on a free loopback port and stopped (its whole process group) at the
end. nginx is Debian's (``scripts/setup.sh --nginx`` installs it); it runs in the foreground as a
child with its own prefix, pid file, logs and temporary folders, so no root-owned path is used.
"""

from __future__ import annotations

import contextlib
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEPLOYED_CONF = ROOT / "deploy" / "nginx" / "thera.conf"
NGINX_ENV = "THERA_NGINX"
DEFAULT_NGINX = "/usr/sbin/nginx"
COOKIE_SECRET = "deploy-tests-only-not-a-real-secret"


def listening(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def free_port() -> int:
    """A loopback port nobody listens on now (the caller retries if it is taken meanwhile)."""
    while True:
        port = random.randint(20_000, 60_000)
        if not listening(port):
            return port


def _wait_until(ready, process: subprocess.Popen, what: str, log: Path,
                timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while not ready():
        if process.poll() is not None:
            err = log.read_text() if log.exists() else ""
            raise RuntimeError(f"{what} exited with {process.returncode}: {err[-2000:]}")
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} did not start within {timeout:.0f} s")
        time.sleep(0.05)


def _stop(process: subprocess.Popen, sig: int = signal.SIGTERM) -> None:
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)
    try:
        process.wait(20)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


@dataclass
class Instance:
    """One `thera serve` process group listening on ``port``."""

    process: subprocess.Popen
    port: int

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@contextlib.contextmanager
def thera_serve(db: str, *, count: int = 1, processes: int = 1, origins: Sequence[str] = (),
                env: Mapping[str, str] | None = None) -> Iterator[list[Instance]]:
    """``count`` separate `thera serve` instances of one practice, each on its own port."""
    started: list[Instance] = []
    folder = Path(tempfile.mkdtemp(prefix="thera-serve-"))
    try:
        for n in range(count):
            extra = [arg for origin in origins for arg in ("--allow-websocket-origin", origin)]
            failures = []
            for _ in range(5):  # a port taken meanwhile makes serve exit: try another
                port = free_port()
                log = folder / f"serve-{port}.log"
                process = subprocess.Popen(
                    [sys.executable, "-m", "thera_app.cli", "serve", "--db", db, "--port",
                     str(port), "--processes", str(processes), *extra],
                    env={**os.environ, "THERA_COOKIE_SECRET": COOKIE_SECRET,
                         "THERA_SNAPSHOT_MINUTES": "600",
                         "THERA_SNAPSHOT_DIR": str(folder / f"snapshots-{n}"), **(env or {})},
                    stdout=subprocess.DEVNULL, stderr=log.open("w"), start_new_session=True)
                try:
                    _wait_until(lambda p=port: listening(p), process,
                                f"thera serve on port {port}", log)
                except RuntimeError as exc:
                    failures.append(str(exc))
                    continue
                started.append(Instance(process, port))
                break
            else:
                raise RuntimeError("thera serve did not start:\n" + "\n".join(failures))
        yield started
    finally:
        for instance in started:
            _stop(instance.process)
        shutil.rmtree(folder, ignore_errors=True)


def nginx_binary() -> str:
    path = os.environ.get(NGINX_ENV, DEFAULT_NGINX)
    if not Path(path).exists():
        raise RuntimeError(f"nginx is not at {path}: run scripts/setup.sh --nginx (it installs "
                           f"Debian's nginx) or set {NGINX_ENV}")
    return path


def deployed_config(listen: int, backends: Sequence[int], access_log: Path) -> str:
    """deploy/nginx/thera.conf as shipped, with only its ports and access log changed."""
    text = DEPLOYED_CONF.read_text()
    servers = "".join(f"    server 127.0.0.1:{port};\n" for port in backends)
    text, found = re.subn(r"(?m)^(    server 127\.0\.0\.1:\d+;\n)+", servers, text)
    assert found == 1, "deploy/nginx/thera.conf: the upstream's server lines moved"
    text, found = re.subn(r"(?m)^    listen \d+;", f"    listen 127.0.0.1:{listen};", text)
    assert found == 1, "deploy/nginx/thera.conf: the listen line moved"
    text, found = re.subn(r"access_log \S+ thera;", f"access_log {access_log} thera;", text)
    assert found == 1, "deploy/nginx/thera.conf: the access_log line moved"
    return text


@dataclass
class Nginx:
    process: subprocess.Popen
    port: int
    prefix: Path

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def access_log(self) -> Path:
        return self.prefix / "access.log"

    def routes(self) -> list[tuple[str, str, str, str]]:
        """Each logged request: (route key, upstream address, status, request line)."""
        found = []
        for line in self.access_log.read_text().splitlines():
            match = re.match(r'(\S+) (\S+) (.+) (\d{3}) "(.*)"$', line)
            assert match, line
            found.append((match[2], match[3], match[4], match[5]))
        return found


@contextlib.contextmanager
def running_nginx(backends: Sequence[int], port: int | None = None) -> Iterator[Nginx]:
    """nginx in the foreground on ``port`` (else a free loopback port), proxying to
    ``backends``."""
    binary = nginx_binary()
    prefix = Path(tempfile.mkdtemp(prefix="thera-nginx-"))
    as_root = os.geteuid() == 0
    process: subprocess.Popen | None = None
    try:
        for attempt in range(5):  # a port taken meanwhile makes nginx exit: try another
            if attempt or port is None:
                port = free_port()
            temps = "\n".join(f"    {kind}_temp_path {prefix / kind};"
                              for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
            (prefix / "thera.conf").write_text(
                deployed_config(port, backends, prefix / "access.log"))
            (prefix / "nginx.conf").write_text(
                f"worker_processes 1;\npid {prefix / 'nginx.pid'};\n"
                f"error_log {prefix / 'error.log'} warn;\n"
                "events { worker_connections 512; }\n"
                f"http {{\n{temps}\n    include {prefix / 'thera.conf'};\n}}\n")
            if as_root:  # nginx's workers drop to nobody: the folder is theirs, not root's
                for path in (prefix, *prefix.iterdir()):
                    shutil.chown(path, "nobody")
            command = [binary, "-p", str(prefix), "-c", str(prefix / "nginx.conf"),
                       "-e", str(prefix / "error.log"), "-g", "daemon off;"]
            if as_root:
                command = ["runuser", "-u", "nobody", "--", *command]
            process = subprocess.Popen(command, stdout=subprocess.DEVNULL,
                                       stderr=subprocess.DEVNULL, start_new_session=True)
            try:
                _wait_until(lambda p=port: listening(p), process, "nginx",
                            prefix / "error.log", timeout=20)
            except RuntimeError:
                process = None
                continue
            break
        if process is None:
            log = prefix / "error.log"
            raise RuntimeError(f"nginx did not start: {log.read_text() if log.exists() else ''}")
        yield Nginx(process, port, prefix)
    finally:
        if process is not None:
            _stop(process, signal.SIGQUIT)
        shutil.rmtree(prefix, ignore_errors=True)
