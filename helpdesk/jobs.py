"""Cron passes that commit per item: a crash or an error part-way loses and repeats nothing.

Each item's "done" mark and its outbox rows are written in one transaction. A step re-checks its
item inside that transaction (a compare-and-swap on the mark), so two runs at once, or a run
after a failed one, never act on an item twice.
"""

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from helpdesk.extensions import db

log = logging.getLogger(__name__)


@dataclass
class JobRun:
    done: int = 0
    failed: int = 0


def run_each(ids: Iterable[int], step: Callable[[int], bool], name: str) -> JobRun:
    """Run `step` for each id in a transaction of its own; a failing item is rolled back, logged
    and left for the next run, and the others go on."""
    run = JobRun()
    db.session.commit()  # whatever read the ids is not part of any item
    for item_id in ids:
        try:
            acted = step(item_id)
            db.session.commit()
        except Exception:
            db.session.rollback()
            log.exception("%s: item %s failed; the next run tries it again", name, item_id)
            run.failed += 1
        except BaseException:
            db.session.rollback()
            raise
        else:
            run.done += int(bool(acted))
    return run
