"""The settings row is made the first time anyone reads it: several requests reading it at once
(a busy morning after an upgrade) make one row, and none of them fails."""

import threading

from helpdesk.safeguarding.models import SafeguardingSettings
from helpdesk.safeguarding.services import meeting_link_refusal

RACERS = 6


def test_first_reads_at_once_make_one_row(app, db):
    db.session.commit()
    barrier = threading.Barrier(RACERS)
    results: list = [None] * RACERS

    def run(index):
        with app.app_context():
            barrier.wait()
            try:
                results[index] = meeting_link_refusal("https://zoom.us/j/1")
                db.session.commit()
            except Exception as error:  # noqa: BLE001 (reported below, with the others)
                results[index] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(RACERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert results == [None] * RACERS
    assert db.session.scalar(db.select(db.func.count()).select_from(SafeguardingSettings)) == 1
