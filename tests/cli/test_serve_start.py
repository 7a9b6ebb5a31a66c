"""What `thera serve` says when it starts: plain lines, no Python warnings."""

import os
import re
import subprocess
import sys

from tests.factories import make_practice
from tests.helpers.network import listening


def test_serve_says_email_reminders_wait_and_prints_no_python_warning(tmp_path):
    db = tmp_path / "practice.duckdb"
    make_practice(str(db)).db.close()
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("THERA_SMTP_") and k != "THERA_COOKIE_SECRET"}
    # Port 0: the server binds a port the system chooses and says which.
    proc = subprocess.Popen([sys.executable, "-m", "thera_app.cli", "serve", "--db",
                             str(db), "--port", "0"], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    lines = []
    try:
        assert proc.stdout is not None
        # Both warnings are written before the server listens and says where (or crashes).
        for line in proc.stdout:
            lines.append(line)
            if line.startswith("Serving on "):
                break
        port = int(re.search(r":(\d+)/scheduler", lines[-1]).group(1))
        assert port > 0 and listening(port)
    finally:
        proc.terminate()
        rest, _ = proc.communicate(timeout=60)
    output = "".join(lines) + rest
    assert "email reminders will wait in the queue until a mail server is set" in output
    assert "THERA_COOKIE_SECRET is not set" in output
    assert "Warning" not in output and "warnings.warn" not in output
