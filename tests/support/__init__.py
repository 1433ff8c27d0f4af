"""Test support: infrastructure fixtures, a process harness and a test-only service."""
