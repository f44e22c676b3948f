"""Your inspection actions: the thematic actions' long list, answering a recommendation."""

from caseaudit.core.listing import Column
from caseaudit.thematic.lists import actions_listing

YOUR_INSPECTION_ACTIONS = actions_listing(
    Column("recommendation", "Recommendation", ("recommendation__number",))
)
