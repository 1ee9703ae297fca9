"""The claim record: an actor's position on an issue, with the sentence it rests on."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Claim:
    """An actor's position on an issue, with the sentence it rests on."""

    actor: str
    issue: str
    position: float | None
    confidence: float
    text: str
    start: int
    end: int

    def to_dict(self) -> dict:
        """The JSON record of the issue's contract."""
        pos = None if self.position is None else round(float(self.position), 1)
        return {
            "actor": self.actor,
            "issue": self.issue,
            "position": pos,
            "confidence": round(float(self.confidence), 2),
            "text": self.text,
            "start": self.start,
            "end": self.end,
        }
