"""Facts beyond IAM: networks, EC2 instances and S3 buckets, composed with the IAM logic.

The JAWS DAYS 2018 talk split its Alloy model into the IAM evaluation logic, S3 resources
and EC2 resources, and noted that keeping them apart without repeating logic was the hard
part. Here each module knows one thing:

* :mod:`~fmlab.iam.facts.network`: VPCs, subnets, route tables, gateways and VPC
  endpoints, and the one question a network answers: which way does a packet to S3 go;
* :mod:`~fmlab.iam.facts.ec2`: instances, where they sit and which role they carry;
* :mod:`~fmlab.iam.facts.s3`: buckets, their regions, owners, policies and object ARNs;
* :mod:`~fmlab.iam.facts.world`: all of them together, read from JSON;
* :mod:`~fmlab.iam.facts.compose`: from a path to the request context AWS builds, then
  the existing IAM evaluator (plus the endpoint policy as a filter);
* :mod:`~fmlab.iam.facts.search`: the same composition for every placement at once,
  with the IAM decision taken from :class:`fmlab.iam.symbolic.Encoder`;
* :mod:`~fmlab.iam.facts.draw`: a world as an :class:`~fmlab.core.instance.Instance`.

None of them evaluates a policy statement: that stays in :mod:`fmlab.iam.evaluator` and
:mod:`fmlab.iam.symbolic`.
"""
