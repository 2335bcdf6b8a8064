"""Tests of the quotation extractor and its evaluation."""
