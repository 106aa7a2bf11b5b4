"""What every template can see: the acting association, roles, and the form macros."""

from __future__ import annotations

from flask import Flask, request, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app import policy
from app.accounts.models import Role
from app.auth import current_association

ROLE_LABELS = {
    Role.TRAINEE.value: _l("trainee"),
    Role.SUPERVISOR.value: _l("supervisor"),
    Role.ADMIN.value: _l("admin"),
}


def register_template_helpers(app: Flask) -> None:
    @app.context_processor
    def inject_context() -> dict[str, object]:
        association = current_association() if current_user.is_authenticated else None
        roles = policy.roles_in(current_user, association.id) if association else frozenset()
        return {
            "current_association": association,
            "current_roles": roles,
            "Role": Role,
            "policy": policy,
            "current_locale": str(get_locale() or "en"),
        }

    @app.template_global()
    def role_label(role: str) -> str:
        return str(ROLE_LABELS.get(str(role), role))

    @app.template_global()
    def page_url(page: int) -> str:
        """The current list URL with another page number, keeping filters."""
        args = request.args.to_dict()
        args["page"] = page
        return url_for(request.endpoint, **(request.view_args or {}), **args)
