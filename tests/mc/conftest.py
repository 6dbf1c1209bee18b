from __future__ import annotations

from pathlib import Path

import pytest

from fmlab.mc import Model, load_model

MODELS = Path(__file__).parent / "models"

# The model files are inputs, some broken on purpose: pytest must not import them.
collect_ignore_glob = ["models/*"]


def classic(name: str) -> Model:
    """One of the classic test models in ``tests/mc/models``."""
    model = load_model(MODELS / f"{name}.py")
    assert isinstance(model, Model)
    return model


@pytest.fixture
def models_dir() -> Path:
    return MODELS
