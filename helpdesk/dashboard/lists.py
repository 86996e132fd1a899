"""The dashboard page and the board report: figures from SQL, turned into charts and sentences."""

from dataclasses import dataclass

from helpdesk.dashboard import charts, figures
from helpdesk.dashboard.charts import Chart, Series
from helpdesk.dashboard.figures import Headlines, Scope
from helpdesk.formatting import number, plural, short_day

OUTCOME_SERIES = (
    Series("Completed", "c-completed"),
    Series("No-show", "c-no-show"),
    Series("Cancelled", "c-cancelled"),
    Series("Declined", "c-declined"),
)


@dataclass
class Dashboard:
    scope: Scope
    charts: list[Chart]
    resolve: figures.ResolveTime
    outcomes: figures.Outcomes
    top_tips: list[figures.TopTip]
    load: figures.Load


def _weeks(items) -> list[str]:
    return [short_day(item.week_on) for item in items]


def sessions_chart(scope: Scope) -> Chart:
    weeks = figures.sessions_by_week(scope)
    totals = {
        s.label: sum(getattr(w, f) for w in weeks)
        for s, f in zip(
            OUTCOME_SERIES, ("completed", "no_show", "cancelled", "declined"), strict=True
        )
    }
    held = sum(w.total for w in weeks)
    desc = (
        f"{plural(held, 'session')} over {plural(len(weeks), 'week')}: "
        f"{number(totals['Completed'])} completed, {number(totals['No-show'])} no-show, "
        f"{number(totals['Cancelled'])} cancelled, {number(totals['Declined'])} declined."
    )
    return charts.stacked_columns(
        "sessions",
        "Sessions per week, by outcome",
        desc,
        _weeks(weeks),
        list(OUTCOME_SERIES),
        [
            [w.completed for w in weeks],
            [w.no_show for w in weeks],
            [w.cancelled for w in weeks],
            [w.declined for w in weeks],
        ],
    )


def supply_chart(scope: Scope) -> Chart:
    topics = figures.supply_gap(scope)
    widest = max(topics, key=lambda t: t.gap, default=None)
    if widest is None:
        desc = "No sessions or help requests were asked for in this period."
    else:
        desc = (
            f"{len(topics)} most-asked topics; the widest gap is {widest.topic}: "
            f"{plural(widest.asked, 'request')} and {plural(widest.mentors, 'mentor')} who can teach it."
        )
    return charts.bars(
        "supply",
        "Topics asked for against mentors who can teach them",
        desc,
        [t.topic for t in topics],
        [Series("Requests", "c-asked"), Series("Mentors", "c-mentors")],
        [[t.asked for t in topics], [t.mentors for t in topics]],
        headers=["Topic", "Requests (sessions and help requests)", "Mentors with the skill"],
    )


def requests_chart(scope: Scope, resolve: figures.ResolveTime) -> Chart:
    weeks = figures.requests_by_week(scope)
    total = sum(w.count for w in weeks)
    median = (
        f"the median time to resolve was {plural(resolve.median_hours, 'school hour')} "
        f"({number(resolve.resolved)} resolved)"
        if resolve.median_hours is not None
        else "none has been resolved yet"
    )
    desc = f"{plural(total, 'help request')} over {plural(len(weeks), 'week')}; {median}."
    return charts.columns_with_line(
        "requests",
        "Help requests per week",
        desc,
        _weeks(weeks),
        Series("Help requests", "c-requests"),
        [w.count for w in weeks],
    )


def outcome_chart(outcomes: figures.Outcomes) -> Chart:
    desc = (
        f"Of {plural(outcomes.finished, 'finished help request')}, "
        f"{outcomes.share(outcomes.self_served)}% were solved by a tip, "
        f"{outcomes.share(outcomes.students)}% by student mentors and "
        f"{outcomes.share(outcomes.escalated)}% went to district IT."
    )
    return charts.share_bar(
        "outcomes",
        "Share of help requests solved by a tip",
        desc,
        [
            (Series("Solved with a tip", "c-tip"), outcomes.self_served),
            (Series("Solved by students", "c-students"), outcomes.students),
            (Series("Sent to district IT", "c-escalated"), outcomes.escalated),
        ],
    )


def tips_chart(scope: Scope) -> Chart:
    weeks = figures.tip_growth(scope)
    added = sum(w.count for w in weeks)
    size = weeks[-1].running if weeks else 0
    desc = (
        f"{plural(added, 'tip')} published in this period; the library holds {plural(size, 'tip')}."
    )
    return charts.columns_with_line(
        "tips",
        "Tip library growth",
        desc,
        _weeks(weeks),
        Series("Published that week", "c-tips"),
        [w.count for w in weeks],
        Series("Library size", "c-line"),
        [w.running for w in weeks],
    )


LOAD_BARS_MAX = 30  # mentors drawn one bar each; more are drawn as how many held how many
LOAD_BUCKETS = ((0, 0), (1, 2), (3, 5), (6, 10), (11, 20), (21, 40), (41, None))


def load_chart(load: figures.Load) -> Chart:
    counts = [m.sessions for m in load.mentors]
    if not counts:
        desc = "No active mentors."
    else:
        desc = (
            f"{plural(len(counts), 'active mentor')}: from {number(max(counts))} sessions down to "
            f"{number(min(counts))}; the median is {number(load.median)}."
        )
    if len(counts) <= LOAD_BARS_MAX:
        return charts.bars(
            "load",
            "Sessions per mentor",
            desc,
            [m.name for m in load.mentors],
            [Series("Sessions", "c-load")],
            [counts],
            marker=("Median", load.median) if load.median is not None else None,
            headers=["Mentor", "Sessions"],
        )
    # A district's mentors, one bar each, is a wall no one reads: show the spread instead, and
    # name the busiest, whom fairness is about.
    buckets = [(low, high) for low, high in LOAD_BUCKETS if low <= max(counts)]
    held = [
        sum(1 for c in counts if c >= low and (high is None or c <= high)) for low, high in buckets
    ]
    busiest = ", ".join(f"{m.name} ({number(m.sessions)})" for m in load.mentors[:3])
    return charts.bars(
        "load",
        "Sessions per mentor",
        f"{desc} Busiest: {busiest}.",
        [_bucket_label(low, high) for low, high in buckets],
        [Series("Mentors", "c-load")],
        [held],
        headers=["Sessions held", "Mentors"],
    )


def _bucket_label(low: int, high: int | None) -> str:
    """ "0", "3–5", "41 or more": sessions held (the chart's rows are short labels)."""
    if high is None:
        return f"{number(low)} or more"
    return number(low) if low == high else f"{number(low)}–{number(high)}"


def reach_chart(scope: Scope) -> Chart:
    schools = figures.teachers_reached(scope)
    parts = "; ".join(
        f"{s.school}: {number(s.reached)} of {plural(s.teachers, 'teacher')}" for s in schools
    )
    return charts.bars(
        "reach",
        "Teachers reached per school",
        f"Teachers with a session or a help request in this period. {parts}.",
        [s.school for s in schools],
        [Series("Teachers reached", "c-reached"), Series("Teachers at the school", "c-teachers")],
        [[s.reached for s in schools], [s.teachers for s in schools]],
        headers=["School", "Teachers reached", "Teachers at the school"],
    )


def dashboard(scope: Scope) -> Dashboard:
    """Every chart of the dashboard for one term (or stretch of days) and school."""
    resolve = figures.median_resolve_time(scope)
    outcomes = figures.request_outcomes(scope)
    load = figures.mentor_load(scope)
    return Dashboard(
        scope=scope,
        charts=[
            sessions_chart(scope),
            supply_chart(scope),
            requests_chart(scope, resolve),
            outcome_chart(outcomes),
            tips_chart(scope),
            load_chart(load),
            reach_chart(scope),
        ],
        resolve=resolve,
        outcomes=outcomes,
        top_tips=figures.most_viewed_tips(),
        load=load,
    )


@dataclass(frozen=True)
class Headline:
    label: str
    value: float
    previous: float | None

    @property
    def change(self) -> float | None:
        if self.previous is None:
            return None
        return round(self.value - self.previous, 1)

    @property
    def change_text(self) -> str:
        """ "+12", "−3", "no change" against the previous term."""
        change = self.change
        if change is None:
            return ""
        if change == 0:
            return "no change"
        sign = "+" if change > 0 else "−"
        return f"{sign}{number(abs(change))}"


def headline_rows(current: Headlines, previous: Headlines | None) -> list[Headline]:
    return [
        Headline(
            label,
            getattr(current, key),
            getattr(previous, key) if previous is not None else None,
        )
        for key, label in figures.HEADLINE_LABELS
    ]
