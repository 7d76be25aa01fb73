"""The programmes workbook: the register, its results and its money as one .xlsx file
to export, edit in a spreadsheet program and import again.

- :mod:`.schema`: the sheets and columns (and the README sheet that explains them);
- :mod:`.cells`: how one cell is read and written;
- :mod:`.read` and :mod:`.checks`: reading and checking the whole workbook;
- :mod:`.load` (with :mod:`.write_register`, :mod:`.write_money`): the import, in one
  transaction;
- :mod:`.export`: the deterministic export.

docs/programmes-spreadsheets.md is the reference for users.
"""

from .export import workbook_export
from .load import ImportSummary, workbook_import
from .problems import SheetProblem, WorkbookInvalid

__all__ = ["ImportSummary", "SheetProblem", "WorkbookInvalid", "workbook_export",
           "workbook_import"]
