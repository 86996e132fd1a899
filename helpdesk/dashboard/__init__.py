"""The advisor's program dashboard, reporting terms and the board report."""
