"""The demo that ``make run`` shows, kept out of the services: the demo province the registry
loads (``demo.province`` generates ``deploy/demo/tra-vinh.json``) and a year of activity in it,
made through the gateway's HTTP API as its users would (``demo.activity``)."""
