"""What `thera serve` says when it starts: plain lines, no Python warnings."""

import os
import socket
import subprocess
import sys

from tests.factories import make_practice


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _listening(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def test_serve_says_email_reminders_wait_and_prints_no_python_warning(tmp_path):
    db = tmp_path / "practice.duckdb"
    make_practice(str(db)).db.close()
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("THERA_SMTP_") and k != "THERA_COOKIE_SECRET"}
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "thera_app.cli", "serve", "--db",
                             str(db), "--port", str(port)], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    try:
        # Both lines are written before the server listens; wait for it (or for a crash).
        while proc.poll() is None and not _listening(port):
            try:
                proc.wait(timeout=0.2)
            except subprocess.TimeoutExpired:
                pass
    finally:
        proc.terminate()
        output, _ = proc.communicate(timeout=60)
    assert "email reminders will wait in the queue until a mail server is set" in output
    assert "THERA_COOKIE_SECRET is not set" in output
    assert "Warning" not in output and "warnings.warn" not in output
