"""Support for caseaudit's tests: nothing here is imported by the running service."""
