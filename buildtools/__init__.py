"""Helpers for build.py: vendor files, site assembly, static server. Standard library only."""
