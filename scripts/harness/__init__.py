"""The pieces of scripts/services.py: services to reuse or start, and the browser tools."""
