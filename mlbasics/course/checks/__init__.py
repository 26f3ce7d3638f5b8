"""Every check the course makes of a notebook, in one place, by when it runs:

- :mod:`.source`: a source notebook, before `make release` writes its release
  (:func:`~.source.structure_problems`, :func:`~.source.leaks`);
- :mod:`.submission`: a submission, before it runs (:func:`~.submission.inspect_submission`: is
  there a readable notebook; :func:`~.submission.structure_changes`: what the learner did to the
  locked cells; :func:`~.submission.tamper_reasons`: code that reaches into the checks);
- :mod:`.executed`: a submission after it ran (:func:`~.executed.cell_problems`).

Each returns plain-words problems, a list of strings (empty when all is well), for the release
summary or the grading report.
"""
