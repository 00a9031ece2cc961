"""Outreach beyond sessions: materials (printed, published, aired) and their distribution, listing,
broadcasts (the loudspeaker log), figures (what a report quotes of them)."""
