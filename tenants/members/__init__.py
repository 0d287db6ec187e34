"""Members and activities."""
