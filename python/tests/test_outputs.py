"""The program's outputs as a script meets them: progress lines only on a terminal and never in the
JSON on stdout; provenance in every record; CSV tables."""
import csv
import json
import os
import pty
import subprocess

import pytest

CLI = os.environ.get("SQSIM_CLI")
pytestmark = pytest.mark.skipif(not CLI, reason="SQSIM_CLI (the sqsim binary) is set by ctest")

ARGS = ["experiment", "approximation", "--dim", "5", "--opts", "0.001,0.01", "--seeds", "40", "--bootstrap", "20", "--json"]


def read_all(fd):
    chunks = []
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # the terminal closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks).decode(errors="replace")


def test_progress_on_a_terminal_never_in_the_json():
    master, slave = pty.openpty()
    process = subprocess.Popen([CLI, *ARGS], stdout=subprocess.PIPE, stderr=slave)
    os.close(slave)
    out, _ = process.communicate(timeout=600)
    terminal = read_all(master)
    os.close(master)
    assert process.returncode == 0
    record = json.loads(out)  # stdout is the JSON alone
    assert record["context"]["provenance"]["command_line"][1:3] == ["experiment", "approximation"]
    assert "experiment approximation:" in terminal and "runs/s" in terminal
    # Not a terminal: no progress at all.
    piped = subprocess.run([CLI, *ARGS], capture_output=True, timeout=600)
    assert piped.returncode == 0 and piped.stderr == b""
    again = json.loads(piped.stdout)
    again["context"].pop("provenance")
    record["context"].pop("provenance")
    assert again == record  # the same seed, the same record


def test_csv_of_a_record(tmp_path):
    target = tmp_path / "approx.csv"
    result = subprocess.run([CLI, *ARGS[:-1], "--csv", str(target), "--json"], capture_output=True, timeout=600)
    assert result.returncode == 0
    record = json.loads(result.stdout)
    with open(target, newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == len(record["points"])
    for row, point in zip(rows, record["points"]):
        assert row["algorithm"] == point["algorithm"] and row["labels"] == point["labels"]
        if point["reachable"]:
            assert float(row["excess_mean"]) == point["excess_mean"]  # full precision
    with open(tmp_path / "approx-fits.csv", newline="") as f:
        assert len(list(csv.DictReader(f))) == len(record["fits"])
