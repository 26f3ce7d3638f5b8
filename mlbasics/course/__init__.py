"""Course tooling: release, learner checks, autograding, JupyterLab.

Run as ``python -m mlbasics.course <command>``; the Makefile's targets call it.
"""
