"""tests/mvu/data holds app files that the tests load on purpose; pytest must not import them."""

collect_ignore = ["data"]
