"""Quotation extraction: direct, partial and reported speech with exact spans (stdlib only)."""
