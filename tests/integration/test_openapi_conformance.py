"""The OpenAPI document is exactly what the server does: schemathesis reads /api/v1/openapi.json
from a running app and, for every operation, sends the examples, the coverage cases (every
boundary, missing headers, methods the path does not take) and generated requests, valid and
invalid, running all of its checks on every answer: no 5xx, no undocumented status, header or
body, invalid data refused, valid data accepted (see schemathesis_hooks.py for the rules the
document can only say in words). Examples per operation are bounded, so it takes seconds.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import valid_intake
from tests.live_server import LiveServer

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = 6


@pytest.fixture
def live_url(app: Any) -> Iterator[str]:
    with LiveServer(app) as server:
        yield server.url


@pytest.fixture
def world(app: Any, make_staff: Any, file_via_api: Any) -> dict[str, Any]:
    """Stored data the generated requests can refer to, and a supervisor's token."""
    first = file_via_api()
    second = file_via_api(narrative="A second, unrelated complaint about the phones in the "
                                    "unit.")
    member = make_staff("supervisor", restricted=True)
    token = member.token(app)
    page = app.test_client().get("/api/v1/complaints?limit=1",
                                 headers={"Authorization": f"Bearer {token}"}).get_json()
    return {"receipt": first["receipt"], "access_code": first["access_code"],
            "other_receipt": second["receipt"],
            "cursor": page["next"], "staff_email": member.email, "token": token}


def test_every_answer_matches_the_document(live_url: str, world: dict[str, Any],
                                          tmp_path: Path, database_url: str) -> None:
    if not database_url.startswith("sqlite"):
        pytest.skip("the HTTP contract is the same on every database: checked once, on SQLite "
                    "(hostile input is tried on each database in test_hostile_input.py)")
    command = [str(Path(sys.executable).parent / "st"), "run",
               f"{live_url}/api/v1/openapi.json", "--checks", "all",
               "--max-examples", str(EXAMPLES), "--seed", "20261202", "--workers", "1",
               "--continue-on-failure", "--max-failures", "20", "--no-color",
               "--header", f"Authorization: Bearer {world['token']}",
               "--report-dir", str(tmp_path)]
    env = {**os.environ, "SCHEMATHESIS_HOOKS": "tests.integration.schemathesis_hooks",
           "COMPLAINTS_CONFORMANCE_WORLD": json.dumps(world), "PYTHONPATH": str(ROOT)}
    run = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True,  # noqa: S603
                         timeout=600, check=False)
    assert run.returncode == 0, run.stdout[-20000:] + run.stderr[-5000:]
    assert "No issues found" in run.stdout or " passed" in run.stdout, run.stdout[-3000:]


def test_a_client_built_from_the_document_files_valid_complaints(client) -> None:
    """What was found before: 0 of 638 generated filings were valid. The document's own
    constraints now describe complaints the server accepts."""
    doc = client.get("/api/v1/openapi.json").get_json()
    intake = doc["components"]["schemas"]["Intake"]["properties"]
    assert intake["privacy_acknowledged"]["enum"] == [True]
    assert intake["narrative"]["minLength"] == 1
    assert intake["components"]["minItems"] == 1
    assert f"{date.today():%Y}" in intake["incident_month"]["pattern"]
    assert client.post("/api/v1/complaints", json=valid_intake()).status_code == 201
    assert "/api/v1/stats" in doc["paths"]
