"""Kubernetes pod priority and preemption.

Manifests in, kube-scheduler's filters and DefaultPreemption, and an exact planner.
"""
