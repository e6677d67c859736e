"""The figures of each picture as a table: shown beside it and downloaded as CSV or XLSX."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from .drawing import EDGE_STYLES
from .selectors import EDGE_GROUPS, Coverage, Graph, TrackRecord


@dataclass(frozen=True)
class Table:
    header: list[str]
    rows: list[list]


def network_table(graph: Graph) -> Table:
    """One row per link between two parks, with its agreements by status."""
    names = {node.park.pk: str(node.park) for node in graph.nodes}
    header = [_("Park"), _("Partner park"), _("Agreements")] + [str(EDGE_STYLES[group][0]) for group in EDGE_GROUPS]
    rows = [
        [names[edge.a], names[edge.b], edge.total, *(edge.by_group[group] for group in EDGE_GROUPS)]
        for edge in graph.edges
    ]
    return Table(header, rows)


def parks_table(graph: Graph) -> Table:
    header = [_("Park"), _("Region"), _("Resident companies"), _("Agreements"), _("Partner parks")]
    rows = [[str(node.park), node.park.region, node.residents, node.agreements, node.partners] for node in graph.nodes]
    return Table(header, rows)


def coverage_table(coverage: Coverage, *, by_agreement: bool) -> Table:
    first = _("Agreement") if by_agreement else _("Park")
    header = [first, *(str(stage) for stage in coverage.stages)]
    rows = [[getattr(subject, "reference", str(subject)), *values] for subject, values in coverage.rows]
    return Table(header, rows)


def track_table(record: TrackRecord) -> Table:
    header = [_("Quarter"), _("Milestones due"), _("Done on time"), _("Done late"), _("Overdue")]
    rows = [[q.label, q.due, q.on_time, q.late, q.overdue] for q in record.quarters]
    return Table(header, rows)
