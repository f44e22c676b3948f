from django.apps import AppConfig


class AuditsConfig(AppConfig):
    name = "caseaudit.audits"
    label = "audits"
    verbose_name = "Case audits"

    def ready(self):
        from caseaudit.audits.querysets import children_of_my_audits
        from caseaudit.audits.views.preview import tool_preview
        from caseaudit.cases.querysets import grant_child_visibility
        from caseaudit.tools.previews import register_preview

        grant_child_visibility(children_of_my_audits)
        # Auditors fill tools in through the audit form, so that is what a preview shows.
        register_preview(tool_preview)
