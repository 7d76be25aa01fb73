"""Writes of the programme register (``register``), its results (``results``) and its money
(``money``): one function per write, each one transaction with its audit entries."""
