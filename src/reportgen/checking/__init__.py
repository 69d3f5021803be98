"""``reportgen check``: findings about a data file that a clerk should fix.

Each document kind has its checker (``self_evaluation.check_report``,
``project_goals.check_table``, ``tables.check_project_evaluation``), registered with its
kind in :mod:`reportgen.kinds`; a report's check includes its projects' 自评表
(``tables.report_project_findings``).
A checker returns :class:`~reportgen.errors.Problem` records: severity, JSON path,
message in Chinese; :func:`ordered` puts errors first, then by path.
"""
from reportgen.checking.findings import ERROR, WARNING, Problem, finding, ordered

__all__ = ["ERROR", "WARNING", "Problem", "finding", "ordered"]
