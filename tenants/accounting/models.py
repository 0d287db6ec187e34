"""The accounting export stores nothing: it reads invoices, payments, ledgers and fund
movements (see ``journal``)."""
