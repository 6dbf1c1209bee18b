/* rktlet (rktlet.py), written again in Promela for SPIN: the kubelet's CRI calls, each
 * one d_step running the rkt commands rktlet's mapping names, on a mutable rkt pod.
 *
 * -DWAIT_AFTER_STOP=0 is rktlet before its PR #142 (StopPodSandbox does not wait for
 * the pod to exit); -DADD_STARTS=1 is the wrong mapping in which CreateContainer also
 * starts the app. Every step is one d_step, so SPIN's stored states equal fmlab.mc's
 * reachable states. Size: spin -DN=2 -a rktlet.pml (N from 1 to 8).
 */

#ifndef N
#define N 2
#endif
#ifndef WAIT_AFTER_STOP
#define WAIT_AFTER_STOP 1
#endif
#ifndef ADD_STARTS
#define ADD_STARTS 0
#endif

/* FORALL(P) is P(0) && ... && P(N-1); FORALL_OPTIONS(M) the do-options M(0) ... M(N-1).
 * Promela has no loop over options, so they are spelled out for N = 1 .. 8 (the same
 * block in every twin: fmlab mc spin checks a single file). */

#if N == 1
#define FORALL(P) (P(0))
#define FORALL_OPTIONS(M) M(0)
#elif N == 2
#define FORALL(P) (P(0) && P(1))
#define FORALL_OPTIONS(M) M(0) M(1)
#elif N == 3
#define FORALL(P) (P(0) && P(1) && P(2))
#define FORALL_OPTIONS(M) M(0) M(1) M(2)
#elif N == 4
#define FORALL(P) (P(0) && P(1) && P(2) && P(3))
#define FORALL_OPTIONS(M) M(0) M(1) M(2) M(3)
#elif N == 5
#define FORALL(P) (P(0) && P(1) && P(2) && P(3) && P(4))
#define FORALL_OPTIONS(M) M(0) M(1) M(2) M(3) M(4)
#elif N == 6
#define FORALL(P) (P(0) && P(1) && P(2) && P(3) && P(4) && P(5))
#define FORALL_OPTIONS(M) M(0) M(1) M(2) M(3) M(4) M(5)
#elif N == 7
#define FORALL(P) (P(0) && P(1) && P(2) && P(3) && P(4) && P(5) && P(6))
#define FORALL_OPTIONS(M) M(0) M(1) M(2) M(3) M(4) M(5) M(6)
#elif N == 8
#define FORALL(P) (P(0) && P(1) && P(2) && P(3) && P(4) && P(5) && P(6) && P(7))
#define FORALL_OPTIONS(M) M(0) M(1) M(2) M(3) M(4) M(5) M(6) M(7)
#else
#error N must be between 1 and 8
#endif

mtype = { NONE, RUNNING, STOPPING, EXITED, REMOVED, ABSENT, PREPARED };

mtype pod = NONE;
mtype app[N] = ABSENT;
bool stop_called = false;
byte k;  /* loop counter, always 0 between steps, so it never tells states apart */

#define POD_RUNNING   (pod == RUNNING || pod == STOPPING)  /* rkt reports "running": READY */
#define IN_POD(i)     (app[i] == PREPARED || app[i] == RUNNING || app[i] == EXITED)

#define POD_EXITS \
    pod = EXITED; \
    for (k : 0 .. N - 1) { \
        if \
        :: app[k] == RUNNING -> app[k] = EXITED \
        :: else -> skip \
        fi \
    } \
    k = 0

/* When each call succeeds: rkt app add|start|stop|rm, and rm after stop --force. */
#define CAN_CREATE(i)           (POD_RUNNING && app[i] == ABSENT)
#define CAN_START(i)            (POD_RUNNING && app[i] == PREPARED)
#define CAN_STOP_CONTAINER(i)   (POD_RUNNING && IN_POD(i))
#define CAN_REMOVE_CONTAINER(i) (pod != NONE && pod != REMOVED && IN_POD(i))
#define CAN_REMOVE_SANDBOX      (stop_called && pod == EXITED)

#define KUBELET_CONTAINER(i) \
    :: d_step { CAN_CREATE(i) -> app[i] = (ADD_STARTS -> RUNNING : PREPARED) } \
    :: d_step { CAN_START(i) -> app[i] = RUNNING } \
    :: d_step { CAN_STOP_CONTAINER(i) && app[i] == RUNNING -> app[i] = EXITED } \
    :: d_step { CAN_REMOVE_CONTAINER(i) -> app[i] = REMOVED }

#define RUNTIME_CONTAINER(i) \
    :: d_step { POD_RUNNING && app[i] == RUNNING -> app[i] = EXITED }

active proctype kubelet() {
    do
    :: d_step { pod == NONE -> pod = RUNNING }  /* RunPodSandbox: rkt app sandbox */
    :: d_step { POD_RUNNING ->  /* StopPodSandbox: rkt stop, then (PR #142) wait */
                pod = STOPPING; stop_called = true;
                if
                :: WAIT_AFTER_STOP -> POD_EXITS
                :: else -> skip
                fi }
    :: d_step { pod == EXITED || pod == REMOVED -> skip }  /* StopPodSandbox again: no-op */
    :: d_step { CAN_REMOVE_SANDBOX ->  /* RemovePodSandbox: rkt stop --force; rkt rm */
                pod = REMOVED;
                for (k : 0 .. N - 1) {
                    if
                    :: IN_POD(k) -> app[k] = REMOVED
                    :: else -> skip
                    fi
                }
                k = 0 }
    FORALL_OPTIONS(KUBELET_CONTAINER)
    od
}

active proctype runtime() {
    do
    FORALL_OPTIONS(RUNTIME_CONTAINER)
    :: d_step { pod == STOPPING -> POD_EXITS }  /* rkt finishes a stop in the background */
    od
}

/* The CRI's properties, asked through rktlet's status translation. */
#define READY_SEEN            POD_RUNNING
#define STOP_SB_IS_NOOP       (pod == EXITED || pod == REMOVED || (pod == STOPPING && !WAIT_AFTER_STOP))
#define CREATE_OK(i)          (!READY_SEEN || app[i] != ABSENT || CAN_CREATE(i))
#define STOP_C_OK(i)          (!(app[i] == EXITED || app[i] == REMOVED) || CAN_STOP_CONTAINER(i))
#define REMOVE_C_OK(i)        (app[i] != REMOVED || CAN_REMOVE_CONTAINER(i))

ltl inv_sandbox_stable { [] (pod == NONE || READY_SEEN || stop_called) }
ltl inv_create_possible_when_ready { [] FORALL(CREATE_OK) }
ltl inv_stop_sandbox_idempotent { [] (!stop_called || STOP_SB_IS_NOOP) }
ltl inv_remove_sandbox_idempotent { [] (pod != REMOVED || CAN_REMOVE_SANDBOX) }
ltl inv_stop_container_idempotent { [] FORALL(STOP_C_OK) }
ltl inv_remove_container_idempotent { [] FORALL(REMOVE_C_OK) }
