"""The kit: what every app of the portal may use and that imports nothing of ours (PDF rendering, rate
limits, health, start-up checks). It sits at the bottom of the import-linter `layers` contract."""
