"""GraphQL face of practice records, evaluations, credit events, the blacklist and scores."""
