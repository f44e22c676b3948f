from django.db import models


class ServiceKind(models.TextChoices):
    ASSESSMENT = "assessment", "Assessment"
    FAMILY_SAFEGUARDING = "family_safeguarding", "Family Safeguarding"
    LOOKED_AFTER = "looked_after", "Looked After Children"
    CARE_LEAVERS = "care_leavers", "Care Leavers"
    DISABILITIES = "disabilities", "Children with Disabilities"
    YOUTH_OFFENDING = "youth_offending", "Youth Offending"
    EARLY_HELP = "early_help", "Early Help"
    FRONT_DOOR = "front_door", "C-SPA/MASH"
    FOSTERING = "fostering", "Fostering"
    ADOPTION = "adoption", "Adoption"
    REVIEWING = "reviewing", "Independent Reviewing"
    QUALITY_ASSURANCE = "quality_assurance", "Quality Assurance"
    LEADERSHIP = "leadership", "Leadership"


class JobRole(models.TextChoices):
    SOCIAL_WORKER = "social_worker", "Social worker"
    PERSONAL_ADVISER = "personal_adviser", "Personal adviser"
    TEAM_MANAGER = "team_manager", "Team manager"
    SERVICE_MANAGER = "service_manager", "Service manager"
    IRO = "iro", "Independent reviewing officer"
    CP_CHAIR = "cp_chair", "CP chair"
    QA_MANAGER = "qa_manager", "Audit and practice standards manager"
    INSPECTION_LEAD = "inspection_lead", "Inspection lead"
    ASSISTANT_DIRECTOR = "assistant_director", "Assistant director"
    DIRECTOR = "director", "Director"

    @classmethod
    def case_holding(cls) -> list[str]:
        """Roles that hold children's cases (and count towards caseloads)."""
        return [cls.SOCIAL_WORKER, cls.PERSONAL_ADVISER]
