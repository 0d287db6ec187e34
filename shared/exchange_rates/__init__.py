"""Dated exchange rates (public schema): the ECB's euro reference rates, for consolidation."""
