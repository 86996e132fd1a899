"""The end-of-term survey: teachers and mentors say how the term went."""
