"""A real ClamAV daemon (Debian's clamav-daemon) with a signature database these tests write
themselves: an infected file is refused through every door and recorded; a daemon that does not
answer keeps files out rather than letting them in unscanned."""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from complaints.attachments.scan import Scanner
from complaints.extensions import db
from complaints.models import Attachment, AuditEvent, Complaint
from tests import attachment_samples as samples
from tests.conftest import valid_intake

SIGNATURE = "Complaints.Test.Signature"


def _unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}; under CI=true the virus-scanning tests must run "
                    "(make test installs clamav-daemon when run as root)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def clamd_socket() -> Iterator[str]:
    binary = shutil.which("clamd") or "/usr/sbin/clamd"
    if not os.path.exists(binary):
        _unavailable("ClamAV's daemon is not installed (apt-get install clamav-daemon)")
    folder = Path(tempfile.mkdtemp(prefix="clamd-", dir="/tmp"))  # short: a socket path
    database = folder / "db"
    database.mkdir()
    md5 = hashlib.md5(samples.TEST_VIRUS).hexdigest()  # noqa: S324 (ClamAV's hash format)
    (database / "complaints-test.hdb").write_text(
        f"{md5}:{len(samples.TEST_VIRUS)}:{SIGNATURE}\n")
    socket_path = folder / "clamd.sock"
    lines = [f"DatabaseDirectory {database}", f"LocalSocket {socket_path}",
             "Foreground yes", f"PidFile {folder / 'clamd.pid'}",
             f"TemporaryDirectory {folder}", "LogTime yes", f"LogFile {folder / 'clamd.log'}"]
    if os.geteuid() == 0:
        lines.append("User root")
    config = folder / "clamd.conf"
    config.write_text("\n".join(lines) + "\n")
    with open(folder / "output.log", "wb") as output:
        process = subprocess.Popen([binary, f"--config-file={config}"],  # noqa: S603
                                   stdout=output, stderr=subprocess.STDOUT)
    scanner = Scanner(socket_path=str(socket_path), timeout=10)
    deadline = time.monotonic() + 60
    while not scanner.ping():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            log = (folder / "output.log").read_text(errors="replace")[-2000:]
            shutil.rmtree(folder, ignore_errors=True)
            _unavailable(f"clamd did not start: {log}")
        time.sleep(0.2)
    yield str(socket_path)
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    shutil.rmtree(folder, ignore_errors=True)


def test_the_daemon_finds_the_test_signature_and_passes_clean_files(clamd_socket) -> None:
    scanner = Scanner(socket_path=clamd_socket)
    found = scanner.scan(samples.TEST_VIRUS)
    assert not found.clean
    assert found.signature is not None
    assert found.signature.startswith(SIGNATURE)
    assert scanner.scan(samples.pdf()).clean


def _api_file(client, files):
    return client.post("/api/v1/complaints", content_type="multipart/form-data", data={
        "complaint": json.dumps(valid_intake()),
        "files": [(io.BytesIO(content), name) for content, name in files]})


def test_an_infected_file_is_refused_and_recorded(app_factory, clamd_socket) -> None:
    app = app_factory(CLAMD_SOCKET=clamd_socket)
    client = app.test_client()
    response = _api_file(client, [(samples.pdf(), "fine.pdf"),
                                  (samples.TEST_VIRUS, "notes.txt")])
    assert response.status_code == 422
    assert response.get_json()["errors"]["files"] == [
        "“notes.txt” may contain a virus, so we did not accept it."]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Complaint)) == 0
        assert db.session.scalar(select(func.count()).select_from(Attachment)) == 0
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.kind == "file_refused"))
        assert event.data["signature"].startswith(SIGNATURE)
        assert event.data["sha256"] == hashlib.sha256(samples.TEST_VIRUS).hexdigest()
        assert event.actor == "api"
    assert not any(p.is_file() for p in Path(app.config["ATTACHMENT_DIR"]).rglob("*"))


def test_clean_files_are_marked_scanned(app_factory, clamd_socket) -> None:
    app = app_factory(CLAMD_SOCKET=clamd_socket)
    response = _api_file(app.test_client(), [(samples.png_with_gps(), "arm.png")])
    assert response.status_code == 201, response.get_json()
    with app.app_context():
        assert db.session.scalar(select(Attachment.scan_result)) == "clean"


def test_a_scanner_that_does_not_answer_keeps_files_out(app_factory, tmp_path) -> None:
    app = app_factory(CLAMD_SOCKET=str(tmp_path / "nobody-listens.sock"))
    response = _api_file(app.test_client(), [(samples.pdf(), "letter.pdf")])
    assert response.status_code == 422
    assert response.get_json()["errors"]["files"] == [
        "We could not check “letter.pdf” for viruses just now, so it was not added. Please "
        "try again in a few minutes."]
