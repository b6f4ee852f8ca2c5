"""The records: reading the YAML files with the line of every value, their JSON Schemas, the typed model
with its cross-reference indexes, validation with file/line/field problems, and the cache of a checked
model. `load.load` is the one way in. The bottom layer: it imports nothing else of forumguide and no MkDocs,
WeasyPrint or HTTP (one exception, named in CONTRIBUTING.md: loading caches the formatted bibliography)."""
