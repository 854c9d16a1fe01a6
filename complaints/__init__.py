"""complaints: civil-rights complaint intake and case tracking.

`create_app()` wires configuration, extensions, blueprints, error handlers and the CLI.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the application. `config` overrides every other source (used by tests)."""
    from complaints import (
        cli,
        database,
        errors,
        i18n_setup,
        rate_limits,
        security,
        templating,
        uploads,
        web_assets,
    )
    from complaints.api import bp as api_bp
    from complaints.config import Settings
    from complaints.extensions import csrf, db, login_manager, migrate
    from complaints.public import bp as public_bp
    from complaints.staff import bp as staff_bp

    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    settings = Settings.load(app.instance_path, config)
    app.config.from_mapping(settings.as_flask_config())
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if settings.PROXY_FIX_X_FOR:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=settings.PROXY_FIX_X_FOR,  # type: ignore[method-assign]
                                x_proto=1, x_host=1)

    import complaints.models  # noqa: F401  (registers the models with SQLAlchemy)
    import complaints.stats.rollup  # noqa: F401  (keeps the statistics rollup exact on flush)

    db.init_app(app)
    database.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"))
    csrf.init_app(app)
    rate_limits.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "staff.login"
    i18n_setup.init_app(app)
    templating.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    web_assets.init_app(app)
    uploads.init_app(app)

    app.register_blueprint(public_bp)
    app.register_blueprint(staff_bp)
    app.register_blueprint(api_bp)
    csrf.exempt(api_bp)
    cli.init_app(app)
    return app
