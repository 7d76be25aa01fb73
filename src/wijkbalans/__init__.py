"""wijkbalans: run an area-based neighbourhood programme from its figures."""

__version__ = "0.1.0"
