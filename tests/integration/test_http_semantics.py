"""HTTP details clients rely on: one charset in a Content-Type, Allow on 405 answers."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("path", ["/staff/export.csv?status=all", "/staff/stats/export.csv"])
def test_csv_downloads_name_their_charset_once(staff_client, file_via_api, path) -> None:
    file_via_api()
    client, _ = staff_client("supervisor")
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"


@pytest.mark.parametrize(("method", "path", "allowed"), [
    ("delete", "/api/v1/complaints", {"GET", "POST"}),
    ("put", "/api/v1/complaints/CR-2345-6789/status", {"GET"}),
    ("post", "/api/v1/openapi.json", {"GET"}),
    ("post", "/healthz", {"GET"}),
    ("patch", "/api/v1/stats", {"GET"}),
    ("delete", "/en/status", {"GET", "POST"}),
])
def test_405_answers_say_which_methods_are_allowed(client, method, path, allowed) -> None:
    response = getattr(client, method)(path)
    assert response.status_code == 405
    assert set(response.headers["Allow"].replace(" ", "").split(",")) - {"HEAD", "OPTIONS"} \
        == allowed


@pytest.mark.parametrize("by", ["any_category,quarter", "component", "category,any_category"])
def test_stats_narrowed_to_the_dimension_they_count_by_answer(app, client, staff_client,
                                                              file_via_api, by) -> None:
    file_via_api(primary_category="profiling", components=["CBP"])
    _, analyst = staff_client("analyst")
    response = client.get("/api/v1/stats", query_string={
        "by": by, "category": "profiling", "component": "CBP"},
        headers={"Authorization": f"Bearer {analyst.token(app)}"})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["total"] == 1


@pytest.mark.parametrize(("query", "field"), [
    ({"by": "category", "suppress": "²"}, "suppress"),
    ({"by": "category", "from": ""}, "from"),
    ({"by": "category", "from": "20260105"}, "from"),
    ({"by": "category "}, "by"),
    ({"by": "category,"}, "by"),
])
def test_stats_parameters_are_read_exactly_as_documented(app, client, staff_client, query,
                                                         field) -> None:
    _, analyst = staff_client("analyst")
    response = client.get("/api/v1/stats", query_string=query,
                          headers={"Authorization": f"Bearer {analyst.token(app)}"})
    assert response.status_code == 422
    assert field in response.get_json()["errors"]
