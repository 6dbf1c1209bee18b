/* Three philosophers taking the left fork, then the right one (philosophers.py): the
   forks hold the number of their holder, 255 when free. */
#define FREE 255
byte fork[3] = FREE;
mtype = { thinking, has_left, eating };
mtype phase[3] = thinking;

active proctype table() {
  do
  :: d_step { phase[0] == thinking && fork[0] == FREE -> fork[0] = 0; phase[0] = has_left }
  :: d_step { phase[0] == has_left && fork[1] == FREE -> fork[1] = 0; phase[0] = eating }
  :: d_step { phase[0] == eating -> fork[0] = FREE; fork[1] = FREE; phase[0] = thinking }
  :: d_step { phase[1] == thinking && fork[1] == FREE -> fork[1] = 1; phase[1] = has_left }
  :: d_step { phase[1] == has_left && fork[2] == FREE -> fork[2] = 1; phase[1] = eating }
  :: d_step { phase[1] == eating -> fork[1] = FREE; fork[2] = FREE; phase[1] = thinking }
  :: d_step { phase[2] == thinking && fork[2] == FREE -> fork[2] = 2; phase[2] = has_left }
  :: d_step { phase[2] == has_left && fork[0] == FREE -> fork[0] = 2; phase[2] = eating }
  :: d_step { phase[2] == eating -> fork[2] = FREE; fork[0] = FREE; phase[2] = thinking }
  od
}
