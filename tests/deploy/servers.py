"""Real `thera serve` processes and a real nginx in front of them, for tests and benchmarks.

Each process binds a loopback port the system chooses (port 0) and says which, and is stopped
(its whole process group) at the end. nginx is Debian's (``scripts/setup.sh --nginx`` installs
it); it runs in the foreground as a child with its own prefix, pid file, logs and temporary
folders, so no root-owned path is used.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from tests.helpers.output import Lines

ROOT = Path(__file__).resolve().parents[2]
DEPLOYED_CONF = ROOT / "deploy" / "nginx" / "thera.conf"
NGINX_ENV = "THERA_NGINX"
DEFAULT_NGINX = "/usr/sbin/nginx"
COOKIE_SECRET = "deploy-tests-only-not-a-real-secret"


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
            log = folder / f"serve-{n}.log"
            # Port 0: the server binds a port the system chooses and says which once it listens
            # (no port is picked here and bound there, which another process could take between).
            process = subprocess.Popen(
                [sys.executable, "-m", "thera_app.cli", "serve", "--db", db, "--port", "0",
                 "--processes", str(processes), *extra],
                env={**os.environ, "THERA_COOKIE_SECRET": COOKIE_SECRET,
                     "THERA_SNAPSHOT_MINUTES": "600",
                     "THERA_SNAPSHOT_DIR": str(folder / f"snapshots-{n}"), **(env or {})},
                stdout=subprocess.PIPE, stderr=log.open("w"), text=True, start_new_session=True)
            started.append(Instance(process, 0))
            assert process.stdout is not None
            said = Lines(process.stdout, f"thera serve {n}")
            try:
                found = said.wait_for(r"^Serving on http://[^/]+:(\d+)/", timeout=90)
            except (RuntimeError, TimeoutError) as exc:
                raise RuntimeError(f"{exc}\n{log.read_text()[-2000:]}") from None
            started[-1].port = int(found[1])
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
def running_nginx(backends: Sequence[int], port: int = 0) -> Iterator[Nginx]:
    """nginx in the foreground on ``port`` (0: a port the system chooses), proxying to
    ``backends``.

    nginx cannot be told port 0, and picking a free port for its configuration would leave a
    moment in which another process could take it. So the test binds the listening socket itself
    (port 0) and hands it to nginx already listening, the way nginx hands its sockets to a new
    binary when upgraded on the fly: the socket is passed open and named in the ``NGINX``
    environment variable, and nginx uses it for the ``listen`` line of the same address instead
    of binding one. nginx says on its error output when its workers start; the test waits for
    that line.
    """
    binary = nginx_binary()
    prefix = Path(tempfile.mkdtemp(prefix="thera-nginx-"))
    as_root = os.geteuid() == 0
    with contextlib.ExitStack() as stack:
        stack.callback(shutil.rmtree, prefix, ignore_errors=True)
        listener = stack.enter_context(socket.socket())
        listener.bind(("127.0.0.1", port))
        listener.listen(511)
        port = listener.getsockname()[1]
        temps = "\n".join(f"    {kind}_temp_path {prefix / kind};"
                          for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
        (prefix / "thera.conf").write_text(deployed_config(port, backends, prefix / "access.log"))
        (prefix / "nginx.conf").write_text(
            f"worker_processes 1;\npid {prefix / 'nginx.pid'};\n"
            f"error_log {prefix / 'error.log'} warn;\nerror_log stderr notice;\n"
            "events { worker_connections 512; }\n"
            f"http {{\n{temps}\n    include {prefix / 'thera.conf'};\n}}\n")
        if as_root:  # nginx's workers drop to nobody: the folder is theirs, not root's
            for path in (prefix, *prefix.iterdir()):
                shutil.chown(path, "nobody")
        command = [binary, "-p", str(prefix), "-c", str(prefix / "nginx.conf"),
                   "-e", "stderr", "-g", "daemon off;"]
        if as_root:
            command = ["runuser", "-u", "nobody", "--", *command]
        process = subprocess.Popen(
            command, env={**os.environ, "NGINX": f"{listener.fileno()};"},
            pass_fds=[listener.fileno()], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            text=True, start_new_session=True)
        stack.callback(_stop, process, signal.SIGQUIT)
        assert process.stderr is not None
        said = Lines(process.stderr, "nginx")
        said.wait_for(r"using inherited sockets", timeout=20)
        said.wait_for(r"start worker processes", timeout=20)
        yield Nginx(process, port, prefix)
