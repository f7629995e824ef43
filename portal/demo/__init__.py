"""The demonstration data set of `manage.py load_demo`: a seeded, reproducible registry.

`generate.build_demo` is the entry point; the other modules hold name parts, per-category
testing knowledge and identifier arithmetic, so each can be read on its own.
"""
