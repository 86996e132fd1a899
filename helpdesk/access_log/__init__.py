"""Who viewed or exported a person's record, changed their role or status, imported people or
opened reports: an append-only log the advisor can filter and export."""
