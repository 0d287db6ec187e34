"""Labour-law rule packs (tenant app): from turnover to salary, contracts and protection."""
