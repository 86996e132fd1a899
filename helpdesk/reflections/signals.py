"""What completing a session announces, for features that keep their own records of it."""

from blinker import Namespace

_signals = Namespace()

# Sent with the booking, inside the transaction that completed it (not for a no-show).
session_completed = _signals.signal("session-completed")
