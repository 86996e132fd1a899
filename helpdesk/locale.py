"""The district's locale: the language and region every date, time and number is written for.

One district, one locale (default en-US, the 12-hour clock); each school keeps its own time zone.
The setting is stored on each school row, so a page gets it with the signed-in user's school at no
extra query; `helpdesk.schools.services.set_district_locale` keeps the rows in step.
(Flask and the database are imported where used, so the constants load without either.)
"""

DEFAULT_LOCALE = "en-US"
# English only: the pages are written in English, so only the way of writing dates may change.
LOCALES = {
    "en-US": "English (United States)",
    "en-CA": "English (Canada)",
    "en-GB": "English (United Kingdom)",
    "en-AU": "English (Australia)",
}


def current_locale() -> str:
    """The locale of this request (the signed-in user's district), else the district's."""
    # Imported here so helpdesk.formatting stays usable, with an explicit locale, without Flask;
    # a page of open times asks hundreds of times, so a known answer is read first.
    from flask import g, has_request_context

    if has_request_context() and "helpdesk_locale" in g:
        return g.helpdesk_locale
    from flask_login import current_user

    if has_request_context():
        if "helpdesk_locale" not in g:
            if current_user and current_user.is_authenticated:
                g.helpdesk_locale = current_user.school.locale
            else:
                g.helpdesk_locale = district_locale()
        return g.helpdesk_locale
    return district_locale()


def district_locale() -> str:
    """The locale every date and time in the district is written for (default en-US)."""
    from helpdesk.extensions import db
    from helpdesk.schools.models import School

    found = db.session.scalar(db.select(School.locale).order_by(School.id).limit(1))
    return found or DEFAULT_LOCALE
