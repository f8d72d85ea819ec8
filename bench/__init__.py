"""Scale benchmark: a synthetic registry generator (`bench.synth`) and the runner (`bench.run`)."""
