"""Accessibility checks: one rule table (rules.py), semantic rules over the
document model (model_rules.py) and format rules over the files themselves
(html_rules.py, epub_rules.py, docx_rules.py, pdf_rules.py), run by check.py.

Nothing heavy is imported here: ``briefconvert check --list-rules`` only needs
the table.
"""
