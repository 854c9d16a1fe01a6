"""Filing never fails under load: many clients at once on SQLite and PostgreSQL, lock
contention retried, and a clear 503 (nothing lost, nothing half-written) when it persists."""

from __future__ import annotations

import random
import string
import threading
from collections import Counter
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from complaints.extensions import db
from complaints.models import AuditEvent, Complaint, ComplaintCategory, ComplaintComponent
from complaints.services import intake
from tests.conftest import valid_intake
from tests.integration.test_public_form import STEP_WHAT, STEP_YOU, post_step, walk_to_review

THREADS = 12
FILINGS_EACH = 15


def _file_concurrently(app: Any, bodies: list[dict[str, Any]]) -> list[tuple[int, Any]]:
    """POST every body from THREADS clients at once; (status, JSON answer) of each."""
    answers: list[tuple[int, Any]] = []
    lock = threading.Lock()
    start = threading.Barrier(THREADS)
    chunks = [bodies[i::THREADS] for i in range(THREADS)]

    def client_thread(mine: list[dict[str, Any]]) -> None:
        client = app.test_client()
        start.wait()
        for body in mine:
            response = client.post("/api/v1/complaints", json=body)
            with lock:
                answers.append((response.status_code, response.get_json()))

    threads = [threading.Thread(target=client_thread, args=(chunk,)) for chunk in chunks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    return answers


def _distinct_narrative(number: int) -> str:
    """A narrative unlike any other of this test's (no possible duplicates among them)."""
    rng = random.Random(number)
    words = ["".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(3, 9)))
             for _ in range(30)]
    return "What happened: " + " ".join(words)


def test_many_clients_filing_at_once_all_get_a_receipt_stored_once(app) -> None:
    bodies = [valid_intake(narrative=_distinct_narrative(i))
              for i in range(THREADS * FILINGS_EACH)]
    answers = _file_concurrently(app, bodies)
    assert Counter(status for status, _ in answers) == {201: len(bodies)}
    receipts = [answer["receipt"] for _, answer in answers]
    assert len(set(receipts)) == len(receipts)
    with app.app_context():
        stored = Counter(db.session.scalars(select(Complaint.receipt)))
        assert stored == Counter(receipts), "every acknowledged receipt stored exactly once"
        per_kind = dict(db.session.execute(
            select(AuditEvent.kind, func.count()).group_by(AuditEvent.kind)).all())
        assert per_kind == {"filed": len(bodies), "routed": len(bodies)}
        assert db.session.scalar(select(func.count()).select_from(ComplaintCategory)) == \
            2 * len(bodies)
        assert db.session.scalar(select(func.count()).select_from(ComplaintComponent)) == \
            len(bodies)


def test_concurrent_filings_from_one_person_still_find_each_other(app) -> None:
    """Duplicate detection stays exact under concurrency: each filing sees every one that
    committed before it, so only the first of them is not flagged."""
    bodies = [valid_intake(email="same.person@example.org",
                           narrative=f"Filing {i} about the same events, written differently "
                                     f"each time: {'abcdefghij'[i % 10] * (i + 3)}.")
              for i in range(THREADS * 2)]
    answers = _file_concurrently(app, bodies)
    assert {status for status, _ in answers} == {201}
    with app.app_context():
        flags = list(db.session.scalars(select(Complaint.possible_duplicate)))
    assert flags.count(False) == 1
    assert flags.count(True) == len(bodies) - 1


def _locked() -> OperationalError:
    return OperationalError("INSERT INTO complaints …", {}, Exception("database is locked"))


def test_a_filing_refused_for_a_lock_is_tried_again(app, client, monkeypatch) -> None:
    real_store = intake._store
    failures = iter([_locked(), _locked()])

    def flaky_store(filing: Any) -> Any:
        error = next(failures, None)
        if error is not None:
            raise error
        return real_store(filing)

    monkeypatch.setattr(intake, "_store", flaky_store)
    monkeypatch.setattr(intake, "FIRST_PAUSE", 0.001)
    response = client.post("/api/v1/complaints", json=valid_intake())
    assert response.status_code == 201
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Complaint)) == 1


@pytest.fixture
def always_locked(monkeypatch: pytest.MonkeyPatch) -> None:
    def locked_store(filing: Any) -> Any:
        raise _locked()

    monkeypatch.setattr(intake, "_store", locked_store)
    monkeypatch.setattr(intake, "FIRST_PAUSE", 0.001)


@pytest.mark.usefixtures("always_locked")
def test_a_database_that_stays_busy_gets_a_translated_503_not_a_500(app, client) -> None:
    response = client.post("/api/v1/complaints", json=valid_intake(),
                           headers={"Accept-Language": "es"})
    assert response.status_code == 503
    assert int(response.headers["Retry-After"]) > 0
    assert response.get_json()["message"] == "En este momento estamos muy ocupados"
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Complaint)) == 0


@pytest.mark.usefixtures("always_locked")
def test_the_form_shows_everything_typed_again_when_the_database_stays_busy(client) -> None:
    review = walk_to_review(client)
    response = post_step(client, review, {"privacy_acknowledged": "y"}, action="submit")
    html = response.get_data(as_text=True)
    assert response.status_code == 503
    assert response.headers["Retry-After"]
    assert "We could not save your complaint just now. Nothing you typed was lost" in html
    assert STEP_WHAT["narrative"] in html
    assert STEP_YOU["filer_name"] in html
