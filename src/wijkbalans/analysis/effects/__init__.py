"""Did it really help this neighbourhood? Effect estimates for area programmes.

Arrays and data frames in, dataclasses with ``to_dict()`` out; no Django. The methods,
their sources and the verdict rules are in docs/methods/effects.md. Import from the
modules (``from wijkbalans.analysis.effects.sdid import sdid``): this package does not
re-export, so that ``effects.sdid`` always means the module.

* :func:`sdid` - synthetic difference-in-differences with placebo variance (default for
  1 to 20 treated areas), ``sdid.py``.
* :func:`synth` - synthetic control, outcome path or with predictors, in-space placebos and
  leave-one-out, ``synth.py``.
* :func:`did` and :func:`callaway_santanna` - difference-in-differences with an event
  study, and group-time effects for staggered starts, ``did.py``.
* :func:`wide_panel`, :func:`donor_pool`, :func:`verdict` - the panel, who may serve as
  comparison, and what can be concluded.
* ``cli.main(argv)`` - ``wijkbalans evaluate``.
"""
