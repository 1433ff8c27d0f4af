"""Awards: criteria, nominations, dossiers, decisions, revocation (R4.1–R4.5)."""
