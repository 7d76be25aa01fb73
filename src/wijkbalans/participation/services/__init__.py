"""Writes of resident participation: one function per write, keyword-only arguments with
``acting_user`` first, one transaction, one audit entry (``accounts.audit.audit_record``).

- ``identity``: registering residents, verifying their e-mail, their postcode;
- ``consultations``, ``comments``, ``proposals``: what residents say;
- ``budgets``, ``ballots``: neighbourhood budget rounds, voting, closing a round;
- ``moderation``: hiding and showing, flags, the review queue;
- ``outcomes``: "you said, we did".

A refused write raises :class:`~wijkbalans.participation.errors.ParticipationError` (or
its subclasses) naming the field, and writes nothing. The audit log holds ids only of
residents: never an e-mail address, postcode or what they wrote.
"""
