"""The register of good examples and commendations, and section II.5 of the report drafted from it."""
