from django.db import models


class Comparator(models.TextChoices):
    """What a council's figure is compared with, in the order the page shows them."""

    STATISTICAL_NEIGHBOURS = "statistical_neighbours", "Statistical neighbours"
    REGION = "region", "Region"
    ENGLAND = "england", "England"
