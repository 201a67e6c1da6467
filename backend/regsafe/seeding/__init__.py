"""Reference data for the demo seeder (`regsafe.seed`): names, districts, trades."""
