"""A feature's settings: one row (id 1) of its own table, made with its defaults when first read."""

from typing import TypeVar

from sqlalchemy.exc import IntegrityError

from helpdesk.extensions import db

Row = TypeVar("Row")


def settings_row(model: type[Row], **defaults) -> Row:
    """The one row of `model`, created with `defaults` (beyond the columns' own) the first time.
    Of two requests creating it at once, the second reads the first's."""
    settings = db.session.get(model, 1)
    if settings is not None:
        return settings
    try:
        with db.session.begin_nested():
            settings = model(id=1, **defaults)
            db.session.add(settings)
    except IntegrityError:  # another request created it first
        settings = db.session.get(model, 1, populate_existing=True)
    return settings
