"""How a tool version's status may move (``core.transitions``)."""

from caseaudit.core.transitions import Transitions
from caseaudit.tools.choices import VersionStatus

# draft → published → retired (when the next version is published).
TOOL_VERSION = Transitions(
    allowed_from={
        VersionStatus.PUBLISHED: (VersionStatus.DRAFT,),
        VersionStatus.RETIRED: (VersionStatus.PUBLISHED,),
    },
    done={VersionStatus.PUBLISHED: "published", VersionStatus.RETIRED: "retired"},
    subject=lambda version: f"Version {version.number} of {version.tool.name}",
)
