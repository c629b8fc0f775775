"""Planned, not built yet (an empty app): joint-research consortia, participation lifecycle,
agreements and members-only materials."""
