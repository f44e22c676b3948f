"""A tool version as the auditor will see it, built by the audit page's own form.

The tool pages (``tools.views.version_preview``) ask for this through ``tools.previews``:
tools cannot import the audit form, since audits builds on tools and not the reverse.
"""

from django.shortcuts import render

from caseaudit.audits.forms.audit import AuditForm
from caseaudit.audits.models import Audit
from caseaudit.tools.querysets import load_domains


def tool_preview(request, version):
    example = Audit(tool_version=version, council_id=request.user.council_id)
    form = AuditForm(audit=example, domains=load_domains(version))
    context = {
        "tool": version.tool,
        "version": version,
        "sections": form.sections(),
        "overall": form.overall(),
    }
    return render(request, "audits/audit/tool_preview.html", context)
