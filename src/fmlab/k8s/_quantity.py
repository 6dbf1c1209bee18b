"""Resource quantities, read the way Kubernetes reads them.

A quantity is a signed decimal number followed by an optional suffix: a binary SI
suffix (``Ki`` = 2**10 ... ``Ei`` = 2**60), a decimal SI suffix (``n u m "" k M G T P E``)
or a decimal exponent (``e3``, ``E-2``). The value is kept exact as a fraction; the
scheduler then rounds *up* to whole units: millicores for ``cpu``, plain units (bytes,
devices, pods) for everything else.

>>> parse_quantity("500m"), parse_quantity("1Gi"), parse_quantity("1e3")
(Fraction(1, 2), Fraction(1073741824, 1), Fraction(1000, 1))
>>> parse_quantity("1.5"), parse_quantity(".5k"), parse_quantity(2)
(Fraction(3, 2), Fraction(500, 1), Fraction(2, 1))
>>> scheduler_amount("cpu", parse_quantity("0.1"))
100
>>> scheduler_amount("memory", parse_quantity("100Ki"))
102400
>>> scheduler_amount("cpu", parse_quantity("1n"))  # rounded up, as MilliValue() does
1
>>> parse_quantity("5 cores")
Traceback (most recent call last):
  ...
ValueError: invalid quantity "5 cores"
"""

from __future__ import annotations

import functools
import math
import re
from fractions import Fraction

from fmlab.k8s._yamlio import brief

_BINARY = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "Pi": 2**50, "Ei": 2**60}
_DECIMAL = {
    "n": Fraction(1, 10**9),
    "u": Fraction(1, 10**6),
    "m": Fraction(1, 10**3),
    "": Fraction(1),
    "k": Fraction(10**3),
    "M": Fraction(10**6),
    "G": Fraction(10**9),
    "T": Fraction(10**12),
    "P": Fraction(10**15),
    "E": Fraction(10**18),
}
# The exponent form is tried last so that "1E" stays exa while "1E3" is a thousand.
_QUANTITY = re.compile(
    r"(?P<sign>[+-]?)(?P<whole>[0-9]*)(?:\.(?P<fraction>[0-9]*))?"
    r"(?:(?P<binary>Ki|Mi|Gi|Ti|Pi|Ei)|(?P<decimal>[numkMGTPE]?)|[eE](?P<exponent>[+-]?[0-9]+))"
)
# Kubernetes stores quantities in int64-sized scaled integers; anything this far out is
# a typo, and refusing it keeps a hostile exponent from building a gigantic Fraction.
_MAX_EXPONENT = 40
_MAX_VALUE = Fraction(2**63)

CPU = "cpu"


def parse_quantity(raw: object) -> Fraction:
    """The exact value of a quantity given as a string (or a YAML/JSON number).

    Raises ``ValueError('invalid quantity "..."')`` for anything Kubernetes would reject.
    """
    if isinstance(raw, bool) or not isinstance(raw, str | int | float):
        raise ValueError(f"invalid quantity {_show(raw)}")
    if isinstance(raw, int):
        value = Fraction(raw)
    elif isinstance(raw, float):
        if not math.isfinite(raw):
            raise ValueError(f"invalid quantity {_show(raw)}")
        # YAML `cpu: 0.5` arrives as a float; its decimal spelling is what the user wrote.
        return parse_quantity(repr(raw))
    else:
        value = _parse_text(raw)
    if abs(value) >= _MAX_VALUE:
        raise ValueError(f"invalid quantity {_show(raw)}: too large")
    return value


def _parse_text(text: str) -> Fraction:
    match = _QUANTITY.fullmatch(text)
    if match is None:
        raise ValueError(f"invalid quantity {_show(text)}")
    whole = match["whole"]
    fraction = match["fraction"] or ""
    if not whole and not fraction:
        raise ValueError(f"invalid quantity {_show(text)}")
    number = Fraction(int(whole or "0") * 10 ** len(fraction) + int(fraction or "0"))
    number /= 10 ** len(fraction)
    if match["binary"]:
        number *= _BINARY[match["binary"]]
    elif match["exponent"] is not None:
        exponent = int(match["exponent"])
        if abs(exponent) > _MAX_EXPONENT:
            raise ValueError(f"invalid quantity {_show(text)}: exponent out of range")
        number *= Fraction(10) ** exponent
    else:
        number *= _DECIMAL[match["decimal"] or ""]
    return Fraction(-number if match["sign"] == "-" else number)


def scheduler_amount(resource: str, value: Fraction) -> int:
    """The integer the scheduler adds up: ceil(millicores) for cpu, ceil(units) otherwise."""
    return math.ceil(value * 1000) if resource == CPU else math.ceil(value)


@functools.lru_cache(maxsize=4096)
def cached_quantity(raw: str) -> Fraction:
    """:func:`parse_quantity` for a spelling; a cluster repeats a handful ("100m", "512Mi")."""
    return parse_quantity(raw)


@functools.lru_cache(maxsize=4096)
def cached_request_amount(resource: str, raw: str) -> int | None:
    """The scheduler's integer for a request spelled ``raw``, or None if it is not a valid
    request (unparsable or negative). Both manifest readers use it, so they agree."""
    try:
        value = parse_quantity(raw)
    except ValueError:
        return None
    return scheduler_amount(resource, value) if value >= 0 else None


def format_amount(resource: str, amount: int) -> str:
    """A short human spelling of a scheduler amount (``1500m``, ``2Gi``, ``3``).

    >>> format_amount("cpu", 1500), format_amount("cpu", 2000), format_amount("memory", 2**31)
    ('1500m', '2', '2Gi')
    """
    if resource == CPU:
        return str(amount // 1000) if amount % 1000 == 0 else f"{amount}m"
    for suffix, factor in sorted(_BINARY.items(), key=lambda item: -item[1]):
        if amount and amount % factor == 0:
            return f"{amount // factor}{suffix}"
    return str(amount)


def _show(raw: object) -> str:
    # Bounded: the value may be a huge string or a container built from YAML aliases.
    return f'"{brief(raw)}"' if isinstance(raw, str) else brief(raw)
