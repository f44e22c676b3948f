from django.db import models


class Comparator(models.TextChoices):
    """What a council's figure is compared with, in the order the page shows them."""

    STATISTICAL_NEIGHBOURS = "statistical_neighbours", "Statistical neighbours"
    REGION = "region", "Region"
    ENGLAND = "england", "England"


class TrackerEvent(models.TextChoices):
    """What a line of a tracker events CSV records: the practice events Annex A does not
    carry (docs/practice-trackers.md). The value is what the file's ``event`` column says."""

    PPM = "ppm", "Permanence planning meeting held"
    FGC_REFERRAL = "fgc_referral", "Referred for a family group conference"
    FGC_HELD = "fgc_held", "Family group conference held"
    MISSING_EPISODE = "missing_episode", "Missing episode began"
    STRATEGY_MEETING = "strategy_meeting", "Strategy meeting held"
    CORE_GROUP = "core_group", "Core group meeting held"
