"""The one runtime every service stands on: config, clock, actor context, errors, the
event store with attributed metadata, published contracts, the relay and the consumer.

Nothing here knows a business rule. Only ``runtime.nameko`` knows nameko; the rest runs
without RabbitMQ or eventlet so domain and application code can be tested alone.
"""
