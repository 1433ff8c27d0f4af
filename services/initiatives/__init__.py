"""Initiatives: ideas, registration, recognition, application, replication (R3.1–R3.8)."""
