"""What the school calendar announces. Features with rows on a school's days subscribe in their
own package (a `subscribers` module, connected at import, imported by create_app)."""

from blinker import Namespace

_signals = Namespace()

# Sent when a day is closed (typed or imported), inside the closing transaction, after the
# closure is flushed: sender is the School, with `day` (a date), `reason` (the closure's name),
# `actor` (the User who closed it, or None for the system) and `now`. A receiver that cancels
# something returns how many it cancelled (the calendar says the sum); one that raises undoes
# the closing.
day_closed = _signals.signal("day-closed")
