"""Member organizations, seats and invitations, tiers and the membership lifecycle."""
