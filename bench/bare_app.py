"""The smallest Flask app that answers a filing-shaped request: the ceiling that gunicorn,
Flask and the HTTP clients leave on this machine. `gunicorn bench.bare_app:app`."""

from __future__ import annotations

import secrets

from flask import Flask, Response, jsonify, request

app = Flask(__name__)


@app.post("/api/v1/complaints")
def file() -> tuple[Response, int]:
    body = request.get_json()
    return jsonify({"receipt": "CR-" + secrets.token_hex(4).upper(),
                    "fields": len(body)}), 201


@app.get("/ready")
def ready() -> str:
    return "ready"
