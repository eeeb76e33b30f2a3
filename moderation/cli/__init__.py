"""The ``moderation`` command line: ``main`` parses the arguments and runs one command group."""

from moderation.cli.main import main

__all__ = ["main"]
