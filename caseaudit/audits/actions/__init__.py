"""Every state change in the audit programme is one function in these modules (STYLE.md habit
1): ``tools`` (building audit tools), and one module per part of the monthly cycle."""
