"""A sign-up form with validation, after the Elm guide's form example.

Four inputs (name, e-mail, password, and the password again); the errors are shown
under the form and the "Sign up" button is enabled only when there are none. Sending
the form is an *effect*: ``update`` returns it as data (:class:`Post`) and never sends
anything itself. The invariant says that only valid data is ever sent.

Exploration types a few sample texts into each input (``samples`` of each :class:`Typed`
handler), so the reachable models are finite.

>>> from fmlab.mvu import App
>>> from fmlab.mvu.examples import form
>>> app = App.from_module(form)
>>> model = app.run([SetName("Ada"), SetEmail("ada@example.org"),
...                  SetPassword("s3cret!!"), SetConfirm("s3cret!!")])[-1]
>>> errors(model.fields)
()
>>> app.step(model, Submit()).effects
(Post(url='/signup', name='Ada', email='ada@example.org'),)
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from fmlab.mvu import Element, Typed, h


@dataclass(frozen=True)
class Fields:
    name: str = ""
    email: str = ""
    password: str = ""
    confirm: str = ""


@dataclass(frozen=True)
class Model:
    fields: Fields = Fields()
    sent: Fields | None = None
    """What was last submitted (None: nothing yet)."""


@dataclass(frozen=True)
class SetName:
    text: str


@dataclass(frozen=True)
class SetEmail:
    text: str


@dataclass(frozen=True)
class SetPassword:
    text: str


@dataclass(frozen=True)
class SetConfirm:
    text: str


@dataclass(frozen=True)
class Submit:
    pass


@dataclass(frozen=True)
class Post:
    """An effect: send the sign-up to the server (performed by the runtime, not update)."""

    url: str
    name: str
    email: str


Msg = SetName | SetEmail | SetPassword | SetConfirm | Submit


def init() -> Model:
    return Model()


def errors(fields: Fields) -> tuple[str, ...]:
    """What is wrong with the fields, in the order the form shows it."""
    found = []
    if not fields.name.strip():
        found.append("Enter your name.")
    user, at, domain = fields.email.partition("@")
    if not (user and at and "." in domain.strip(".")):
        found.append("Enter an e-mail address such as ada@example.org.")
    if len(fields.password) < 8 or not any(c.isdigit() for c in fields.password):
        found.append("The password needs 8 characters or more, with a digit.")
    if fields.confirm != fields.password:
        found.append("The passwords do not match.")
    return tuple(found)


def update(model: Model, msg: Msg) -> Model | tuple[Model, list[Post]]:
    match msg:
        case SetName(text):
            return replace(model, fields=replace(model.fields, name=text))
        case SetEmail(text):
            return replace(model, fields=replace(model.fields, email=text))
        case SetPassword(text):
            return replace(model, fields=replace(model.fields, password=text))
        case SetConfirm(text):
            return replace(model, fields=replace(model.fields, confirm=text))
        case Submit() if not errors(model.fields):
            post = Post("/signup", model.fields.name, model.fields.email)
            return replace(model, sent=model.fields), [post]
    return model


def _field(label: str, kind: str, value: str, message: Typed) -> Element:
    return h(
        "label",
        {},
        [label, h("input", {"type": kind, "value": value, "on_input": message}, [])],
    )


def view(model: Model) -> Element:
    fields, problems = model.fields, errors(model.fields)
    secret = ("", "secret", "s3cret!!")
    return h(
        "form",
        {"class": "signup"},
        [
            _field("Name", "text", fields.name, Typed(SetName, ("", "Ada"))),
            _field(
                "E-mail", "email", fields.email, Typed(SetEmail, ("", "ada", "ada@example.org"))
            ),
            _field("Password", "password", fields.password, Typed(SetPassword, secret)),
            _field("Again", "password", fields.confirm, Typed(SetConfirm, secret)),
            h("ul", {"class": "errors"}, [h("li", {}, [problem]) for problem in problems]),
            h(
                "button",
                {"type": "button", "on_click": Submit(), "disabled": bool(problems)},
                ["Sign up"],
            ),
            h("p", {"class": "sent"}, [f"Signed up as {model.sent.name}." if model.sent else ""]),
        ],
    )


def inv_only_valid_data_is_sent(model: Model) -> bool:
    return model.sent is None or errors(model.sent) == ()
