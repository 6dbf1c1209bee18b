"""EC2 instances: where one sits, which addresses it has, and which role it acts as.

An instance with an instance profile signs its requests with temporary credentials of
its role; the principal AWS sees is the role *session*, named after the instance id,
while ``aws:PrincipalArn`` names the role itself.

>>> app = Ec2Instance("i-0app", "subnet-a", "10.0.1.10", None,
...                   Role("arn:aws:iam::111122223333:role/app"))
>>> app.session_arn
'arn:aws:sts::111122223333:assumed-role/app/i-0app'
>>> app.role.account
'111122223333'
"""

from __future__ import annotations

from dataclasses import dataclass

from fmlab.iam._model import Policy
from fmlab.iam._request import PrincipalKind, describe_principal


@dataclass(frozen=True)
class Role:
    """An IAM role with its identity-based policies (and boundary, when set)."""

    arn: str
    policies: tuple[Policy, ...] = ()
    boundary: tuple[Policy, ...] | None = None

    def __post_init__(self) -> None:
        if describe_principal(self.arn).kind is not PrincipalKind.ROLE:
            raise ValueError(f"not a role ARN: {self.arn}")

    @property
    def name(self) -> str:
        return self.arn.rsplit("/", 1)[-1]

    @property
    def account(self) -> str:
        account = describe_principal(self.arn).account
        assert account is not None  # a role ARN always has one (checked above)
        return account

    @property
    def partition(self) -> str:
        return self.arn.split(":")[1]


@dataclass(frozen=True)
class Ec2Instance:
    """An EC2 instance: its subnet, addresses and the role it runs as."""

    id: str
    subnet: str
    private_ip: str
    public_ip: str | None
    role: Role

    @property
    def session_arn(self) -> str:
        role = self.role
        return f"arn:{role.partition}:sts::{role.account}:assumed-role/{role.name}/{self.id}"

    def placed(self, subnet: str, private_ip: str) -> Ec2Instance:
        """The same instance launched in another subnet (it gets an address there)."""
        return Ec2Instance(self.id, subnet, private_ip, self.public_ip, self.role)
