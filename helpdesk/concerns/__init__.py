"""Safeguarding concerns: anyone flags a place; the advisor and the safeguarding contact act."""
