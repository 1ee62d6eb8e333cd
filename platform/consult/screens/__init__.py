"""Pages apart from features: each screen composes the reads of several features."""
