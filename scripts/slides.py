"""Build the slide decks from the book's executed notebooks, or print them to PDF.

    python scripts/slides.py build   # _build/html/slides/<chapter>/lt.html (make slides)
    python scripts/slides.py pdf     # _build/slides-pdf/<chapter>-lt.pdf (make slides-pdf)

The builder lives in scripts/fmlab_slides/ (its docstring explains the cell metadata).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from fmlab_slides.cli import main  # the folder must be on the path first

if __name__ == "__main__":
    sys.exit(main())
