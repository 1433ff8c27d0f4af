"""Registry: the union tree, its bodies and people, over time (R1.1–R1.5)."""
