"""The write stage: generated files into docs/, atomically and only there."""
