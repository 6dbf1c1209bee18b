/* busy_loop.py in Promela: one process spins forever, the other may go at any time.
   Without fairness the spinner can run forever while the other never moves; SPIN's weak
   fairness among processes (-f) makes the waiting process go. */
bool done;
bit spins;

active proctype spinner() {
  do
  :: spins = 1 - spins
  od
}

active proctype waiter() {
  done = true
}

ltl leadsto_b_finishes { [] (!done -> <> done) }
