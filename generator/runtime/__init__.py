"""Process plumbing the stages share: forked workers and GC pauses."""
