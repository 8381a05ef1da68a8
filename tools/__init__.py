"""Developer tools kept beside the service and not installed with it (``pip install .`` ships
``service`` and ``templates_docx`` only)."""
