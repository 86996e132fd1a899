"""What workshops announce to other features (blinker, which Flask ships)."""

from blinker import Namespace

workshop_signals = Namespace()

# Sent once, when attendance is taken, inside that transaction: sender is the Workshop,
# `attendees` the Users who came, `hosts` the mentors who ran it, `minutes` its length. A
# subscriber (an hours ledger) writes its rows in the same transaction, so they commit or roll
# back with the attendance.
workshop_attended = workshop_signals.signal("workshop-attended")
