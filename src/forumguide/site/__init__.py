"""The guidance site: records → Markdown pages through Jinja2 templates (runs without MkDocs), the
online self-audit page and its data, the formatted bibliography, the programme theory map, and
`sitebuild` (the one module here that drives MkDocs)."""
