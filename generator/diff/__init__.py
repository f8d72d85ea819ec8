"""`generator diff`: what changed between two revisions, for reviewers and CI."""
