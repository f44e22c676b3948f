"""caseaudit: the quality-assurance system for children's social care."""
