"""What one sync did, counted for the command's summary line."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class SyncReport:
    site: str
    pulled: int = 0  # remote comments read
    new: int = 0  # comments new to Threadwatch
    updated: int = 0  # comments whose text, status or thread changed on the site
    flagged: int = 0
    premoderation_planned: int = 0
    pushed: int = 0  # status changes written to the site
    already: int = 0  # pushes the site already had (nothing written)
    conflicts: list[str] = field(default_factory=list)  # comment ids
    failed: list[str] = field(default_factory=list)  # one line each
    retry_later: int = 0

    def summary(self) -> str:
        line = (
            f"{self.site}: pulled {self.pulled} ({self.new} new, {self.updated} changed, "
            f"{self.flagged} flagged); pushed {self.pushed}"
        )
        if self.already:
            line += f" ({self.already} already so on the site)"
        if self.premoderation_planned:
            line += f"; {self.premoderation_planned} clean held comments approved by pre-moderation"
        line += f"; {len(self.conflicts)} conflicts"
        if self.failed:
            line += f"; {len(self.failed)} failed ({self.retry_later} retried at a later sync)"
        return line
