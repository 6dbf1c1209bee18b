/* FORALL(P): P(0) && ... && P(N-1); FORALL_OPTIONS(M): the do-options M(0) ... M(N-1).
 * Promela has no loops over options, so the models expand them for N = 1 .. 8. */

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
