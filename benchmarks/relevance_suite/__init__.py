"""The relevance suite behind benchmarks/relevance.py: loading, judged queries, scores."""
