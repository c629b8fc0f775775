"""Joint-research consortia, participation lifecycle, agreements and members-only materials."""
