"""The HTTP layer: caching, limits, security headers, observability and routing helpers."""
