from __future__ import annotations

from fmlab.iam.facts._s3 import Bucket


def test_object_arns_carry_no_account_or_region() -> None:
    bucket = Bucket("example-reports", "111122223333", "ap-northeast-1", partition="aws-cn")
    assert bucket.object_arn("a/b.csv") == "arn:aws-cn:s3:::example-reports/a/b.csv"
    assert "111122223333" not in bucket.object_arn("a")
