"""The exceptions briefconvert raises when no useful output can exist.

Anything recoverable is a diagnostic instead (see diagnostics.py).
"""


class BriefconvertError(Exception):
    """Base class: the CLI turns it into a one-line message and exit code 2."""


class InputError(BriefconvertError):
    """The input cannot be read (missing, unreadable, malformed beyond repair)."""


class UnsupportedInput(BriefconvertError):
    """The input is of a kind briefconvert does not read."""


class UnsupportedFormat(BriefconvertError):
    """The requested output format does not exist or is not available yet."""


class LimitExceeded(BriefconvertError):
    """A safety limit was reached (size, depth, pixels, pages)."""
