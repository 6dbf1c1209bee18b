/* rkt's mutable pods (rkt_mutable.py), written again in Promela for SPIN.
 *
 * The user issues rkt app sandbox / app add / app start / app stop / app rm, rkt stop
 * and rkt rm; the runtime lets apps exit and a stopping pod finish exiting. Every step
 * is one d_step, so SPIN's stored states equal fmlab.mc's reachable states.
 * -DSURVIVES_APP_EXIT=0 is rkt before #3478: the sandbox quits when an app exits.
 * Size: spin -DN=2 -a rkt_mutable.pml (N from 1 to 8).
 */

#ifndef N
#define N 2
#endif
#ifndef SURVIVES_APP_EXIT
#define SURVIVES_APP_EXIT 1
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

#define POD_RUNNING   (pod == RUNNING || pod == STOPPING)  /* what rkt reports as running */
#define IN_POD(i)     (app[i] == PREPARED || app[i] == RUNNING || app[i] == EXITED)
#define CAN_ADD(i)    (POD_RUNNING && app[i] == ABSENT)

/* The pod exits: whatever ran in it has exited. */
#define POD_EXITS \
    pod = EXITED; \
    for (k : 0 .. N - 1) { \
        if \
        :: app[k] == RUNNING -> app[k] = EXITED \
        :: else -> skip \
        fi \
    } \
    k = 0

#define USER_APP(i) \
    :: d_step { CAN_ADD(i) -> app[i] = PREPARED } \
    :: d_step { POD_RUNNING && app[i] == PREPARED -> app[i] = RUNNING } \
    :: d_step { POD_RUNNING && app[i] == RUNNING -> app[i] = EXITED } \
    :: d_step { pod != NONE && pod != REMOVED && IN_POD(i) -> app[i] = REMOVED }

#define RUNTIME_APP(i) \
    :: d_step { POD_RUNNING && app[i] == RUNNING -> \
                app[i] = EXITED; \
                if \
                :: !SURVIVES_APP_EXIT -> POD_EXITS \
                :: else -> skip \
                fi }

active proctype user() {
    do
    :: d_step { pod == NONE -> pod = RUNNING }
    :: d_step { POD_RUNNING -> pod = STOPPING; stop_called = true }
    :: d_step { pod == EXITED ->
                pod = REMOVED;
                for (k : 0 .. N - 1) {
                    if
                    :: IN_POD(k) -> app[k] = REMOVED
                    :: else -> skip
                    fi
                }
                k = 0 }
    FORALL_OPTIONS(USER_APP)
    :: d_step { pod == REMOVED -> skip }  /* the end (fmlab.mc's terminal): stay there */
    od
}

active proctype runtime() {
    do
    FORALL_OPTIONS(RUNTIME_APP)
    :: d_step { pod == STOPPING -> POD_EXITS }
    od
}

#define ADD_OK(i) (pod != RUNNING || app[i] != ABSENT || CAN_ADD(i))

ltl inv_sandbox_stable { [] (pod == NONE || pod == RUNNING || stop_called) }
ltl inv_add_possible_when_running { [] FORALL(ADD_OK) }
