"""Pairings: a mentor and a teacher paired for a term, with goals, norms, progress and closing."""
