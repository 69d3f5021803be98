"""Excel workbooks as data files: a layout per document kind, read and written.

A workbook is another way to write the same data a JSON file holds: :func:`read`
turns it into that plain data (so loading has one structuring path), and :func:`write`
turns plain data (or nothing, for a fill-in workbook) into .xlsx bytes. Where each
field goes is derived from the model's fields and their metadata (:mod:`.layout`);
cells are converted exactly (:mod:`.cells`).
"""
from reportgen.workbook.layout import Layout, layout
from reportgen.workbook.reading import Places, read
from reportgen.workbook.writing import write

__all__ = ["Layout", "Places", "layout", "read", "write"]
