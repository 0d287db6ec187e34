"""Partner settings."""
