"""gunicorn entry point for bench/load.py: the app as configured, plus the two reference routes.

The clock starts at the seeded district's "now" (bench/seed_district.NOW) and runs on from there,
so the pages see the term as the seeder laid it out: most sessions behind, a few weeks ahead.

    HELPDESK_ENV=production SECRET_KEY=... DATABASE_URL=... gunicorn bench.wsgi_bench:app
"""

from datetime import UTC, datetime

from bench.seed_district import NOW
from helpdesk import create_app
from helpdesk.clock import set_clock

_started = datetime.now(UTC)
set_clock(lambda: NOW + (datetime.now(UTC) - _started))
app = create_app({"BENCH_ROUTES": True})
