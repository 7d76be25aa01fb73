"""Pages under /rapportage/: the versions per area set, the form that queues a new one,
its progress page (it refreshes itself, a meta refresh and no script, until the worker
has finished), the downloads, the check that a version renders again identically, and
the bureau's texts per section.

Members of the Local Alliance read everything here; generating needs the role
administrator, programme staff or analyst; editing the texts programme staff or an
administrator (see :mod:`.permissions`). The services check again and audit.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wijkbalans.areas import selectors as area_selectors

from . import permissions, selectors, services
from .errors import ConflictError, PermissionRefused, ReportError
from .forms import NarrativeForm, ReportForm
from .models import LANGUAGES, ReportVersion, Section

REFRESH_SECONDS = 3
STEPS = {
    "headline": lambda: _("targets and headline figures"),
    "stacking": lambda: _("stacking of problems"),
    "programmes": lambda: _("programmes and money"),
    "touchstone": lambda: _("plans tested against the touchstone"),
    "evaluations": lambda: _("effect evaluations"),
    "concerns": lambda: _("early concerns"),
    "participation": lambda: _("resident participation"),
    "appendix": lambda: _("sources"),
    "summary": lambda: _("summary"),
    "render": lambda: _("layout of the PDF"),
    "done": lambda: _("done"),
}


def _reader_or_403(user) -> None:
    if not permissions.may_read(user):
        raise PermissionDenied(_("Only members of the Local Alliance read the reports."))


def _version_or_404(pk: int, *, full: bool = False) -> ReportVersion:
    version = selectors.version_get(pk=pk, full=full)
    if version is None:
        raise Http404(_("No report %(id)s") % {"id": pk})
    return version


def _area_set_or_404(slug: str):
    area_set = area_selectors.area_set_get(slug=slug)
    if area_set is None:
        raise Http404(_("No area set %(slug)s") % {"slug": slug})
    return area_set


@login_required
def version_list(request):
    _reader_or_403(request.user)
    groups: dict[str, dict] = {}
    for version in selectors.version_list()[:500]:
        key = version.area_set.slug if version.area_set else ""
        group = groups.setdefault(key, {"name": version.area_set_name, "slug": key,
                                        "versions": []})
        group["versions"].append(version)
    return render(request, "reports/list.html", {
        "groups": list(groups.values()),
        "area_sets": list(area_selectors.area_set_list()),
        "may_generate": permissions.may_generate(request.user),
    })


@login_required
def version_new(request):
    if not permissions.may_generate(request.user):
        raise PermissionDenied(_("Generating a report needs the role administrator, "
                                 "programme staff or analyst."))
    form = ReportForm(request.POST or None, initial={"area_set": request.GET.get("gebied")})
    if request.method == "POST" and form.is_valid():
        try:
            version = services.report_request(acting_user=request.user,
                                              **form.service_arguments())
        except PermissionRefused as error:
            raise PermissionDenied(error.message) from error
        except ReportError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("The report is queued; this page shows its progress "
                                        "and the download when it is ready."))
            return redirect("reports:detail", pk=version.pk)
    return render(request, "reports/form.html", {"form": form},
                  status=400 if form.errors else 200)


@login_required
def version_detail(request, pk: int):
    _reader_or_403(request.user)
    version = _version_or_404(pk)
    step = STEPS.get(version.step, lambda: version.step)() if version.step else ""
    return render(request, "reports/detail.html", {
        "version": version, "refresh": REFRESH_SECONDS, "step": step,
        "may_generate": permissions.may_generate(request.user),
    })


def _filename(version: ReportVersion, extension: str) -> str:
    slug = version.area_set.slug if version.area_set else "rapport"
    return f"voortgangsrapportage-{slug}-{version.period}-{version.lang}.{extension}"


@login_required
def version_pdf(request, pk: int):
    _reader_or_403(request.user)
    version = _version_or_404(pk, full=True)
    if version.status != ReportVersion.Status.DONE or not version.pdf:
        raise Http404(_("Report %(id)s is not ready") % {"id": pk})
    response = HttpResponse(bytes(version.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_filename(version, "pdf")}"'
    response["Cache-Control"] = "private, no-cache"
    return response


@login_required
def version_html(request, pk: int):
    _reader_or_403(request.user)
    version = _version_or_404(pk, full=True)
    if version.status != ReportVersion.Status.DONE:
        raise Http404(_("Report %(id)s is not ready") % {"id": pk})
    response = HttpResponse(services.rendered(version, pdf=False).html,
                            content_type="text/html; charset=utf-8")
    response["Cache-Control"] = "private, no-cache"
    return response


@login_required
@require_POST
def version_check(request, pk: int):
    if not permissions.may_generate(request.user):
        raise PermissionDenied(_("Checking a report needs the role administrator, programme "
                                 "staff or analyst."))
    version = _version_or_404(pk, full=True)
    try:
        outcome = services.report_regenerate_check(version=version, acting_user=request.user)
    except ReportError as error:
        messages.error(request, error.message)
        return redirect("reports:detail", pk=pk)
    if outcome["identical"]:
        messages.success(request, _("Rendered again from the stored figures and texts: the "
                                    "HTML and the PDF are identical."))
    else:
        messages.error(request, _("Rendered again from the stored figures and texts: the "
                                  "result differs (HTML identical: %(html)s; PDF identical: "
                                  "%(pdf)s).") % {"html": _("yes") if outcome["html_identical"]
                                                  else _("no"),
                                                  "pdf": _("yes") if outcome["pdf_identical"]
                                                  else _("no")})
    return redirect("reports:detail", pk=pk)


def _lang(request) -> str:
    lang = request.GET.get("taal", "nl")
    return lang if lang in dict(LANGUAGES) else "nl"


@login_required
def narrative_list(request, slug: str):
    _reader_or_403(request.user)
    area_set = _area_set_or_404(slug)
    lang = _lang(request)
    rows = selectors.narrative_rows(area_set=area_set, lang=lang)
    return render(request, "reports/texts.html", {
        "area_set": area_set, "lang": lang, "languages": LANGUAGES,
        "rows": [{"key": key, "label": Section(key).label, "row": row}
                 for key, row in rows.items()],
        "may_edit": permissions.may_edit_narrative(request.user),
    })


@login_required
def narrative_edit(request, slug: str, section: str, lang: str):
    if not permissions.may_edit_narrative(request.user):
        raise PermissionDenied(_("Only the programme bureau (programme staff or an "
                                 "administrator) edits the report's texts."))
    area_set = _area_set_or_404(slug)
    if section not in Section.values or lang not in dict(LANGUAGES):
        raise Http404(_("No such section or language"))
    row = selectors.narrative_get(area_set=area_set, section=section, lang=lang)
    initial = {"text": row.text if row else "", "version": row.version if row else 0}
    form = NarrativeForm(request.POST or None, initial=initial)
    context = {"area_set": area_set, "section": Section(section), "lang": lang,
               "language": dict(LANGUAGES)[lang], "form": form, "row": row}
    if request.method == "POST" and form.is_valid():
        try:
            services.narrative_save(acting_user=request.user, area_set=area_set,
                                    section=section, lang=lang,
                                    text=form.cleaned_data["text"],
                                    expected_version=form.cleaned_data["version"])
        except PermissionRefused as error:
            raise PermissionDenied(error.message) from error
        except ConflictError as error:
            data = form.data.copy()
            data["version"] = str(error.current.get("version", 0))
            form.data = data
            context["conflict"] = {"message": error.message,
                                   "text": error.current.get("text", "")}
            return render(request, "reports/text_form.html", context, status=409)
        except ReportError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("The text is saved; the next report uses it."))
            return redirect(reverse("reports:texts", args=[slug]) + f"?taal={lang}")
    return render(request, "reports/text_form.html", context,
                  status=400 if form.errors else 200)
