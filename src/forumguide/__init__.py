"""forumguide: evidence-based guidance and a scored self-audit for online mental health peer support forums.

The package turns the YAML records under guidance/ and checklist/ into everything the product shows.
The subpackages are the layers, and imports run one way, down (checked by the import-linter contracts
in pyproject.toml): the adapters (`cli`, `server`, and the MkDocs hooks in hooks/) call `site` and
`report`, which call `audit`, which calls `records`. `records` and `audit` know nothing of MkDocs,
WeasyPrint or HTTP. `speedups` stands beside the layers (process-wide speed tricks, each measured).
"""

__version__ = "0.1.0"
