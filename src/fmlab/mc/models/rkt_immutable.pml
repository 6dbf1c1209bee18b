/* The immutable-pod runtime of rkt_immutable.py, written again in Promela for SPIN.
 *
 * A pod whose apps are fixed when it is created (all N apps with -DPRELOADED=1, none
 * without) and which exits once every app it holds has exited. As in cri.pml, every
 * step is one d_step, so SPIN's stored states equal fmlab.mc's reachable states.
 * Size: spin -DN=2 -DPRELOADED=1 -a rkt_immutable.pml (N from 1 to 8).
 */

#ifndef N
#define N 2
#endif
#ifndef PRELOADED
#define PRELOADED 0
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

mtype = { NONE, RUNNING, EXITED, REMOVED, NOT_IN_POD, PREPARED, CREATED };

mtype pod = NONE;
mtype app[N] = NOT_IN_POD;
bool stop_called = false;
byte k;  /* loop counter, always 0 between steps, so it never tells states apart */

#define DONE(i)       (app[i] == NOT_IN_POD || app[i] == EXITED || app[i] == REMOVED)
#define ALL_DONE      FORALL(DONE)
#define CAN_CREATE(i) (pod == RUNNING && app[i] == PREPARED)
#define CAN_STOP_CONTAINER(i) (app[i] == CREATED || app[i] == RUNNING || app[i] == EXITED || app[i] == REMOVED)

#define KUBELET_APP(i) \
    :: d_step { CAN_CREATE(i) -> app[i] = CREATED } \
    :: d_step { pod == RUNNING && app[i] == CREATED -> app[i] = RUNNING } \
    :: d_step { app[i] == RUNNING -> app[i] = EXITED }

#define RUNTIME_APP(i) \
    :: d_step { app[i] == RUNNING -> app[i] = EXITED }

active proctype kubelet() {
    do
    :: d_step { pod == NONE ->
                pod = RUNNING;
                for (k : 0 .. N - 1) { app[k] = (PRELOADED -> PREPARED : NOT_IN_POD) }
                k = 0 }
    :: d_step { pod == RUNNING ->
                pod = EXITED; stop_called = true;
                for (k : 0 .. N - 1) {
                    if
                    :: app[k] == RUNNING -> app[k] = EXITED
                    :: else -> skip
                    fi
                }
                k = 0 }
    :: d_step { pod != NONE && pod != RUNNING -> stop_called = true }
    :: d_step { stop_called && pod == EXITED ->
                pod = REMOVED;
                for (k : 0 .. N - 1) {
                    if
                    :: app[k] == CREATED || app[k] == RUNNING || app[k] == EXITED -> app[k] = REMOVED
                    :: else -> app[k] = NOT_IN_POD
                    fi
                }
                k = 0 }
    FORALL_OPTIONS(KUBELET_APP)
    od
}

active proctype runtime() {
    do
    FORALL_OPTIONS(RUNTIME_APP)
    :: d_step { pod == RUNNING && ALL_DONE -> pod = EXITED }
    od
}

#define CREATE_OK(i) (pod != RUNNING || app[i] != PREPARED || CAN_CREATE(i)) && \
                     (pod != RUNNING || app[i] != NOT_IN_POD || false)
#define STOP_C_OK(i) (!(app[i] == EXITED || app[i] == REMOVED) || CAN_STOP_CONTAINER(i))

ltl inv_sandbox_stable { [] (pod == NONE || pod == RUNNING || stop_called) }
ltl inv_create_possible_when_ready { [] FORALL(CREATE_OK) }
ltl inv_stop_container_idempotent { [] FORALL(STOP_C_OK) }
