"""Tests of the pure analysis layer (no database)."""
