"""Reference service catalogue."""
