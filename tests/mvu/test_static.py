"""What a static page says it holds: an app's models, or a recorded session's steps."""

from __future__ import annotations

from fmlab.mvu import App, Debugger, to_static_html
from fmlab.mvu.examples import counter, leaky_counter


def test_an_app_page_counts_models() -> None:
    page = to_static_html(App.from_module(counter))
    assert not page.session
    assert repr(page).startswith(f"<static page: {page.states} models (every reachable model),")


def test_a_debugger_page_counts_the_steps_of_its_session() -> None:
    # Five steps visit only two distinct models: counting them as "models" would be wrong.
    session = [leaky_counter.Increment(), leaky_counter.Decrement()] * 2
    debugger = Debugger(App.from_module(leaky_counter), session)
    page = debugger.to_static_html()
    assert page.session
    assert page.states == 5
    assert len({entry.model for entry in debugger.entries}) == 2
    assert repr(page).startswith("<static page: 5 steps of a recorded session, ")
    assert "reachable" not in repr(page)
