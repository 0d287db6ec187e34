"""The demo federation built by ``seed_demo``: partners in their tiers, currencies and
languages, Academy tenants, users for every role, and generated activity over years."""
