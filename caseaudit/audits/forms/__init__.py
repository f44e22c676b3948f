"""Forms for the audit programme, one module per part (programme, audit, followup, moderation)."""
