"""Writes of the reports app: the bureau's text per section, and the versions of the
report (request, claim, run, fail, check again).

Every function that changes content writes one audit entry: ``report.narrative.save``,
``report.request``, ``report.start`` (a worker claimed it), ``report.run`` (done),
``report.fail``, ``report.regenerate_check``. The progress of a running version (its
percentage and step) is written as it goes without an audit entry: it is a sign of life,
not content. A version never ends ``running``: every error is stored as ``failed`` with
its message; a worker that died during a run is noticed by :func:`report_fail_stale`.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from wijkbalans.accounts.audit import audit_record, snapshot

from . import build, permissions, render, selectors
from .errors import ConflictError, PermissionRefused, ReportError
from .models import LANGUAGES, ReportNarrative, ReportVersion, Section

logger = logging.getLogger(__name__)

Status = ReportVersion.Status
MAX_TEXT = 20_000
STALE_AFTER = dt.timedelta(hours=1)
_VERSION_AUDIT_EXCLUDE = ("figures", "narrative", "pdf", "settings", "software")


# -- the bureau's text ------------------------------------------------------------------

def narrative_save(*, acting_user, area_set, section: str, lang: str, text: str,
                   expected_version: int) -> ReportNarrative:
    """Save the text of one section in one language. ``expected_version`` is the version
    the editor read (0 when there was no text yet); when somebody saved in between,
    nothing is written and :class:`ConflictError` holds the text as it is now."""
    if not permissions.may_edit_narrative(acting_user):
        raise PermissionRefused(_("Only the programme bureau (programme staff or an "
                                  "administrator) edits the report's texts."))
    if section not in Section.values:
        raise ReportError(_("Unknown section %(found)s.") % {"found": repr(section)},
                          field="section")
    if lang not in dict(LANGUAGES):
        raise ReportError(_("The language is nl or en; found %(found)s.")
                          % {"found": repr(lang)}, field="lang")
    text = (text or "").replace("\r\n", "\n").strip()
    if len(text) > MAX_TEXT:
        raise ReportError(_("At most %(most)s characters; the text has %(found)s.")
                          % {"most": MAX_TEXT, "found": len(text)}, field="text")
    user = acting_user if getattr(acting_user, "pk", None) else None
    key = {"area_set": area_set, "section": section, "lang": lang}
    conflict = _("Somebody else saved this text after you opened it. Their text is shown; "
                 "your text is still in the form.")
    with transaction.atomic():
        row = ReportNarrative.objects.select_for_update().filter(**key).first()
        if row is None:
            if expected_version != 0:
                raise ConflictError(conflict, current={"text": "", "version": 0})
            try:
                with transaction.atomic():
                    row = ReportNarrative.objects.create(**key, text=text, updated_by=user)
            except IntegrityError:
                current = ReportNarrative.objects.get(**key)
                raise ConflictError(conflict, current=snapshot(current)) from None
            audit_record(acting_user=acting_user, action="report.narrative.save", obj=row,
                         before=None, after=snapshot(row))
            return row
        before = snapshot(row)
        if row.version != expected_version:
            raise ConflictError(conflict, current=before)
        if row.text == text:
            return row
        changed = ReportNarrative.objects.filter(pk=row.pk, version=expected_version).update(
            text=text, updated_by=user, updated_at=timezone.now(), version=F("version") + 1)
        if not changed:
            raise ConflictError(conflict, current=before)
        row.refresh_from_db()
        audit_record(acting_user=acting_user, action="report.narrative.save", obj=row,
                     before=before, after=snapshot(row))
    return row


# -- versions ---------------------------------------------------------------------------

def report_request(*, acting_user, area_set: str, period: str, lang: str = "nl", date=None,
                   base_period: str | None = None) -> ReportVersion:
    """Queue a version of the report; :class:`ReportError` names a wrong option and
    nothing is written. ``acting_user`` None is the system (a command run by no user)."""
    if acting_user is not None and not permissions.may_generate(acting_user):
        raise PermissionRefused(_("Generating a report needs the role administrator, "
                                  "programme staff or analyst."))
    checked = build.check_request(area_set=area_set, period=period, lang=lang, date=date,
                                  base_period=base_period)
    with transaction.atomic():
        version = ReportVersion.objects.create(
            area_set=checked.area_set, area_set_name=checked.area_set.name,
            period=checked.period, lang=checked.lang, settings=checked.settings,
            status=Status.QUEUED,
            created_by=acting_user if getattr(acting_user, "pk", None) else None)
        audit_record(acting_user=acting_user, action="report.request", obj=version,
                     after=snapshot(version, exclude=_VERSION_AUDIT_EXCLUDE))
    return version


def _claimed(pk: int, now) -> ReportVersion:
    audit_record(acting_user=None, action="report.start",
                 object_type="reports.reportversion", object_id=str(pk),
                 before={"status": Status.QUEUED},
                 after={"status": Status.RUNNING, "started_at": now})
    return ReportVersion.objects.get(pk=pk)


def report_claim(*, pk: int | None = None) -> ReportVersion | None:
    """Mark one queued version (``pk``, or the oldest) ``running`` and return it; None
    when there is none or another worker took it first (as ``evaluation_claim``: ``FOR
    UPDATE SKIP LOCKED`` on PostgreSQL, a conditional update on SQLite)."""
    now = timezone.now()
    if pk is None and connection.features.has_select_for_update_skip_locked:
        with transaction.atomic():
            row = (ReportVersion.objects.select_for_update(skip_locked=True)
                   .filter(status=Status.QUEUED).order_by("created_at", "id")
                   .values_list("id", flat=True).first())
            if row is None:
                return None
            ReportVersion.objects.filter(pk=row).update(status=Status.RUNNING,
                                                        started_at=now, progress=1)
            return _claimed(row, now)
    for _attempt in range(20):
        target = pk if pk is not None else selectors.version_next_queued_id()
        if target is None:
            return None
        with transaction.atomic():
            won = ReportVersion.objects.filter(pk=target, status=Status.QUEUED).update(
                status=Status.RUNNING, started_at=now, progress=1)
            if won:
                return _claimed(target, now)
        if pk is not None:
            return None
    return None


def _progress(pk: int):
    def tell(step: str, percent: int) -> None:
        ReportVersion.objects.filter(pk=pk, status=Status.RUNNING).update(
            step=step, progress=max(1, min(99, int(percent))))
    return tell


def _fail(version: ReportVersion, message: str) -> ReportVersion:
    with transaction.atomic():
        ReportVersion.objects.filter(pk=version.pk).update(
            status=Status.FAILED, error=message[:5000], finished_at=timezone.now())
        audit_record(acting_user=None, action="report.fail", obj=version,
                     before={"status": version.status},
                     after={"status": Status.FAILED, "error": message[:5000]})
    version.refresh_from_db()
    return version


def _texts(version: ReportVersion) -> dict:
    if version.area_set is None:
        return {}
    return selectors.narrative_texts(area_set=version.area_set, lang=version.lang)


def report_run(*, version: ReportVersion) -> ReportVersion:
    """Gather the figures, render the HTML and PDF and store them with the texts as used
    and the software versions; on any error store ``failed`` with the message."""
    if version.status == Status.QUEUED:
        claimed = report_claim(pk=version.pk)
        if claimed is None:
            raise ReportError(_("Another worker has taken this report."), field="status")
        version = claimed
    elif version.status != Status.RUNNING:
        raise ReportError(_("The report is %(status)s; only a queued report can run.")
                          % {"status": version.status}, field="status")
    tell = _progress(version.pk)
    try:
        if version.area_set is None:
            raise ReportError(_("The area set of this report no longer exists."))
        request = build.Request(area_set=version.area_set, period=version.period,
                                lang=version.lang, settings=version.settings)
        figures = build.gather(request, tell)
        texts = _texts(version)
        software = build.software()
        tell("render", 88)
        done = render.render(figures=figures, narrative=texts, settings=version.settings,
                             software=software, area_set_name=version.area_set_name,
                             period=version.period, lang=version.lang)
    except ReportError as exc:
        return _fail(version, exc.message)
    except Exception as exc:  # a report must never stay "running", whatever went wrong
        logger.exception("report version %s failed", version.pk)
        return _fail(version, f"unexpected error: {type(exc).__name__}: {exc}")
    with transaction.atomic():
        ReportVersion.objects.filter(pk=version.pk).update(
            status=Status.DONE, error="", finished_at=timezone.now(), figures=figures,
            narrative=texts, software=software, pdf=done.pdf, pdf_sha256=done.pdf_sha256,
            html_sha256=done.html_sha256, pages=done.pages, progress=100, step="done")
        audit_record(acting_user=None, action="report.run", obj=version,
                     before={"status": Status.RUNNING},
                     after={"status": Status.DONE, "pdf_sha256": done.pdf_sha256,
                            "html_sha256": done.html_sha256, "pages": done.pages,
                            "fingerprint": render.fingerprint(figures, texts,
                                                              version.settings)})
    version.refresh_from_db()
    return version


def report_fail_stale(*, older_than: dt.timedelta = STALE_AFTER) -> int:
    """Mark versions ``running`` for longer than ``older_than`` as failed (their worker
    stopped); returns how many."""
    cutoff = timezone.now() - older_than
    stale = list(ReportVersion.objects.filter(status=Status.RUNNING, started_at__lt=cutoff)
                 .only("id", "status", "area_set_name", "period", "lang"))
    for version in stale:
        _fail(version, _("The run stopped before it finished (the worker was stopped or the "
                         "machine restarted); generate the report again."))
    return len(stale)


def rendered(version: ReportVersion, *, pdf: bool = True) -> render.Rendered:
    """The stored version rendered again from its frozen content (no database read)."""
    return render.render(figures=version.figures, narrative=version.narrative or {},
                         settings=version.settings, software=version.software or {},
                         area_set_name=version.area_set_name, period=version.period,
                         lang=version.lang, pdf=pdf)


def report_regenerate_check(*, version: ReportVersion, acting_user=None) -> dict:
    """Render a finished version again from its frozen figures and texts and compare the
    HTML and the PDF with what was stored; one audit entry with the outcome."""
    if version.status != Status.DONE or version.figures is None:
        raise ReportError(_("The report is %(status)s; only a finished report can be "
                          "rendered again.") % {"status": version.status}, field="status")
    again = rendered(version)
    outcome = {"html_identical": again.html_sha256 == version.html_sha256,
               "pdf_identical": again.pdf_sha256 == version.pdf_sha256,
               "software_then": version.software, "software_now": build.software()}
    outcome["identical"] = outcome["html_identical"] and outcome["pdf_identical"]
    audit_record(acting_user=acting_user, action="report.regenerate_check", obj=version,
                 after=outcome)
    return outcome
