"""Typed models of the documents reportgen writes.

Short, frozen attrs declarations and nothing else: they know nothing of JSON
(see :mod:`reportgen.loading`) or of Word (see :mod:`reportgen.engine`).
"""
from reportgen.model.common import (
    Actual,
    Category,
    Count,
    Indicator,
    Label,
    Money,
    Percent,
    Places,
    Point,
    Points,
    Target,
    Year,
)
from reportgen.model.evaluation import ProjectSelfEvaluation
from reportgen.model.funding import FundLine
from reportgen.model.goals import GoalProject, ProjectGoalTable, SpendingUnit
from reportgen.model.report import (
    Budget,
    Department,
    EvaluationScope,
    FundingSources,
    KeyTask,
    Project,
    SelfEvaluationReport,
    Settings,
    SpecialFund,
    Staffing,
    Weights,
    Work,
)

__all__ = [
    "Actual", "Budget", "Category", "Count", "Department", "EvaluationScope", "FundingSources", "FundLine",
    "GoalProject", "Indicator", "KeyTask", "Label", "Money", "Percent", "Places", "Point", "Points", "Project", "ProjectGoalTable", "ProjectSelfEvaluation",
    "SelfEvaluationReport", "Settings", "SpecialFund", "SpendingUnit", "Staffing", "Target",
    "Weights", "Work", "Year",
]
