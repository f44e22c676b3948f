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


class EthnicGroup(models.TextChoices):
    """The ethnic groups disproportionality is measured for: Annex A's codes (the DfE's) in
    the major groups of the DfE's children looked after statistics, with White British apart
    as the group every other is compared with. The child population by ethnicity is entered
    in the same groups (``performance/disproportionality.py``)."""

    WHITE_BRITISH = "white_british", "White British"
    WHITE_OTHER = "white_other", "Other White"
    MIXED = "mixed", "Mixed or multiple ethnic groups"
    ASIAN = "asian", "Asian or Asian British"
    BLACK = "black", "Black or Black British"
    OTHER = "other", "Other ethnic groups"


# Annex A's ethnicity codes in each group; Chinese is with other ethnic groups, as the DfE's
# children looked after statistics have it. Refused, not yet obtained and blank are "not known".
ETHNIC_GROUP_CODES = {
    EthnicGroup.WHITE_BRITISH: ("WBRI",),
    EthnicGroup.WHITE_OTHER: ("WIRI", "WIRT", "WOTH", "WROM"),
    EthnicGroup.MIXED: ("MWBC", "MWBA", "MWAS", "MOTH"),
    EthnicGroup.ASIAN: ("AIND", "APKN", "ABAN", "AOTH"),
    EthnicGroup.BLACK: ("BCRB", "BAFR", "BOTH"),
    EthnicGroup.OTHER: ("CHNE", "OOTH"),
}
