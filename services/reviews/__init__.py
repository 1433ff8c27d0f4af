"""Reviews: launches, pledges, half-year and annual reviews, classification (R2.1–R2.8)."""
