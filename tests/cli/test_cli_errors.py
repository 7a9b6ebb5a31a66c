"""The `thera` command refuses bad input with one clear line and exit code 2."""

import subprocess
import sys


def thera(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "thera_app.cli", *args],
                          capture_output=True, text=True, timeout=120)


def test_a_refused_init_leaves_no_half_made_practice(tmp_path):
    db = tmp_path / "new.duckdb"
    result = thera("init", "--db", str(db), "--name", "Clinic", "--time-zone", "Mars/Base",
                   "--manager-password", "demo")
    assert result.returncode == 2
    assert "time_zone: 'Mars/Base' is not an IANA time zone" in result.stderr
    assert not db.exists()


def test_a_damaged_database_file_is_an_error_not_a_traceback(tmp_path):
    db = tmp_path / "damaged.duckdb"
    db.write_bytes(b"DUCK" * 1000)
    result = thera("report", "backlog", "--db", str(db))
    assert result.returncode == 2
    assert "error:" in result.stderr and "Traceback" not in result.stderr


def test_a_port_out_of_range_is_refused(tmp_path):
    result = thera("serve", "--db", str(tmp_path / "x.duckdb"), "--port", "99999")
    assert result.returncode == 2 and "not a port" in result.stderr
