"""The demo that ``make run`` shows: a year of activity in the demo province, made through the
gateway's HTTP API as its users would (``demo.activity``)."""
