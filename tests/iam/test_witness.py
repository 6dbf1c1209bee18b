"""Witness minimisation keeps a witness a witness."""

from __future__ import annotations

from fmlab.iam._request import Request
from fmlab.iam._witness import minimise


def test_minimise_drops_only_what_is_not_needed() -> None:
    request = Request.build(
        "arn:aws:iam::111122223333:user/a",
        "s3:GetObject",
        "arn:aws:s3:::b/k",
        {"aws:SourceIp": "10.0.0.1", "aws:username": "a", "aws:SecureTransport": "true"},
    )

    def needs_ip_and_bucket(r: Request) -> bool:
        return r.value("aws:SourceIp") is not None and r.resource.startswith("arn:aws:s3:::b/")

    smaller = minimise(request, needs_ip_and_bucket)
    assert smaller.context == {"aws:sourceip": ("10.0.0.1",)}
    assert smaller.resource == "arn:aws:s3:::b/k"
    assert minimise(request, lambda r: True).resource == "*"


def test_a_non_witness_is_returned_unchanged() -> None:
    request = Request.build("p", "s3:GetObject", "*", {"k": "v"})
    assert minimise(request, lambda r: False) is request
