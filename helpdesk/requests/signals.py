"""What the help desk announces, for features that keep their own records of it."""

from blinker import Namespace

_signals = Namespace()

# Sent with the request, inside the transaction that resolved it; keyword arguments `by` (who
# resolved it), `now`, and `minutes` (the time the mentor says it took, or None). A receiver
# may refuse by raising a ValueError whose message is safe to show; the resolution is undone.
request_resolved = _signals.signal("request-resolved")
