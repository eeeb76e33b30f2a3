"""One error hierarchy for the whole domain.

Every error carries the offending value (a file, a rule id, a URL) so that the CLI and the
dashboard can print one clear line without re-deriving context.
"""

from __future__ import annotations


class ModerationError(Exception):
    """Base of every error Threadwatch raises on purpose."""

    def __init__(self, message: str, *, subject: str | None = None) -> None:
        self.subject = subject
        self.reason = message
        super().__init__(f"{subject}: {message}" if subject else message)


class ConfigError(ModerationError):
    """A setting (env var, CLI flag, settings file) is missing or invalid."""


class ParseError(ModerationError):
    """A source file cannot be read or recognised; ``subject`` is the file."""


class InputTooLargeError(ParseError):
    """A source file is over the configured size limit."""


class BudgetExceededError(ParseError):
    """Parsing a source file took more time or memory than its budget allows."""


class RuleConfigError(ModerationError):
    """rules.yaml is invalid; ``subject`` names the rule id and line where known."""


class ScoringError(ModerationError):
    """A toxicity model could not be loaded or run."""


class StoreError(ModerationError):
    """The database cannot be opened, migrated or written."""


class ConflictError(ModerationError):
    """A concurrent change won the race (e.g. two moderators deciding one comment).

    Not a StoreError: the database worked; the request lost to another one, so a retry loop
    for a busy database must not repeat it, and the UI shows it as a conflict, not a fault.
    """


class NotFoundError(ModerationError):
    """The thing asked for (a comment, author, rule-set version, rule) does not exist."""


class InvalidRequestError(ModerationError):
    """A well-formed request that cannot be carried out (a rejection without a reason, an
    unknown action, a suspension ending in the past); ``subject`` names what was asked."""


class SiteError(ModerationError):
    """A comment platform (a WordPress site, ...) cannot be reached, refused the request or
    answered something unusable; ``subject`` is the site. Never carries a credential."""


class JobError(ModerationError):
    """A background job cannot be queued or run (an unknown kind, a payload lacking what its
    kind needs); ``subject`` names the job."""


class JobRefusedError(JobError):
    """A job that no retry can help: its input is gone or is not what was queued (an import's
    file deleted or changed since). The job fails at once, without its remaining attempts."""
