"""The self-audit: answers files (the contract between the browser, the CLI and the service), the pure
scoring function, the action plan and its files, merging assessors' answers, and the roadmap. Imports
only the records below it; no MkDocs, WeasyPrint or HTTP."""
