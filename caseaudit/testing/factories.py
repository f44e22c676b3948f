"""factory_boy factories for the records every test builds: a council's structure and its
people. Each makes a valid record with the fewest fields a test must name; the council's
own records (area, service, team) follow the council they are given.

Workers are hired through ``organisation.actions.add_worker`` (the conftest's ``hire``), not
a factory, because hiring writes an assignment and history that tests rely on.
"""

import factory
from factory.django import DjangoModelFactory

from caseaudit.accounts.models import User
from caseaudit.core.roles import Role, Scope
from caseaudit.organisation.choices import ServiceKind
from caseaudit.organisation.models import Area, Council, Service, Team

PASSWORD = "correct-horse-battery-staple"  # noqa: S105 (test personas only)


class CouncilFactory(DjangoModelFactory):
    class Meta:
        model = Council
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"Council {n}")
    code = factory.Sequence(lambda n: f"{800 + n}")


class AreaFactory(DjangoModelFactory):
    class Meta:
        model = Area

    council = factory.SubFactory(CouncilFactory)
    name = factory.Sequence(lambda n: f"Area {n}")


class ServiceFactory(DjangoModelFactory):
    class Meta:
        model = Service

    council = factory.SubFactory(CouncilFactory)
    name = "Family Safeguarding"
    kind = ServiceKind.FAMILY_SAFEGUARDING


class TeamFactory(DjangoModelFactory):
    class Meta:
        model = Team

    area = factory.SubFactory(AreaFactory)
    council = factory.SelfAttribute("area.council")
    service = factory.SubFactory(ServiceFactory, council=factory.SelfAttribute("..council"))
    name = factory.Sequence(lambda n: f"Team {n}")


class UserFactory(DjangoModelFactory):
    """A signed-in person: by default a council-wide QA lead. Checked by the model's own
    rules (role and scope agree, scope places in the same council) before it is saved."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    council = factory.SubFactory(CouncilFactory)
    username = factory.Sequence(lambda n: f"person.{n}")
    first_name = factory.LazyAttribute(lambda user: user.username.split(".")[0].title())
    role = Role.QA_LEAD
    scope = Scope.COUNCIL

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        user = model_class(*args, **kwargs)
        user.set_password(PASSWORD)
        user.full_clean()
        user.save()
        return user
