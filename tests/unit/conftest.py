"""Unit tests exercise the domain alone: no app, no database."""
