"""Blocking requests: confirmed indicators grouped by addressee into one draft request each (a bank
by its bank code, cards and e-wallets to the antifraud centre, sites to the Ministry of Culture and
Information, Telegram to the platform's representative), completed and sent with the office's
outgoing number, and answered item by item by the partner (or recorded from its spreadsheet by the
analyst): blocked with the amount frozen, refused, not found; a block later lifted or expired.

Every step is a dated BlockingEvent with its actor, and the indicator's own status follows its
latest item with an IndicatorEvent, so the registry and the summary read the same history.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Organisation, Region, User
from accounts.notifications import notify
from accounts.roles import Role
from accounts.zones import local_date, region_id_zone
from lib.i18n import lazy_format
from lib.money import parse_tenge
from lib.tables import parse_when
from supervision.numbering import next_outgoing_number

from .. import policy
from ..indicators import InvalidIndicator, Kind, normalize
from ..models import BlockingEvent, BlockingItem, BlockingRequest, Indicator, IndicatorEvent, Status

Item = BlockingItem.State
Request = BlockingRequest.State
# An item's answer as the indicator's status and event kind.
INDICATOR_STATUS = {
    Item.REQUESTED: Status.BLOCKING_REQUESTED,
    Item.BLOCKED: Status.BLOCKED,
    Item.REFUSED: Status.REFUSED,
    Item.NOT_FOUND: Status.NOT_FOUND,
    Item.UNBLOCKED: Status.UNBLOCKED,
    Item.BLOCK_EXPIRED: Status.BLOCK_EXPIRED,
}
LEGAL_BASIS_MAX = 4000
NOTE_MAX = BlockingItem._meta.get_field("note").max_length
ITEMS_MAX = 5000  # one request's items, so a letter's list stays a list an addressee can work through


# --- grouping ---------------------------------------------------------------------------------------


@dataclass
class LeftOut:
    indicator: Indicator
    reason: str


@dataclass
class Grouping:
    by_addressee: dict = field(default_factory=dict)  # Organisation -> [Indicator]
    left_out: list[LeftOut] = field(default_factory=list)


def _platform_for_telegram() -> Organisation | None:
    """Telegram's representative: the reference's platform named Telegram (never guessed)."""
    platforms = Organisation.objects.filter(type=Organisation.Type.PLATFORM)
    return platforms.filter(Q(name_en__iexact="Telegram") | Q(name_ru__iexact="Telegram")).first()


def addressees() -> dict:
    """Each kind's addressee in the reference, or None where the reference has none (a kind is
    then left out with the reason: no value is invented)."""
    found = {
        kind: Organisation.objects.filter(type=organisation_type).order_by("code").first()
        for kind, organisation_type in policy.ADDRESSEE_TYPES.items()
    }
    found[Kind.TELEGRAM] = _platform_for_telegram()
    return found


def blocking_group(indicators) -> Grouping:
    """The indicators by addressee, and those left out with the reason: not confirmed, already in
    an open request, a kind nobody is asked to block, or no addressee in the reference."""
    grouping = Grouping()
    by_kind = addressees()
    indicators = list(indicators)
    open_ids = set(
        BlockingItem.objects.filter(indicator__in=indicators, status=Item.REQUESTED).values_list(
            "indicator_id", flat=True
        )
    )
    for indicator in indicators:
        if indicator.status not in policy.REQUESTABLE:
            reason = _("Not confirmed, or its blocking is in force or awaited (%(status)s).") % {
                "status": indicator.get_status_display()
            }
        elif indicator.pk in open_ids:
            reason = _("Already in an open blocking request.")
        elif indicator.kind == Kind.IBAN:
            addressee = indicator.bank if indicator.bank_id else None
            reason = "" if addressee is not None else _("Its bank is not a partner in the reference: no addressee.")
        elif indicator.kind in policy.ADDRESSEE_TYPES:
            addressee = by_kind.get(indicator.kind)
            reason = "" if addressee is not None else _("The reference has no addressee for this kind.")
        else:
            reason = _("Phones, messenger handles and crypto wallets have no addressee to block them.")
        if reason:
            grouping.left_out.append(LeftOut(indicator, reason))
        else:
            grouping.by_addressee.setdefault(addressee, []).append(indicator)
    return grouping


def _event(request, kind: str, actor, now, *, item=None, day: date | None = None, **data) -> BlockingEvent:
    return BlockingEvent.objects.create(
        request=request,
        item=item,
        kind=kind,
        at=now,
        actor=actor,
        day=day or local_date(now, region_id_zone(request.region_id)),
        data=data,
    )


def _require_requester(actor) -> None:
    if not policy.may_request_blocking(actor):
        raise PermissionDenied(_("Only the regional analyst and region-wide prosecutors request blocking."))


def blocking_requests_draft(*, actor, indicators, language: str = BlockingRequest.Language.RUSSIAN) -> Grouping:
    """The selected indicators of the actor's scope grouped by addressee, each group added to the
    addressee's draft request of the region (one draft per addressee, made when there is none).
    Returns the grouping, with what was left out and why."""
    _require_requester(actor)
    if language not in BlockingRequest.Language.values:
        raise ValidationError({"language": _("The letter is written in Kazakh or Russian.")})
    visible = policy.visible_indicators(actor, Indicator.objects.all())
    now = timezone.now()
    region_id, office = actor.organisation.region_id, actor.organisation
    with transaction.atomic():
        # One drafter a region at a time: two analysts never make two drafts for one addressee.
        Region.objects.select_for_update().filter(pk=region_id).first()
        chosen = visible.filter(pk__in=[indicator.pk for indicator in indicators]).select_for_update(of=("self",))
        grouping = blocking_group(chosen.select_related("bank"))
        for addressee, members in grouping.by_addressee.items():
            draft = BlockingRequest.objects.filter(region_id=region_id, addressee=addressee, status=Request.DRAFT)
            # Locked: a draft being sent meanwhile is numbered first, and a new draft is made here.
            request = draft.select_for_update().order_by("id").first()
            if request is None:
                request = BlockingRequest.objects.create(
                    region_id=region_id,
                    addressee=addressee,
                    office=office,
                    language=language,
                    legal_basis=settings.REGISTRY_BLOCKING_LEGAL_BASIS,
                    created_by=actor,
                    created_at=now,
                )
            if request.items.count() + len(members) > ITEMS_MAX:
                raise ValidationError(
                    _("A request holds at most %(limit)d items: send the draft to %(addressee)s first.")
                    % {"limit": ITEMS_MAX, "addressee": addressee.name}
                )
            items = BlockingItem.objects.bulk_create(
                BlockingItem(request=request, indicator=indicator) for indicator in members
            )
            _event(request, BlockingEvent.Kind.DRAFTED, actor, now, indicators=[item.indicator_id for item in items])
    return grouping


def blocking_request_change(*, actor, request: BlockingRequest, legal_basis: str, language: str) -> BlockingRequest:
    """A draft's legal basis and language, before it is sent."""
    if not policy.may_manage_request(actor, request):
        raise PermissionDenied
    errors = {}
    legal_basis = (legal_basis or "").strip()
    if len(legal_basis) > LEGAL_BASIS_MAX:
        errors["legal_basis"] = _("At most %(limit)d characters.") % {"limit": LEGAL_BASIS_MAX}
    if language not in BlockingRequest.Language.values:
        errors["language"] = _("The letter is written in Kazakh or Russian.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = BlockingRequest.objects.select_for_update().get(pk=request.pk)
        if locked.status != Request.DRAFT:
            raise ValidationError(_("The request is sent: it can no longer be changed."))
        locked.legal_basis, locked.language = legal_basis, language
        locked.save(update_fields=["legal_basis", "language"])
    request.legal_basis, request.language = legal_basis, language
    return request


def blocking_item_remove(*, actor, item: BlockingItem) -> None:
    """An item left out of a draft (the indicator may be requested again later)."""
    if not policy.may_manage_request(actor, item.request):
        raise PermissionDenied
    with transaction.atomic():
        request = BlockingRequest.objects.select_for_update().get(pk=item.request_id)
        if request.status != Request.DRAFT:
            raise ValidationError(_("The request is sent: its items can no longer be changed."))
        _event(request, BlockingEvent.Kind.REMOVED, actor, timezone.now(), indicator=item.indicator_id)
        BlockingItem.objects.filter(pk=item.pk).delete()


def blocking_request_send(*, actor, request: BlockingRequest) -> BlockingRequest:
    """Send a draft: it takes the next outgoing number of the sending office's register (the one
    its acts' letters take) and the date; its indicators become "blocking requested". Refused,
    before any number is taken, without a legal basis or without items."""
    if not policy.may_manage_request(actor, request):
        raise PermissionDenied
    with transaction.atomic():
        locked = BlockingRequest.objects.select_for_update().select_related("office").get(pk=request.pk)
        if locked.status != Request.DRAFT:
            raise ValidationError(_("The request is already sent."))
        problems = []
        if not locked.legal_basis.strip():
            problems.append(_("Write the legal basis of the request."))
        items = list(locked.items.select_related("indicator"))
        if not items:
            problems.append(_("The request has no items."))
        if problems:
            raise ValidationError(problems)
        now = timezone.now()
        zone = region_id_zone(locked.region_id)
        locked.outgoing_number = next_outgoing_number(locked.office, local_date(now, zone).year)
        locked.sent_at, locked.status = now, Request.SENT
        locked.save(update_fields=["outgoing_number", "sent_at", "status"])
        _event(locked, BlockingEvent.Kind.SENT, actor, now, number=locked.outgoing_number, items=len(items))
        _indicators_follow(items, Item.REQUESTED, actor, now)
        _partners_told(locked, len(items))
    request.outgoing_number, request.sent_at, request.status = locked.outgoing_number, now, Request.SENT
    return request


def _partners_told(request: BlockingRequest, items: int) -> None:
    """The addressee's partner users told that a request waits for their answer, each in their own
    language, with a link to it; once (the key)."""
    partners = User.objects.filter(organisation_id=request.addressee_id, role=Role.PARTNER)
    subject = lazy_format(
        gettext_lazy("Blocking request %(number)s from the prosecutor's office: %(items)s items to answer"),
        {"number": request.outgoing_number, "items": items},
    )
    url = reverse("registry:request", args=[request.pk])
    notify(users=partners, subject=subject, url=url, key=f"blocking-request-sent:{request.pk}")


def _indicators_follow(items, state: str, actor, now) -> None:
    """The items' indicators take the status of their item, each with its event."""
    status = INDICATOR_STATUS[state]
    ids = [item.indicator_id for item in items]
    Indicator.objects.filter(pk__in=ids).update(status=status, expires_at=None)
    IndicatorEvent.objects.bulk_create(
        IndicatorEvent(indicator_id=pk, kind=status, status=status, at=now, actor=actor, data={"blocking": True})
        for pk in ids
    )


# --- answers ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    """A partner's answer about one item: its new state, the day of it (default: today), the amount
    frozen for a block (tenge), a note."""

    item_id: int
    state: str
    day: date | None = None
    amount: Decimal | None = None
    note: str = ""


def parse_amount(raw) -> Decimal | None:
    """An amount as a partner writes it (lib.money.parse_tenge: "1 250 000,50", "1,250,000.50",
    1250000.5, "1250000 ₸"), or None when empty. ValueError when it is not an amount of tenge."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    return parse_tenge(raw)


def _check(answer: Answer, item: BlockingItem, today: date, sent_day: date) -> list[str]:
    allowed = policy.ANSWERS.get(item.status, frozenset())
    problems = []
    if answer.state not in allowed:
        problems.append(
            _("%(from)s cannot become %(to)s.")
            % {
                "from": item.get_status_display(),
                "to": Item(answer.state).label if answer.state in Item.values else "?",
            }
        )
    day = answer.day or today
    if day > today or day < sent_day:
        problems.append(_("The date must lie between the request's date and today."))
    elif item.answered_on is not None and day < item.answered_on:  # a block lifted before it was made
        problems.append(_("The date cannot be earlier than the block's date."))
    if answer.state == Item.BLOCKED and answer.amount is None:
        problems.append(_("Give the amount frozen at blocking (0 when none)."))
    if answer.state != Item.BLOCKED and answer.amount is not None:
        problems.append(_("An amount is given for a block only."))
    if len(answer.note) > NOTE_MAX:
        problems.append(_("At most %(limit)d characters.") % {"limit": NOTE_MAX})
    return problems


def blocking_items_answer(*, actor, request: BlockingRequest, answers: list[Answer]) -> int:
    """Record the answers about items of one sent request, all or none: a partner of the addressee
    answers its own request's items only (another's: PermissionDenied); a requester records an
    answer the addressee sent. A problem with any answer refuses them all, each problem named by
    its item. The count recorded."""
    if not policy.may_answer(actor, request):
        raise PermissionDenied(_("This request is not addressed to your organisation."))
    if not answers:
        return 0
    now = timezone.now()
    zone = region_id_zone(request.region_id)
    today = local_date(now, zone)
    with transaction.atomic():
        locked = BlockingRequest.objects.select_for_update().get(pk=request.pk)
        wanted = {answer.item_id for answer in answers}
        items = {item.pk: item for item in BlockingItem.objects.select_for_update().filter(pk__in=wanted)}
        if len(items) != len(wanted) or any(item.request_id != locked.pk for item in items.values()):
            raise PermissionDenied(_("These items are not all of this request."))
        if len(wanted) != len(answers):
            raise ValidationError(_("An item is answered twice."))
        errors = {}
        sent_day = local_date(locked.sent_at, zone)
        for answer in answers:
            problems = _check(answer, items[answer.item_id], today, sent_day)
            if problems:
                errors[str(answer.item_id)] = problems
        if errors:
            raise ValidationError(errors)
        for answer in answers:
            _answer(locked, items[answer.item_id], answer, actor, now, today)
        remaining = locked.items.filter(status=Item.REQUESTED).exists()
        status = Request.PARTLY_ANSWERED if remaining else Request.ANSWERED
        if status != locked.status:
            locked.status, locked.answered_at = status, None if remaining else now
            locked.save(update_fields=["status", "answered_at"])
    request.status, request.answered_at = locked.status, locked.answered_at
    return len(answers)


def _answer(request, item: BlockingItem, answer: Answer, actor, now, today: date) -> None:
    day = answer.day or today
    first = item.status == Item.REQUESTED
    item.status = answer.state
    if first:
        item.answered_at, item.answered_by, item.answered_on = now, actor, day
        item.amount = answer.amount
    else:
        item.ended_on = day
    if answer.note:
        item.note = answer.note
    item.save(update_fields=["status", "answered_at", "answered_by", "answered_on", "amount", "ended_on", "note"])
    answer_days = (day - local_date(request.sent_at, region_id_zone(request.region_id))).days if first else None
    event = _event(request, answer.state, actor, now, item=item, day=day, indicator=item.indicator_id)
    if answer.amount is not None or answer_days is not None:
        event.amount, event.answer_days = answer.amount, answer_days
        event.save(update_fields=["amount", "answer_days"])
    # The indicator follows its latest request: an older item's answer does not undo a newer one.
    newer = BlockingItem.objects.filter(indicator_id=item.indicator_id, pk__gt=item.pk).exists()
    if not newer:
        _indicators_follow([item], answer.state, actor, now)


# --- the partner's spreadsheet ----------------------------------------------------------------------


@dataclass
class Imported:
    answers: list[Answer] = field(default_factory=list)


def _state_words() -> dict:
    """An answer as a partner may write it in the status column: its code, or its label in any of
    the letter's languages or English."""
    words = {}
    for language in ("en", "kk", "ru"):
        with translation.override(language):
            for value, label in Item.choices:
                if value != Item.REQUESTED:
                    words[str(label).strip().lower()] = value
                    words[value] = value
    return words


def _day(raw) -> date | None:
    """A date of the partner's list: a spreadsheet's date, or one written as the notices' dates are
    (lib.tables.parse_when); ValueError when it is none."""
    if raw in (None, ""):
        return None
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    return parse_when(str(raw)).date()


def blocking_answer_read(*, request: BlockingRequest, rows) -> Imported:
    """The answers a partner's filled list gives (rows of cells as registry.documents.list_xlsx wrote
    them: number, kind, value, status, amount, date, note), each row matched to its item by the
    value's normal form. A row whose value is not of this request, whose status or amount cannot be
    read, is refused with its row number: nothing is recorded then (ValidationError)."""
    by_hash = {}
    for item in request.items.select_related("indicator"):
        by_hash[(item.indicator.kind, item.indicator.value_hash)] = item
    kinds = {}
    for value, label in Kind.choices:
        kinds[value] = value
        kinds[str(label).lower()] = value
    words = _state_words()
    imported, errors, seen = Imported(), [], set()
    for number, row in rows:
        cells = [*list(row), *[None] * 7][:7]
        _n, kind_cell, value_cell, state_cell, amount_cell, day_cell, note_cell = cells
        value = str(value_cell or "").strip().lstrip("'")
        if not value:
            continue
        state = words.get(str(state_cell or "").strip().lower(), "") if state_cell not in (None, "") else None
        if state is None:  # not answered yet: left as it is
            continue
        if not state:
            errors.append(
                _("Row %(row)d: the status “%(status)s” is not an answer.") % {"row": number, "status": state_cell}
            )
            continue
        item = _match(value, str(kind_cell or "").strip().lower(), kinds, by_hash)
        if item is None:
            errors.append(
                _("Row %(row)d: “%(value)s” is not an item of this request.") % {"row": number, "value": value[:60]}
            )
            continue
        if item.pk in seen:
            errors.append(_("Row %(row)d: the item is answered twice.") % {"row": number})
            continue
        seen.add(item.pk)
        try:
            amount = parse_amount(amount_cell)
        except ValueError:
            errors.append(
                _("Row %(row)d: the amount “%(amount)s” is not a sum of tenge.")
                % {"row": number, "amount": amount_cell}
            )
            continue
        try:
            day = _day(day_cell)
        except ValueError:
            errors.append(
                _("Row %(row)d: the date “%(day)s” is not a date (dd.mm.yyyy).") % {"row": number, "day": day_cell}
            )
            continue
        if item.status == state:
            continue  # the list sent back again with an answer already recorded
        note = str(note_cell or "").strip()[:NOTE_MAX]
        imported.answers.append(Answer(item_id=item.pk, state=state, day=day, amount=amount, note=note))
    if errors:
        raise ValidationError(errors)
    return imported


def _match(value: str, kind_cell: str, kinds: dict, by_hash: dict) -> BlockingItem | None:
    candidates = [kinds[kind_cell]] if kind_cell in kinds else list({kind for kind, _hash in by_hash})
    for kind in candidates:
        try:
            found = normalize(kind, value)
        except InvalidIndicator:
            continue
        for value_hash in found.hashes:
            if (kind, value_hash) in by_hash:
                return by_hash[(kind, value_hash)]
    return None


def blocking_answer_import(*, actor, request: BlockingRequest, rows) -> int:
    """The partner's filled list recorded by a requester: read, then recorded all or none."""
    if not policy.may_manage_request(actor, request) or request.status == Request.DRAFT:
        raise PermissionDenied
    imported = blocking_answer_read(request=request, rows=rows)
    return blocking_items_answer(actor=actor, request=request, answers=imported.answers)
