"""Making a witness request easy to read without changing what it shows.

A solver model sets every variable, so a raw witness carries context keys that play no
part in the finding, and a resource made of whatever characters satisfied the regular
expressions. :func:`minimise` tries the resource ``"*"`` and drops each context key, keeping
every change under which the witness is still a witness (checked by the concrete
evaluator), so the reader sees only what matters.

>>> request = Request.build("arn:aws:iam::111122223333:user/a", "s3:GetObject", "*",
...                         {"aws:SourceIp": "10.0.0.1", "aws:username": "a"})
>>> minimise(request, lambda r: r.value("aws:SourceIp") is not None).context
{'aws:sourceip': ('10.0.0.1',)}
"""

from __future__ import annotations

from collections.abc import Callable

from fmlab.iam._request import Request


def minimise(request: Request, still_witness: Callable[[Request], bool]) -> Request:
    """``request`` with every context key it does not need removed."""
    if not still_witness(request):
        return request  # not a witness at all: leave it for the replay to reject
    current = request
    if current.resource != "*":
        anywhere = Request(current.principal, current.action, "*", current.context)
        if still_witness(anywhere):
            current = anywhere
    for key in sorted(request.context):
        context = {k: v for k, v in current.context.items() if k != key}
        candidate = Request(current.principal, current.action, current.resource, context)
        if still_witness(candidate):
            current = candidate
    return current
