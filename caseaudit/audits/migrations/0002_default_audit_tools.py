"""The audit tools that ship with caseaudit: the practice audit tool and the light-touch tool
(the Covid RAG rating and management-oversight check the seeds' council used while its
programme was paused). Reference data: written here, never by the demo."""

from django.db import migrations

# Each domain: title, guidance, questions (text, kind), and what Inadequate, Requires
# Improvement, Good and Outstanding practice look like in it.
PRACTICE_DOMAINS = [
    (
        "Voice and lived experience of the child",
        "Is the child seen, heard and understood? Are their wishes, feelings and daily life "
        "at the centre of the work?",
        [
            ("Has the child been seen, and seen alone where appropriate?", "yes_no_partly"),
            ("Are the child's wishes and feelings recorded in their own words?", "yes_no_partly"),
        ],
        {
            "inadequate": "The child is not seen or not seen alone; their views and daily "
            "experience are absent from the record and do not shape the plan.",
            "requires_improvement": "The child is seen, but their voice is recorded "
            "inconsistently and does not clearly influence decisions.",
            "good": "The child is seen regularly, alone where appropriate; their views are "
            "recorded in their words and visibly shape the plan.",
            "outstanding": "Direct work brings the child's lived experience to life and drives "
            "every decision; the child knows why decisions were made.",
        },
    ),
    (
        "Assessment and analysis",
        "Is the assessment timely, and does it analyse risks, strengths and needs rather "
        "than describe them?",
        [
            ("Is there an up-to-date assessment?", "yes_no_partly"),
            ("Does the analysis weigh risks and protective factors?", "yes_no_partly"),
        ],
        {
            "inadequate": "No current assessment, or one that describes without analysing, "
            "so risks to the child are not understood.",
            "requires_improvement": "Assessment is in place but the analysis is limited or "
            "does not draw on all the information available.",
            "good": "A timely assessment that triangulates information and clearly analyses "
            "risks, strengths and needs.",
            "outstanding": "Incisive analysis, informed by research and the family's history, "
            "leads to a clear understanding of what must change.",
        },
    ),
    (
        "Planning and review",
        "Is there a SMART plan, reviewed on time, that the family understands?",
        [
            ("Is the plan specific about who does what by when?", "yes_no_partly"),
            ("Are reviews (CIN, core group, CP conference, CLA review) on time?", "yes_no_partly"),
        ],
        {
            "inadequate": "No plan, or a plan that does not address the risks; reviews are "
            "missed and drift is not challenged.",
            "requires_improvement": "A plan exists but is not specific or not reviewed on "
            "time, leading to some drift.",
            "good": "A SMART plan, reviewed on time, with partner and family contributions and "
            "clear contingency.",
            "outstanding": "Plans are co-produced with the family, reviewed dynamically, and "
            "show sustained progress against every action.",
        },
    ),
    (
        "Visits",
        "Are statutory visits on time, purposeful and recorded?",
        [("Are visits within timescale?", "yes_no_partly")],
        {
            "inadequate": "Visits are not taking place within timescales and this is not "
            "addressed in supervision.",
            "requires_improvement": "Most visits are in timescale but their purpose and impact "
            "are not always clear.",
            "good": "Visits are on time and purposeful, linked to the plan, with the child "
            "seen alone where appropriate.",
            "outstanding": "Visits are creative and purposeful, and their impact on the child's "
            "progress is clearly evidenced.",
        },
    ),
    (
        "Supervision and management oversight",
        "Does supervision show reflective discussion, decisions with rationale, and "
        "challenge of drift?",
        [
            ("Is supervision held within expected timescales?", "yes_no_partly"),
            ("Are management decisions recorded with their rationale?", "yes_no_partly"),
        ],
        {
            "inadequate": "Supervision is absent or a list of tasks; there is no oversight of "
            "drift and delay.",
            "requires_improvement": "Supervision takes place but lacks reflection, and "
            "decisions are not always followed through.",
            "good": "Regular reflective supervision; decisions and their rationale are "
            "recorded and actions are tracked.",
            "outstanding": "Supervision is reflective and challenging and demonstrably moves "
            "the plan on for the child.",
        },
    ),
    (
        "Risk and safety planning",
        "Are risks (including exploitation and going missing) identified and responded to "
        "with a safety plan?",
        [
            ("Is there a current safety plan where risk is present?", "yes_no_partly"),
            ("Were return home interviews and risk assessments completed?", "yes_no_partly"),
        ],
        {
            "inadequate": "Risks are not identified or responded to; actions to safeguard the "
            "child are significantly delayed.",
            "requires_improvement": "Risks are identified but the safety plan is not explicit "
            "about how harm will be reduced.",
            "good": "A thorough risk assessment with a clear, evolving safety plan agreed with "
            "partners and the family.",
            "outstanding": "Risk is understood in depth, including outside the home, and the "
            "safety plan measurably reduces it.",
        },
    ),
    (
        "Multi-agency work",
        "Do partners contribute to assessment, planning and review?",
        [("Are partner agencies contributing to the plan?", "yes_no_partly")],
        {
            "inadequate": "Partners are not involved or information is not shared, leaving "
            "the child at risk.",
            "requires_improvement": "Partners are involved but contributions are inconsistent.",
            "good": "Partners share information and contribute actively to the plan.",
            "outstanding": "A joined-up team around the child with shared ownership of outcomes.",
        },
    ),
    (
        "Recording",
        "Is there an up-to-date case summary and chronology, and is recording timely?",
        [
            ("Is there an up-to-date case summary?", "yes_no_partly"),
            ("Is there an up-to-date chronology?", "yes_no_partly"),
        ],
        {
            "inadequate": "Recording is out of date and does not support planning.",
            "requires_improvement": "Recording is mostly up to date but the summary or "
            "chronology is missing or incomplete.",
            "good": "Recording is timely and clear, with a current summary and chronology.",
            "outstanding": "Recording is written for the child, clear and analytical, and "
            "tells their story.",
        },
    ),
    (
        "Identity and culture",
        "Are the child's identity, culture, faith, language and disability understood and "
        "reflected?",
        [("Is the child's identity reflected in the plan?", "yes_no_partly")],
        {
            "inadequate": "The child's identity and diversity needs are not considered.",
            "requires_improvement": "Identity is noted but does not inform the work.",
            "good": "Identity and diversity are understood and inform the plan.",
            "outstanding": "The child's identity is celebrated and actively promoted.",
        },
    ),
    (
        "Impact and progress",
        "Is the child's situation improving, without drift or delay?",
        [("Is there evidence of drift or delay?", "yes_no_partly")],
        {
            "inadequate": "No evidence of progress; drift and delay leave the child in harm.",
            "requires_improvement": "Some progress, but inconsistent, with drift and delay "
            "for the child and family.",
            "good": "Clear evidence that the child's circumstances are improving.",
            "outstanding": "Sustained, significant improvement in the child's life, evidenced "
            "from the child's point of view.",
        },
    ),
]

LIGHT_TOUCH_DOMAINS = [
    (
        "Covid-19 risk rating",
        "The child's current RAG rating and whether the contact plan matches it.",
        [
            ("What is the child's current RAG rating?", "rag"),
            ("Does the visiting and contact plan match the rating?", "yes_no_partly"),
        ],
        {},
    ),
    (
        "Management oversight",
        "Is there a recent management oversight on the record?",
        [
            ("Is there a management oversight within the last month?", "yes_no_partly"),
            ("What does the oversight direct, and is it being followed?", "text"),
        ],
        {},
    ),
]


def create_tools(apps, schema_editor):
    AuditTool = apps.get_model("audits", "AuditTool")
    ToolVersion = apps.get_model("audits", "ToolVersion")
    Domain = apps.get_model("audits", "Domain")
    Question = apps.get_model("audits", "Question")
    GradeDescriptor = apps.get_model("audits", "GradeDescriptor")

    def build(name, kind, description, domains, *, graded):
        tool = AuditTool.objects.create(
            name=name, kind=kind, description=description, has_overall_grade=graded
        )
        version = ToolVersion.objects.create(
            tool=tool, number=1, status="published", notes="As shipped with caseaudit."
        )
        for position, (title, guidance, questions, descriptors) in enumerate(domains, 1):
            domain = Domain.objects.create(
                version=version, position=position, title=title, guidance=guidance
            )
            if graded:
                Question.objects.create(
                    domain=domain, position=1, text=f"Grade for {title.lower()}", kind="grade"
                )
            for number, (text, question_kind) in enumerate(questions, 2 if graded else 1):
                Question.objects.create(
                    domain=domain, position=number, text=text, kind=question_kind
                )
            Question.objects.create(
                domain=domain,
                position=len(questions) + (2 if graded else 1),
                text="Evidence and comments",
                kind="text",
                required=False,
            )
            for grade, text in descriptors.items():
                GradeDescriptor.objects.create(domain=domain, grade=grade, text=text)

    build(
        "Practice audit",
        "practice",
        "The monthly case audit: ten domains of practice, each graded, and an overall "
        "judgement with its rationale.",
        PRACTICE_DOMAINS,
        graded=True,
    )
    build(
        "Light-touch audit",
        "light_touch",
        "A RAG rating and management-oversight check, for when the full programme is paused.",
        LIGHT_TOUCH_DOMAINS,
        graded=False,
    )


def remove_tools(apps, schema_editor):
    AuditTool = apps.get_model("audits", "AuditTool")
    for tool in AuditTool.objects.filter(council__isnull=True):
        for version in tool.versions.all():
            version.domains.all().delete()
        tool.versions.all().delete()
        tool.delete()


class Migration(migrations.Migration):
    dependencies = [("audits", "0001_audit_tools")]

    operations = [migrations.RunPython(create_tools, remove_tools)]
