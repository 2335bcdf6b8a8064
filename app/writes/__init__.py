"""What every write shares: evidence input, preconditions, audited flows and routes."""
