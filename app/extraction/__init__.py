"""Quotation extraction: quoted, partial and reported speech with exact spans, standard library only."""
