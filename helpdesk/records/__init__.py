"""A person's whole record: what Helpdesk stores about them, on one page and as one ZIP."""
