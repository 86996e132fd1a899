"""The board report: a term's headlines against the term before, its charts, the survey's
results with the quotes the advisor picked, and the most-read tips. No student's full name."""

from dataclasses import dataclass

from helpdesk.dashboard import figures, lists
from helpdesk.dashboard.figures import Scope
from helpdesk.dashboard.lists import Dashboard, Headline
from helpdesk.dashboard.models import Term
from helpdesk.surveys import services as surveys
from helpdesk.surveys.models import Survey


@dataclass
class BoardReport:
    term: Term | None
    previous: Term | None
    school_name: str  # "All schools" or the one school
    scope: Scope
    headlines: list[Headline]
    dashboard: Dashboard
    survey: Survey | None
    survey_results: surveys.Results | None
    quotes: list[surveys.Quote]


def board_report(
    term: Term | None, previous: Term | None, scope: Scope, school_name: str
) -> BoardReport:
    current = figures.headlines(scope)
    before = None
    if previous is not None:
        before = figures.headlines(
            Scope(previous.starts_on, previous.ends_on, scope.timezone, scope.school_id)
        )
    survey = surveys.survey_of(term) if term is not None else None
    return BoardReport(
        term=term,
        previous=previous,
        school_name=school_name,
        scope=scope,
        headlines=lists.headline_rows(current, before),
        dashboard=lists.dashboard(scope),
        survey=survey,
        survey_results=surveys.results(survey) if survey is not None else None,
        quotes=surveys.picked_quotes(survey) if survey is not None else [],
    )
