"""Subcommands of the CLI (``briefconvert check|alt-text|batch``): each module
has ``main(argv) -> int`` and imports what it needs lazily."""
