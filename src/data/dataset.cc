// Placeholder until the data pipeline lands.
