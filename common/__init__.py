"""Cross-cutting pieces used by both the public (federation) and partner (tenant) sides:
errors, money, formatting, API plumbing. Nothing here reads a partner's rows."""
