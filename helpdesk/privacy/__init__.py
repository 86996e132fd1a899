"""The privacy page: what Helpdesk stores about students, who sees it, how long, how to ask."""
