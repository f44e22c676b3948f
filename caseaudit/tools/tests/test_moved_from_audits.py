"""The audit tools moved from the ``audits`` app to their own without losing anything: tools
made before the move are read through the new models, their content types (and so admin
permissions and log entries) follow them, and their history, recorded under the old labels
and never rewritten, is still found."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from caseaudit.core.history import history_of, record_change, record_types
from caseaudit.core.models import ChangeRecord
from caseaudit.tools import actions
from caseaudit.tools.choices import QuestionKind, ToolKind
from caseaudit.tools.models import AuditTool, Question, ToolVersion

BEFORE_THE_MOVE = [("audits", "0006_reflection_sheet_lock_version"), ("tools", None)]


def _migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor


def _latest() -> list[tuple[str, str]]:
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


# Migrating back and forth needs a real transaction: SQLite's schema editor refuses to run
# inside the test's own. The test makes what it needs, so it runs the same whether or not an
# earlier test on this worker emptied the database.
@pytest.mark.django_db(transaction=True)
def test_a_tool_made_before_the_move_is_read_through_the_new_models_after_it():
    ContentType.objects.clear_cache()
    content_type = ContentType.objects.get_for_model(AuditTool)

    executor = _migrate(BEFORE_THE_MOVE)
    old = executor.loader.project_state(BEFORE_THE_MOVE[0]).apps
    # Back at the old state the content type is the audits app's again.
    content_type.refresh_from_db()
    assert content_type.app_label == "audits"
    tool = old.get_model("audits", "AuditTool").objects.create(
        name="Made before the move", kind="thematic", description="Kept."
    )
    version = old.get_model("audits", "ToolVersion").objects.create(
        tool=tool, number=1, status="published"
    )
    domain = old.get_model("audits", "Domain").objects.create(
        version=version, position=1, title="Return home interviews"
    )
    question = old.get_model("audits", "Question").objects.create(
        domain=domain, position=1, text="Was an RHI offered?", kind="yes_no_partly"
    )

    _migrate(_latest())
    ContentType.objects.clear_cache()

    moved = AuditTool.objects.get(pk=tool.pk)
    assert (moved.name, moved.kind, moved.description) == (
        "Made before the move",
        ToolKind.THEMATIC,
        "Kept.",
    )
    assert moved.published().pk == version.pk
    assert Question.objects.get(pk=question.pk).domain.version.tool == moved
    assert Question.objects.get(pk=question.pk).kind == QuestionKind.YES_NO_PARTLY
    # The same content type row, relabelled: permissions and admin log entries keep pointing at it.
    assert ContentType.objects.get_for_model(AuditTool).pk == content_type.pk
    assert not ContentType.objects.filter(app_label="audits", model="audittool").exists()


def test_the_moved_models_keep_their_tables():
    tables = {model._meta.db_table for model in (AuditTool, ToolVersion, Question)}
    assert tables == {"audits_audittool", "audits_toolversion", "audits_question"}


@pytest.mark.django_db
def test_history_recorded_before_the_move_is_still_found(people):
    version = AuditTool.objects.get(kind=ToolKind.PRACTICE).published()
    # As the audits app recorded it before the move; history is never rewritten.
    ChangeRecord.append(
        username="system",
        record_type="audits.toolversion",
        record_id=str(version.pk),
        action="created",
    )
    record_change(version, by=people.qa_lead, action="changed", reason="After the move")

    assert record_types(ToolVersion) == ("tools.toolversion", "audits.toolversion")
    assert [(c.record_type, c.action) for c in history_of(version)] == [
        ("tools.toolversion", "changed"),
        ("audits.toolversion", "created"),
    ]


@pytest.mark.django_db
def test_tools_record_history_under_their_new_app(people):
    version = actions.create_tool(
        people.qa_lead.council, name="New", kind=ToolKind.THEMATIC, by=people.qa_lead
    )
    assert history_of(version.tool).get().record_type == "tools.audittool"
