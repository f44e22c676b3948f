"""The Ofsted four-point scale: one place for its order, its words and its colours.

Always in this order and these words (DESIGN.md). The colours are for charts: they differ in
lightness as well as hue, so a stacked bar reads in greyscale and to colour-blind readers.
"""

from django.db import models


class Grade(models.TextChoices):
    OUTSTANDING = "outstanding", "Outstanding"
    GOOD = "good", "Good"
    REQUIRES_IMPROVEMENT = "requires_improvement", "Requires Improvement"
    INADEQUATE = "inadequate", "Inadequate"

    @property
    def rank(self) -> int:
        """1 for Outstanding … 4 for Inadequate: lower is better."""
        return ORDER.index(self) + 1

    @property
    def colour(self) -> str:
        return COLOURS[self]


ORDER: tuple[Grade, ...] = (
    Grade.OUTSTANDING,
    Grade.GOOD,
    Grade.REQUIRES_IMPROVEMENT,
    Grade.INADEQUATE,
)

# Navy, mid blue, yellow and red, whose lightness steps apart (about 0.17, 0.55, 0.86, 0.33),
# so the four stay apart in greyscale, and with no red/green pair (the common colour-vision
# deficiencies confuse those). Charts label their segments too.
COLOURS = {
    Grade.OUTSTANDING: "#003078",
    Grade.GOOD: "#5694ca",
    Grade.REQUIRES_IMPROVEMENT: "#ffdd00",
    Grade.INADEQUATE: "#d4351c",
}


def better(a: Grade, b: Grade) -> bool:
    return Grade(a).rank < Grade(b).rank


def movement(before: Grade, after: Grade) -> int:
    """Positive when practice improved between two judgements (Inadequate → Good is +2)."""
    return Grade(before).rank - Grade(after).rank
