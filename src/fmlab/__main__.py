"""``python -m fmlab``: the same command as ``fmlab``, for when the script is not on PATH."""

from fmlab.cli.main import run

if __name__ == "__main__":
    run()
