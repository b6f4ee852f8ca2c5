"""forumguide: evidence-based guidance and a scored self-audit for online mental health peer support forums.

The package turns the YAML records under guidance/ and checklist/ into everything the product shows.
Imports run one way: the core (yamlsource, records, schemas, model, validate, scoring, export) knows
nothing of MkDocs, WeasyPrint or HTTP; the adapters (hooks/, cli, server) call the core.
"""

__version__ = "0.1.0"
