"""Slide decks built from the book's executed notebooks (reveal.js, offline).

A chapter author puts a cell on a slide with cell metadata under the key ``slides``; nothing
else in the notebook changes, so the book and the decks read the same cells and the same
outputs. In a MyST notebook a code cell takes it as an option line::

    ```{code-cell} ipython3
    :slides: {lt: slide, title: "check finds the contradiction", lines: "1-2"}
    ```

and a markdown cell from the metadata line that starts it::

    +++ {"slides": {"lt": "notes"}}

The keys (see ``metadata.py`` for the exact rules):

``lt``
    where the cell goes in the chapter's lightning-talk deck: ``slide`` starts a new slide,
    ``append`` adds to the slide being built, ``fragment`` adds and shows on the next key
    press, ``notes`` puts the cell's text into that slide's speaker notes.
``show``
    what of the cell is shown: ``code``, ``output`` or ``both`` for a code cell (by default
    what the book shows), ``text`` or ``notes`` for a markdown cell. A markdown cell shown as
    ``notes`` that starts a slide lends the slide its heading as title.
``title``
    the slide's title; by default the cell's own heading or the section it sits in.
``lines`` / ``output_lines``
    the source lines, or the lines of a text output, the slide shows ("1-3,5").
``deck``
    the chapter whose deck the cell joins, for cells outside the chapter's own notebooks
    (the benchmark figures on ``book/performance.md``); such slides close the deck.
``workshop``
    where the cell goes in the chapter's workshop deck, when the notebook's own flow is
    wrong for it: ``skip``, ``slide``, ``append``, ``fragment`` or ``notes``. A cell may
    carry this key alone (``:slides: {workshop: skip}``); ``show``, ``title``, ``lines``
    and ``output_lines`` shape the lightning-talk slide only.

Every chapter also gets a workshop deck with no marks at all: its notebooks whole, in
order, split at headings and paginated so nothing is cut off (``workshop.py`` has the
rules: exercises on their own slides with the solutions in the speaker notes, hidden
cells hidden, drawings too large to read shown as legible windows).

``python scripts/slides.py build`` writes two decks per chapter to ``_build/html/slides/``
from the notebooks Jupyter Book executed (``_build/jupyter_execute``): it refuses to build
when a notebook's code changed since, so a deck never shows outputs the book does not.
``python scripts/slides.py pdf`` prints the decks to PDF through Chromium.
"""
