"""Demo data and the request generator (`seed_demo`, `generate_requests`): installed by the dev, test and
bench settings only, left out of production settings and of the production image."""
