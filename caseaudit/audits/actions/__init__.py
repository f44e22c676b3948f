"""Every state change in the audit programme is one function in these modules (STYLE.md habit
1): one module per part of the monthly cycle. Building audit tools is ``caseaudit.tools``."""
