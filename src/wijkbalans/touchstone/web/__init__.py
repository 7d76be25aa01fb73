"""The touchstone's pages under /toetssteen/ (docs/touchstone.md): the plans to assess, a
plan's scorecard with its assessments, decisions and what happened afterwards, and
alternative plans side by side."""
