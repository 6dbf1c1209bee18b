from __future__ import annotations

import pytest

from fmlab.iam._request import PrincipalKind, describe_principal
from fmlab.iam.facts._ec2 import Ec2Instance, Role


def test_an_instance_acts_as_a_session_of_its_role_named_after_the_instance() -> None:
    role = Role("arn:aws:iam::111122223333:role/path/app")
    app = Ec2Instance("i-0abc", "subnet-a", "10.0.1.10", None, role)
    who = describe_principal(app.session_arn)
    assert who.kind is PrincipalKind.ROLE_SESSION
    assert (who.account, who.role_name) == ("111122223333", "app")
    moved = app.placed("subnet-b", "10.0.2.4")
    assert (moved.subnet, moved.private_ip, moved.session_arn) == (
        "subnet-b",
        "10.0.2.4",
        app.session_arn,
    )


def test_a_role_needs_a_role_arn() -> None:
    with pytest.raises(ValueError, match="not a role ARN"):
        Role("arn:aws:iam::111122223333:user/alice")
