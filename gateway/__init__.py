"""The gateway: the only door front ends use (R5.2). It runs in plain threads, never under
eventlet (grpcio deadlocks there), and calls the services through nameko's standalone RPC
proxy with the caller's actor context in the headers."""
