from django.db import models


class ThematicStatus(models.TextChoices):
    """planned → in progress → reporting → complete."""

    PLANNED = "planned", "Planned"
    IN_PROGRESS = "in_progress", "In progress"
    REPORTING = "reporting", "Reporting"
    COMPLETE = "complete", "Complete"


class SampleMethod(models.TextChoices):
    ALL = "all", "Every child in the cohort"
    RANDOM_N = "random_n", "A random number of children"
    RANDOM_PERCENT = "random_percent", "A random percentage of children"
    PER_AREA = "per_area", "A number of children from each area"
    PER_SERVICE = "per_service", "A number of children from each service"
    PER_TEAM = "per_team", "A number of children from each team"
    PER_WORKER = "per_worker", "A number of children for each worker"


class SampleStatus(models.TextChoices):
    DRAFT = "draft", "Preview"
    CONFIRMED = "confirmed", "Confirmed"


class ConsulteeRole(models.TextChoices):
    MANAGER = "manager", "Manager"
    PRACTITIONER = "practitioner", "Practitioner"
    IRO = "iro", "Independent reviewing officer or chair"
    YOUNG_PERSON = "young_person", "Child or young person"
    PARENT_CARER = "parent_carer", "Parent or carer"
    PARTNER = "partner", "Partner agency"
    OTHER = "other", "Other"


class FindingKind(models.TextChoices):
    STRENGTH = "strength", "Strength"
    IMPROVEMENT = "improvement", "Area for improvement"


class FindingTheme(models.TextChoices):
    """What a finding is about, chosen from this list when it is recorded: the matching rule
    for recurring findings (``querysets.recurrences``). A closed list, not free text or tags,
    so that two leads naming the same problem differently still match, and nothing matches
    by accident of wording. The areas follow the headings councils' audit tools and Ofsted's
    ILACS judgements use."""

    VOICE = "voice", "The child's voice and lived experience"
    ASSESSMENT = "assessment", "Assessment and analysis of risk"
    PLANNING = "planning", "Plans and planning"
    STABILITY = "stability", "Placement stability and permanence"
    OVERSIGHT = "oversight", "Management oversight and supervision"
    MULTI_AGENCY = "multi_agency", "Working with partner agencies"
    EXPLOITATION = "exploitation", "Exploitation and missing episodes"
    FAMILY = "family", "Family and network involvement"
    RECORDING = "recording", "Recording and chronologies"
    TRANSITIONS = "transitions", "Transitions and leaving care"


# The monthly programme's audit domains (by title, as the highlight report's domain results
# name them) that are evidence of a finding's theme: ``querysets.programme_recurrences`` reads a
# programme month's grades in these domains to say a thematic finding was seen there too. The
# one place the two vocabularies meet; a domain not listed (visits, identity, impact) and a
# theme no domain covers (stability, family, transitions) are never matched, rather than
# matched loosely. A council that renames a domain in a new version of its tool adds the new
# title here.
PROGRAMME_DOMAIN_THEMES: dict[str, FindingTheme] = {
    "Voice and lived experience of the child": FindingTheme.VOICE,
    "Assessment and analysis": FindingTheme.ASSESSMENT,
    "Planning and review": FindingTheme.PLANNING,
    "Supervision and management oversight": FindingTheme.OVERSIGHT,
    # Its guidance asks about exploitation and going missing by name.
    "Risk and safety planning": FindingTheme.EXPLOITATION,
    "Multi-agency work": FindingTheme.MULTI_AGENCY,
    "Recording": FindingTheme.RECORDING,
}


class Severity(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class FindingStatus(models.TextChoices):
    """identified → confirmed → assigned (an owner, a due date, a severity) → actions → closed,
    or identified → dismissed (with a reason). A strength needs no owner: it may close once
    confirmed."""

    IDENTIFIED = "identified", "Identified"
    CONFIRMED = "confirmed", "Confirmed"
    DISMISSED = "dismissed", "Dismissed"
    ASSIGNED = "assigned", "Assigned"
    CLOSED = "closed", "Closed"

    @classmethod
    def live(cls) -> list[str]:
        """A finding actions may still answer."""
        return [cls.IDENTIFIED, cls.CONFIRMED, cls.ASSIGNED]

    @classmethod
    def confirmed(cls) -> list[str]:
        """A finding the lead has confirmed, whatever has happened since: what a report of the
        audit may publish (not one still only identified, nor one dismissed)."""
        return [cls.CONFIRMED, cls.ASSIGNED, cls.CLOSED]


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"

    @classmethod
    def open(cls) -> list[str]:
        return [cls.NOT_STARTED, cls.IN_PROGRESS]
