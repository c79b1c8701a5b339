"""What is made per story: the summary, facts, entities and timeline, and the whole run (``pipeline``)."""
