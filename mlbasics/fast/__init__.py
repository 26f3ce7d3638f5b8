"""Fast versions of the reference optimizers and activations, for arrays of millions of entries.

:mod:`mlbasics.fast.optim` and :mod:`mlbasics.fast.activations` have the interface and the
results of :mod:`mlbasics.optim` and :mod:`mlbasics.activations` (the tests compare them on random
inputs, including the refusal of a bad update, which changes nothing here either), but compute in
place, block by block and on all cores (:mod:`mlbasics.fast._blocks`). The course, its graders
and its docs use the reference modules, which are written to be read; these exist for the large
models of ``bench/bench_optim.py``, where a plain NumPy formula's temporary arrays and passes over
memory dominate.
"""
