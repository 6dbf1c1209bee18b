"""The Priority admission plugin: a pod's priority is fixed once, when the pod is created.

:class:`PriorityAdmission` keeps the PriorityClasses the API server knows (the two
built-in ``system-`` classes included) and admits pods the way the plugin does:

* no ``priorityClassName``: the ``globalDefault`` class (the lowest value if several),
  else priority 0;
* a named class that does not exist: rejected (Forbidden);
* a client-set ``priority`` that differs from the resolved value: rejected;
* the class's ``preemptionPolicy`` is copied in (a different pod value is rejected).

Nothing is ever resolved again: creating a ``globalDefault`` class later, or deleting
a class, leaves existing pods' priority as it was.

>>> api = PriorityAdmission()
>>> api.create_class(PriorityClass("high", 1000))
>>> api.admit(Pod("default", "web", priority_class_name="high")).priority
1000
>>> api.admit(Pod("default", "batch")).priority
0
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from fmlab.core.errors import ViolationError
from fmlab.k8s._model import PREEMPT_LOWER_PRIORITY, Pod, PriorityClass

HIGHEST_USER_DEFINABLE_PRIORITY = 1_000_000_000
SYSTEM_CLASSES = (
    PriorityClass("system-node-critical", 2_000_001_000),
    PriorityClass("system-cluster-critical", 2_000_000_000),
)


class AdmissionError(ViolationError):
    """The API server refused a request (HTTP 403 Forbidden or 422 Invalid)."""


class PriorityAdmission:
    """PriorityClasses as the API server stores them, and the admission of new pods."""

    def __init__(self, classes: Iterable[PriorityClass] = ()) -> None:
        self._classes: dict[str, PriorityClass] = {c.name: c for c in SYSTEM_CLASSES}
        for priority_class in classes:
            self.create_class(priority_class)

    @property
    def classes(self) -> dict[str, PriorityClass]:
        return dict(self._classes)

    def create_class(self, priority_class: PriorityClass) -> None:
        """Store a new class, with the API server's validation of PriorityClasses."""
        name = priority_class.name
        if name in self._classes:
            raise AdmissionError(f'priorityclasses "{name}" already exists')
        if name.startswith("system-"):
            raise AdmissionError(f'priority class names with "system-" prefix are reserved: {name}')
        if priority_class.value > HIGHEST_USER_DEFINABLE_PRIORITY:
            raise AdmissionError(
                f"value of {name} must not exceed {HIGHEST_USER_DEFINABLE_PRIORITY}"
            )
        if priority_class.global_default:
            existing = self.default_class()
            if existing is not None:
                raise AdmissionError(
                    f"PriorityClass {existing.name} is already marked as default; "
                    "only one default can exist"
                )
        self._classes[name] = priority_class

    def delete_class(self, name: str) -> None:
        if name not in self._classes:
            raise AdmissionError(f'priorityclasses "{name}" not found')
        del self._classes[name]

    def default_class(self) -> PriorityClass | None:
        """The ``globalDefault`` class; after a race left several, the one of lowest value."""
        defaults = [c for c in self._classes.values() if c.global_default]
        return min(defaults, key=lambda c: c.value) if defaults else None

    def admit(self, pod: Pod) -> Pod:
        """The pod as stored on CREATE, with ``priority`` (and policy) filled in."""
        if pod.priority_class_name:
            found = self._classes.get(pod.priority_class_name)
            if found is None:
                raise AdmissionError(
                    f"no PriorityClass with name {pod.priority_class_name} was found"
                )
            priority_class: PriorityClass | None = found
        else:
            priority_class = self.default_class()
        value = priority_class.value if priority_class else 0
        name = priority_class.name if priority_class else ""
        if pod.priority is not None and pod.priority != value:
            raise AdmissionError(
                "the integer value of priority "
                f"({pod.priority}) must not be provided in pod spec; priority admission "
                f"controller computed {value} from the given PriorityClass name"
            )
        policy = pod.preemption_policy
        if priority_class is not None and priority_class.preemption_policy is not None:
            if policy is not None and policy != priority_class.preemption_policy:
                raise AdmissionError(
                    f"the string value of PreemptionPolicy ({policy}) must not be provided in "
                    "pod spec; priority admission controller computed "
                    f"{priority_class.preemption_policy} from the given PriorityClass name"
                )
            policy = priority_class.preemption_policy
        return dataclasses.replace(
            pod,
            priority=value,
            priority_class_name=name,
            preemption_policy=policy or PREEMPT_LOWER_PRIORITY,
        )


class ApiServer:
    """Just enough of an API server to watch admission happen: classes and pods.

    ``admission_enabled=False`` is a cluster whose API server does not run the Priority
    plugin (the talk's minikube of the time): pods are stored as sent, the priority
    field stays unset, and the scheduler reads every such pod as priority 0.
    """

    def __init__(self, *, admission_enabled: bool = True) -> None:
        self.admission = PriorityAdmission()
        self.admission_enabled = admission_enabled
        self.pods: dict[str, Pod] = {}

    def create_class(self, priority_class: PriorityClass) -> None:
        self.admission.create_class(priority_class)

    def delete_class(self, name: str) -> None:
        self.admission.delete_class(name)

    def create_pod(self, pod: Pod) -> Pod:
        if pod.key in self.pods:
            raise AdmissionError(f'pods "{pod.name}" already exists')
        stored = self.admission.admit(pod) if self.admission_enabled else pod
        self.pods[stored.key] = stored
        return stored
