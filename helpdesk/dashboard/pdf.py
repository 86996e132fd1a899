"""The board report as a PDF (fpdf2): the same sections as the printed page, with each chart
drawn as plain bars from its data table. Core fonts only, so nothing is loaded from the system."""

from fpdf import FPDF

from helpdesk.dashboard.charts import Chart
from helpdesk.dashboard.report import BoardReport
from helpdesk.formatting import day_range, number

# Core PDF fonts are Latin-1: typographic characters become their plain equivalents.
_PLAIN = str.maketrans(
    {
        "“": '"',
        "”": '"',
        "‘": "'",
        "’": "'",
        "–": "-",
        "—": "-",
        "−": "-",
        "…": "...",
        "\u202f": " ",
        "\u2009": " ",
        "\u00a0": " ",
    }
)
BAR_COLOURS = [(31, 95, 191), (29, 122, 70), (138, 90, 0), (179, 38, 30)]
INK = (29, 36, 51)
MUTED = (85, 96, 122)


def _plain(text: str) -> str:
    return str(text).translate(_PLAIN).encode("latin-1", "replace").decode("latin-1")


class _Report(FPDF):
    def header(self) -> None:
        pass

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("Helvetica", size=8)
        self.set_text_color(*MUTED)
        self.cell(0, 6, f"Page {self.page_no()}", align="C")


def board_report_pdf(report: BoardReport, program: str) -> bytes:
    pdf = _Report(format="Letter")
    pdf.set_auto_page_break(auto=True, margin=16)
    pdf.set_title(_plain(f"{program}: board report"))
    pdf.add_page()
    _title(pdf, report, program)
    _headlines(pdf, report)
    for chart in report.dashboard.charts:
        _chart(pdf, chart)
    _survey(pdf, report)
    _tips(pdf, report)
    return bytes(pdf.output())


def _heading(pdf: FPDF, text: str, size: int = 14) -> None:
    if pdf.get_y() > pdf.h - 50:
        pdf.add_page()
    pdf.ln(3)
    pdf.set_font("Helvetica", "B", size)
    pdf.set_text_color(*INK)
    pdf.multi_cell(0, size * 0.5, _plain(text), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)


def _text(pdf: FPDF, text: str, size: int = 10, colour=INK, style: str = "") -> None:
    pdf.set_font("Helvetica", style, size)
    pdf.set_text_color(*colour)
    pdf.multi_cell(0, size * 0.5, _plain(text), new_x="LMARGIN", new_y="NEXT")


def _title(pdf: FPDF, report: BoardReport, program: str) -> None:
    pdf.set_font("Helvetica", "B", 20)
    pdf.set_text_color(*INK)
    term = report.term.name if report.term else "The last weeks"
    pdf.multi_cell(0, 10, _plain(f"{program}: {term}"), new_x="LMARGIN", new_y="NEXT")
    _text(
        pdf,
        f"{report.school_name} · {day_range(report.scope.first_day, report.scope.last_day)}",
        colour=MUTED,
    )


def _headlines(pdf: FPDF, report: BoardReport) -> None:
    previous = report.previous.name if report.previous else None
    _heading(pdf, "Headlines" + (f" (change since {previous})" if previous else ""))
    pdf.set_font("Helvetica", size=11)
    for row in report.headlines:
        pdf.set_text_color(*INK)
        pdf.cell(80, 7, _plain(row.label))
        pdf.set_font("Helvetica", "B", 11)
        pdf.cell(30, 7, _plain(number(row.value)), align="R")
        pdf.set_font("Helvetica", size=11)
        pdf.set_text_color(*MUTED)
        pdf.cell(0, 7, _plain(f"  {row.change_text}"), new_x="LMARGIN", new_y="NEXT")


def _chart(pdf: FPDF, chart: Chart) -> None:
    """The chart's rows as bars: one bar per numeric column, scaled to the largest value."""
    _heading(pdf, chart.title, 12)
    _text(pdf, chart.desc, 9, MUTED)
    if chart.is_empty:
        return
    pdf.ln(1)
    numeric = [
        i
        for i, header in enumerate(chart.headers)
        if i and all(isinstance(row[i], int | float) for row in chart.rows)
    ]
    numeric = numeric[:2] if chart.key != "sessions" else numeric[:-1]  # not the total
    top = max((row[i] for row in chart.rows for i in numeric), default=0) or 1
    label_w, bar_w = 45, pdf.epw - 45 - 14
    thickness = 3.2 if len(numeric) > 1 and chart.key != "sessions" else 4
    for row in chart.rows:
        if pdf.get_y() > pdf.h - 22:
            pdf.add_page()
        y = pdf.get_y()
        pdf.set_font("Helvetica", size=8)
        pdf.set_text_color(*INK)
        pdf.set_xy(pdf.l_margin, y)
        pdf.cell(label_w, 4, _plain(str(row[0]))[:28])
        x = pdf.l_margin + label_w
        if chart.key == "sessions":  # stacked, as on the page
            for n, i in enumerate(numeric):
                w = row[i] / top * bar_w
                if w:
                    pdf.set_fill_color(*BAR_COLOURS[n % len(BAR_COLOURS)])
                    pdf.rect(x, y + 0.4, w, thickness, style="F")
                    x += w
            pdf.set_xy(x + 1, y)
            pdf.cell(12, 4, _plain(number(row[-1])))
            pdf.set_y(y + thickness + 1.2)
            continue
        for n, i in enumerate(numeric):
            w = row[i] / top * bar_w
            pdf.set_fill_color(*BAR_COLOURS[n % len(BAR_COLOURS)])
            pdf.rect(x, y + 0.4 + n * thickness, max(w, 0.3), thickness - 0.4, style="F")
            pdf.set_xy(x + w + 1, y + n * thickness)
            pdf.set_font("Helvetica", size=7)
            pdf.cell(12, thickness, _plain(number(row[i])))
        pdf.set_y(y + max(len(numeric), 1) * thickness + 1.5)
    if len(numeric) > 1:
        names = ", ".join(
            f"{('blue', 'green', 'amber', 'red')[n]}: {chart.headers[i]}"
            for n, i in enumerate(numeric)
        )
        _text(pdf, names, 8, MUTED)


def _survey(pdf: FPDF, report: BoardReport) -> None:
    _heading(pdf, "What teachers and mentors told us")
    results = report.survey_results
    if results is None or not results.total:
        _text(pdf, "No survey answers for this term.", colour=MUTED)
        return
    _text(
        pdf,
        f"{number(results.teachers)} teachers and {number(results.mentors)} student mentors "
        "answered the end-of-term survey. Answers are anonymous; the quotes below are from "
        "people who allowed them.",
    )
    if results.confidence_before is not None:
        _text(
            pdf,
            f"Teachers' confidence with technology: {number(results.confidence_before)} before, "
            f"{number(results.confidence_after)} after (1-5); "
            f"{number(results.more_confident)} of {number(results.teachers)} feel more confident.",
        )
    for quote in report.quotes:
        pdf.ln(2)
        _text(pdf, quote.question, 8, MUTED)
        _text(pdf, f"“{quote.text}”", 10, INK, "I")
        _text(pdf, f"- {quote.attribution}", 9, MUTED)


def _tips(pdf: FPDF, report: BoardReport) -> None:
    _heading(pdf, "Most-read tips")
    if not report.dashboard.top_tips:
        _text(pdf, "No tips published yet.", colour=MUTED)
    for tip in report.dashboard.top_tips:
        _text(
            pdf, f"{tip.title} - {number(tip.views)} views, {number(tip.helpful)} found it helpful"
        )
