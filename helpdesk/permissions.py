"""Role gates for views. Object rules live on the models as can_* methods."""

from collections.abc import Callable
from functools import wraps

from flask import abort
from flask_login import current_user, login_required

from helpdesk.accounts.models import Role


def role_required(*roles: Role) -> Callable:
    """Signed in, and one of these roles; anyone else gets 403."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


advisor_required = role_required(Role.ADVISOR)
