"""`make bench`: how fast the production-like site answers, measured on this machine.

It starts gunicorn with DEBUG off (as `make serve` does) on a free loopback port and measures:

- throughput and latency (requests/s, p50, p99) of a whitenoise static file, the home page, a
  condition page and a week of free booking times, each as a fraction of the static file's
  requests/s, which cancels out how fast the machine is;
- the weight of a condition page: bytes over the wire and number of requests for the HTML plus
  every stylesheet, script, icon and font it pulls in;
- how long computing 90 days of free times takes with 1,000 bookings, and how many queries it
  makes (which must not grow with the number of bookings), in a throwaway database;
- how long the reception calendar's week view takes with 20 practitioners and 50,000 bookings,
  and its queries, in another (`bench/fresh_database.py` makes both);
- how many presses of Confirm two workers answer a second with 8 patients at once, some racing
  for the same time, on SQLite and PostgreSQL, and that each time is booked exactly once
  (`bench/confirms.py`);
- the cost of the free times, the times page, the calendar and the booking list as the diary
  grows to 100,000 bookings, and a whole booking at that size (`bench/growth.py`,
  `bench/whole_booking.py`).
"""
