"""The vocabulary and rules of complaint handling, in plain Python (no Flask, no SQLAlchemy)."""
