/* The broken mutual exclusion of mutex_naive.py, as one process of guarded atomic steps
   over the same variables, so that SPIN's states are the Python model's states. */
mtype = { idle, tested, critical };
mtype pc0 = idle, pc1 = idle;
bool flag0, flag1;

active proctype system() {
  do
  :: d_step { pc0 == idle && !flag1 -> pc0 = tested }
  :: d_step { pc0 == tested -> pc0 = critical; flag0 = true }
  :: d_step { pc0 == critical -> pc0 = idle; flag0 = false }
  :: d_step { pc1 == idle && !flag0 -> pc1 = tested }
  :: d_step { pc1 == tested -> pc1 = critical; flag1 = true }
  :: d_step { pc1 == critical -> pc1 = idle; flag1 = false }
  od
}

ltl inv_mutual_exclusion { [] !(pc0 == critical && pc1 == critical) }
