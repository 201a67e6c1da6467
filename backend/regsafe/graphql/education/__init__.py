"""GraphQL face of the continuing-education domain."""
