"""The load stage: registry files to typed records, with every node's line."""
