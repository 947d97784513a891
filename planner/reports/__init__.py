"""The printed care plan (reportlab): story from a Plan, page templates, charts -> bytes."""
