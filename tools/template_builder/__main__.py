"""``python -m tools.template_builder templates_docx`` rebuilds the templates."""

import sys
from pathlib import Path

from tools.template_builder import build_all

if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "templates_docx")
    for path in build_all(target):
        print(path)
