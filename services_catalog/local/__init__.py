"""Local service catalogue."""
