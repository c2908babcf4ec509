"""Hostile-input suite: generated inputs (inputs*.py), the sandbox and its
witnesses (harness.py, sitecustom/), output scanners (safety.py)."""
