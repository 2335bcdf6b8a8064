"""Bulk exports: a whole kind of record, streamed as NDJSON or CSV."""
