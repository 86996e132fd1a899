"""The one shape of a form's `request_key`, the idempotency key that makes a double submit harmless.

Pages put a fresh uuid4 hex in the hidden field; the column holds 64 characters. A longer or
stranger key was not made by us: PostgreSQL refused it with a 500 (value too long) while
SQLite stored it. One app-wide check answers both the same way, before any view reads it.
"""

import re

from flask import request

from helpdesk.errors import render_error

REQUEST_KEY = re.compile(r"[A-Za-z0-9_-]{1,64}")
STALE_FORM = (
    "This form is out of date or was changed on the way. Reload the page and send it again."
)


def reject_malformed_request_key():
    """A before-request hook: 400 with a message when a posted request_key has the wrong shape."""
    if request.method != "POST":
        return None
    keys = request.form.getlist("request_key")
    if len(keys) > 1 or any(key and not REQUEST_KEY.fullmatch(key) for key in keys):
        return render_error(400, STALE_FORM)
    return None
