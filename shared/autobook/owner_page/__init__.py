"""The owner page: a shop's open errors with their fix steps, its recent invoices, and buttons
to retry, resend or ignore, behind a signed link (server-rendered, no JavaScript)."""
