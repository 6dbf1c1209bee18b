"""S3 buckets: owner account, region, bucket policy, and the ARNs of their objects.

S3 ARNs carry neither account nor region (``arn:aws:s3:::bucket/key``), which is why a
request must say ``aws:ResourceAccount`` for the evaluator to tell cross-account access
apart.

>>> logs = Bucket("example-logs", "111122223333", "ap-northeast-1")
>>> logs.object_arn("2026/app.log")
'arn:aws:s3:::example-logs/2026/app.log'
>>> logs.arn
'arn:aws:s3:::example-logs'
"""

from __future__ import annotations

from dataclasses import dataclass

from fmlab.iam._model import Policy


@dataclass(frozen=True)
class Bucket:
    """An S3 bucket: its account, region and bucket policy."""

    name: str
    account: str
    region: str
    policy: Policy | None = None
    partition: str = "aws"

    @property
    def arn(self) -> str:
        return f"arn:{self.partition}:s3:::{self.name}"

    def object_arn(self, key: str) -> str:
        return f"{self.arn}/{key}"
