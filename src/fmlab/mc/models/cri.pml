/* The CRI model of cri.py, written again in Promela for SPIN.
 *
 * Same states, same steps: a sandbox and N container slots. Every step is one d_step,
 * so SPIN stores exactly one state per valuation of (sb, c[0..N-1]) and its count of
 * stored states equals fmlab.mc's count of reachable states (the process counters
 * always sit at the top of their loops). The kubelet and the runtime are two processes:
 * SPIN's weak fairness (-f) is per process, and "the runtime eventually cleans up" is
 * exactly weak fairness of the runtime process.
 *
 * Status calls change nothing, so they are left out: they add no state.
 * Size: spin -DN=3 -a cri.pml (default 2, at most 8).
 */

#ifndef N
#define N 2
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

mtype = { NONE, READY, NOTREADY, REMOVING, REMOVED, ABSENT, CREATED, RUNNING, EXITED, UNKNOWN };

mtype sb = NONE;
mtype c[N] = ABSENT;
byte k;  /* loop counter, always 0 between steps, so it never tells states apart */

#define EXISTS(i)   (c[i] == CREATED || c[i] == RUNNING || c[i] == EXITED || c[i] == UNKNOWN)
#define STOPPED     (sb == NOTREADY || sb == REMOVING || sb == REMOVED)
#define NOT_EXISTS(i) (!EXISTS(i))
#define NONE_EXISTS   FORALL(NOT_EXISTS)

/* The guards, shared by the steps and by the idempotence properties below. */
#define CAN_STOP_SANDBOX        (sb != NONE)
#define CAN_REMOVE_SANDBOX      (sb == NOTREADY || sb == REMOVING || sb == REMOVED)
#define CAN_CREATE(i)           (sb == READY && c[i] == ABSENT)
#define CAN_STOP_CONTAINER(i)   (c[i] != ABSENT)
#define CAN_REMOVE_CONTAINER(i) (c[i] != ABSENT)

#define KUBELET_CONTAINER(i) \
    :: d_step { CAN_CREATE(i) -> c[i] = CREATED } \
    :: d_step { sb == READY && c[i] == CREATED -> c[i] = RUNNING } \
    :: d_step { CAN_STOP_CONTAINER(i) && (c[i] == RUNNING || c[i] == UNKNOWN) -> c[i] = EXITED } \
    :: d_step { CAN_REMOVE_CONTAINER(i) && EXISTS(i) -> c[i] = REMOVED }

#define RUNTIME_CONTAINER(i) \
    :: d_step { c[i] == RUNNING -> c[i] = EXITED } \
    :: d_step { c[i] == RUNNING -> c[i] = UNKNOWN } \
    :: d_step { sb == REMOVING && EXISTS(i) -> c[i] = REMOVED }

active proctype kubelet() {
    do
    :: d_step { sb == NONE -> sb = READY }
    :: d_step { CAN_STOP_SANDBOX && sb == READY ->
                sb = NOTREADY;
                for (k : 0 .. N - 1) {
                    if
                    :: c[k] == RUNNING || c[k] == UNKNOWN -> c[k] = EXITED
                    :: else -> skip
                    fi
                }
                k = 0 }
    :: d_step { sb == NOTREADY -> sb = REMOVING }
    /* The idempotent repeats (stop again, remove again) change no state: SPIN needs no step
     * for them, and a do-loop with only such steps enabled would still not block. */
    :: d_step { CAN_STOP_SANDBOX && sb != READY -> skip }
    FORALL_OPTIONS(KUBELET_CONTAINER)
    od
}

active proctype runtime() {
    do
    FORALL_OPTIONS(RUNTIME_CONTAINER)
    :: d_step { sb == REMOVING && NONE_EXISTS ->
                sb = REMOVED;
                for (k : 0 .. N - 1) { c[k] = REMOVED }
                k = 0 }
    od
}

/* The properties, named as in cri.py. */
#define CREATE_OK(i)      (sb != READY || c[i] != ABSENT || CAN_CREATE(i))
#define STOP_C_OK(i)      (!(c[i] == EXITED || c[i] == REMOVED) || CAN_STOP_CONTAINER(i))
#define REMOVE_C_OK(i)    (c[i] != REMOVED || CAN_REMOVE_CONTAINER(i))

ltl inv_sandbox_stable { [] (sb == NONE || sb == READY || STOPPED) }
ltl inv_create_possible_when_ready { [] FORALL(CREATE_OK) }
ltl inv_stop_sandbox_idempotent { [] (!STOPPED || CAN_STOP_SANDBOX) }
ltl inv_remove_sandbox_idempotent { [] (!(sb == REMOVING || sb == REMOVED) || CAN_REMOVE_SANDBOX) }
ltl inv_stop_container_idempotent { [] FORALL(STOP_C_OK) }
ltl inv_remove_container_idempotent { [] FORALL(REMOVE_C_OK) }
ltl leadsto_removal_completes { [] (sb == REMOVING -> <> (sb == REMOVED)) }
