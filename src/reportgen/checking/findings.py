"""A finding of ``reportgen check``: how serious, where (JSON path), and what."""
from __future__ import annotations

from attrs import frozen

ERROR = "error"
WARNING = "warning"
_LABEL = {ERROR: "错误", WARNING: "警告"}


@frozen
class Finding:
    """One problem found in a data file.

    >>> str(Finding(ERROR, "$.budget", "基本支出与项目支出之和与支出总额相差0.01万元"))
    '错误 $.budget: 基本支出与项目支出之和与支出总额相差0.01万元'
    """

    severity: str  # ERROR or WARNING
    path: str  # JSON path, e.g. $.projects[0].executed
    message: str  # in Chinese

    def __str__(self) -> str:
        return f"{_LABEL.get(self.severity, self.severity)} {self.path}: {self.message}"

    def to_dict(self) -> dict[str, str]:
        return {"severity": self.severity, "path": self.path, "message": self.message}
