"""Real-time workshop and consultation platform."""
