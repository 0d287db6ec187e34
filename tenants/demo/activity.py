"""Generated activity for the demo partners: members and their activities, clients,
estimates, invoices over several years with payments (some late, some partial), credit
notes, expenses, guarantee-fund advances.

Every write goes through the apps' services, so the demo obeys the same rules as real use
(numbering, VAT, fees, the ledger). Each partner's history starts in the month it was
founded (or ``years`` before the day the command runs, if that is later) and ends on that
day (that, and only that, depends on today), so that curves aligned on a partner's year of
life have a shape: members join over the whole history, more of them as the cooperative
grows, and some leave. A partner that already has members is left alone, so rerunning
changes nothing.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.utils import timezone

from common.accounts.models import User
from tenants.demo.federation import DEMO_PASSWORD

# How often seeding a partner says how far its invoices are.
INVOICES_PER_PROGRESS_LINE = 100

# The oldest history generated when a partner was founded longer ago than this.
MAX_YEARS = 10
# Share of members who leave (become inactive) some time after joining.
LEAVING_SHARE = 0.15

# Members per partner: the reference partners are the largest.
MEMBER_COUNTS = {
    "be": 24,
    "fr": 20,
    "de": 16,
    "it": 10,
    "es": 10,
    "at": 7,
    "se": 8,
    "philadelphia": 4,
    "chile": 3,
}

FIRST_NAMES = {
    "BE": ["Lotte", "Maxime", "Sofie", "Arnaud", "Emma", "Thomas", "Fatima", "Wout"],
    "FR": ["Camille", "Léa", "Hugo", "Inès", "Julien", "Manon", "Yanis", "Chloé"],
    "DE": ["Lena", "Jonas", "Aylin", "Felix", "Mia", "Lukas", "Hannah", "Emre"],
    "IT": ["Giulia", "Marco", "Chiara", "Luca", "Sara", "Matteo"],
    "ES": ["Lucía", "Pablo", "Carmen", "Javier", "Marta", "Diego"],
    "AT": ["Anna", "Florian", "Katharina", "Stefan", "Lea"],
    "SE": ["Elsa", "Oskar", "Maja", "Erik", "Astrid", "Nils"],
    "US": ["Jordan", "Maria", "Devon", "Aisha"],
    "CL": ["Valentina", "Matías", "Catalina"],
}
LAST_NAMES = {
    "BE": ["Peeters", "Dubois", "Janssens", "Lambert", "Maes", "Lejeune"],
    "FR": ["Martin", "Bernard", "Petit", "Durand", "Moreau", "Lefèvre"],
    "DE": ["Müller", "Schmidt", "Yılmaz", "Weber", "Becker", "Hoffmann"],
    "IT": ["Rossi", "Russo", "Ferrari", "Esposito", "Bianchi"],
    "ES": ["García", "Fernández", "López", "Martínez", "Sánchez"],
    "AT": ["Gruber", "Huber", "Bauer", "Wagner", "Pichler"],
    "SE": ["Andersson", "Johansson", "Karlsson", "Nilsson", "Lindqvist"],
    "US": ["Johnson", "Rivera", "Nguyen", "Washington"],
    "CL": ["González", "Muñoz", "Rojas"],
}
# (activity name, NACE Rev. 2 class, typical day rate in EUR-equivalent)
TRADES = [
    ("Training and workshops", "85.59", Decimal("650")),
    ("Software development", "62.01", Decimal("520")),
    ("Graphic design", "74.10", Decimal("380")),
    ("Live performance", "90.01", Decimal("300")),
    ("Translation", "74.30", Decimal("280")),
    ("Photography", "74.20", Decimal("350")),
    ("Consulting", "70.22", Decimal("600")),
    ("Home care", "88.10", Decimal("220")),
    ("Bicycle delivery", "53.20", Decimal("140")),
]
CLIENT_NAMES = [
    "Atelier Nord",
    "Kulturhaus",
    "City Library",
    "Open Data Lab",
    "Festival Bureau",
    "Green Works",
    "Museum of Design",
    "Community Radio",
    "Theatre Company",
    "School Board",
]
# Rough rates to price work in each partner's currency from EUR day rates.
EUR_RATE = {
    "EUR": Decimal("1"),
    "SEK": Decimal("11.3"),
    "USD": Decimal("1.08"),
    "CLP": Decimal("1010"),
}


def _partner_months(partner, years: int | None, today: dt.date) -> list[dt.date]:
    """The first days of the months of ``partner``'s history, oldest first: from its
    founding month, or ``years`` (default ``MAX_YEARS``) before ``today`` if later."""
    years = MAX_YEARS if years is None else years
    start = dt.date(today.year - years, today.month, 1)
    if partner.founded_on and partner.founded_on > start:
        start = partner.founded_on.replace(day=1)
    months = []
    month = start
    while month <= today:
        months.append(month)
        month = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return months


def _day_in(month: dt.date, rng: random.Random, today: dt.date) -> dt.date:
    day = month.replace(day=rng.randint(1, 28))
    return min(day, today)


def seed_activity(partners, *, years: int | None, seed: int, out) -> None:
    """Generate the history of each partner that has no member yet: since its founding,
    or the last ``years`` only (``None``: at most ``MAX_YEARS``)."""
    today = timezone.localdate()
    # Demo data only: do not wait for the disk on each of thousands of small commits.
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO off")
    for partner in partners:
        connection.set_tenant(partner)
        try:
            from tenants.members.models import Member

            if Member.objects.exists():
                out.write(f"  {partner.slug}: activity already present, left alone\n")
                continue
            rng = random.Random(f"{seed}-{partner.slug}")
            months = _partner_months(partner, years, today)
            out.write(
                f"  {partner.slug}: generating activity from {months[0]:%Y-%m} "
                f"({len(months)} months)...\n"
            )
            out.flush()
            started = time.monotonic()
            counts = _seed_partner(partner, rng=rng, years=years, today=today, out=out)
            out.write(
                f"  {partner.slug}: {counts['members']} members, {counts['invoices']} invoices, "
                f"{counts['payments']} payments, {counts['expenses']} expenses, "
                f"{counts['advances']} fund advances, {counts['services']} local services, "
                f"{counts['subscriptions']} subscriptions "
                f"({time.monotonic() - started:.1f}s)\n"
            )
            out.flush()
        finally:
            connection.set_schema_to_public()


def _seed_partner(partner, *, rng: random.Random, years: int, today: dt.date, out) -> dict:
    """Seed one partner's history; print to ``out`` how far the invoices are (they take
    most of the time)."""
    from common.accounts.services import user_create
    from tenants.invoicing.services import client_create

    admin = User.objects.get(username=f"{partner.slug}-admin")
    accountant = User.objects.get(username=f"{partner.slug}-accountant")
    rate = EUR_RATE.get(partner.currency, Decimal("1"))
    counts = dict.fromkeys(["members", "invoices", "payments", "expenses", "advances"], 0)

    with transaction.atomic():
        clients = [
            client_create(
                name=name,
                country=partner.country,
                created_by=admin,
                kind="company",
                email=f"billing@{name.lower().replace(' ', '-')}.example",
            )
            for name in rng.sample(CLIENT_NAMES, 6)
        ]
    months = _partner_months(partner, years, today)
    activities = []
    for index in range(MEMBER_COUNTS.get(partner.slug, 5)):
        with transaction.atomic():
            member, activity, joined, left = _seed_member(
                partner, index, rng, admin, months[0], today
            )
            if index == 0:
                # The demo member login: the first member of each partner.
                user = user_create(
                    username=f"{partner.slug}-member",
                    role="member",
                    password=DEMO_PASSWORD,
                    check_password=False,
                    first_name=member.first_name,
                    last_name=member.last_name,
                )
                from tenants.members.services import member_user_link

                member_user_link(member=member, user=user, actor=admin)
        activities.append((activity, joined, left))
        counts["members"] += 1

    # Invoice numbers follow issue dates: plan the whole history, then issue it in order.
    plans = []
    for activity, joined, left in activities:
        trade_rate = next(t[2] for t in TRADES if t[0] == activity.name) * rate
        for month in months:
            if month < joined.replace(day=1) or rng.random() > 0.45:
                continue
            day = max(_day_in(month, rng, today), joined)
            if left is not None and day >= left:
                break
            plans.append((day, activity.pk, activity, trade_rate))
    plans.sort(key=lambda plan: (plan[0], plan[1]))
    started = time.monotonic()
    out.write(f"  {partner.slug}: {counts['members']} members; issuing {len(plans)} invoices\n")
    out.flush()
    for issue_date, _pk, activity, trade_rate in plans:
        issued = _seed_invoice(activity, rng.choice(clients), issue_date, trade_rate, rng, admin)
        counts["invoices"] += 1
        if counts["invoices"] % INVOICES_PER_PROGRESS_LINE == 0:
            out.write(
                f"  {partner.slug}: {counts['invoices']}/{len(plans)} invoices "
                f"({time.monotonic() - started:.1f}s)\n"
            )
            out.flush()
        counts["payments"] += _seed_payments(issued, rng, accountant, today)
        if rng.random() < 0.12:
            counts["expenses"] += _seed_expense(activity, issue_date, rng, admin, accountant)
    _seed_leavers(activities, admin)
    counts["advances"] = _seed_fund_advances(rng, accountant, today)
    from tenants.demo.catalogue import seed_catalogue

    # Subscriptions start in the last half year, so that billing history stays short.
    since = max(months[0], (today - dt.timedelta(days=180)).replace(day=1))
    counts.update(
        seed_catalogue(
            partner,
            activities=[a for a, _joined, left in activities if left is None],
            today=today,
            since=since,
        )
    )
    return counts


def _seed_member(partner, index, rng, admin, first_month, today):
    """Create one member and their activity; returns ``(member, activity, joined, left)``,
    ``left`` the day they will leave (recorded by the caller), None for a member still
    active today. The first member (the demo login) joins in the first months and stays;
    the second joins early and leaves."""
    from tenants.members.services import activity_create, member_create, member_status_change

    first = rng.choice(FIRST_NAMES.get(partner.country, FIRST_NAMES["US"]))
    last = rng.choice(LAST_NAMES.get(partner.country, LAST_NAMES["US"]))
    # Members join over the partner's whole history, more of them as it grows (the square
    # root skews joining dates towards the later years).
    span = (today - first_month).days
    if index == 0:
        joined = first_month + dt.timedelta(days=rng.randint(0, min(span, 60)))
    elif index == 1:
        # One early member who leaves later, so every history has someone leaving.
        joined = first_month + dt.timedelta(days=int(span * rng.random() * 0.3))
    else:
        joined = first_month + dt.timedelta(days=int(span * rng.random() ** 0.5))
    joined = min(joined, today)
    member = member_create(
        actor=admin,
        applied_on=joined - dt.timedelta(days=rng.randint(5, 40)),
        first_name=first,
        last_name=last,
        email=f"{first}.{last}.{index}@members.example".lower().replace(" ", ""),
    )
    member_status_change(
        member=member, to_status="active", actor=admin, effective_on=joined, reason="Demo"
    )
    name, sector, _rate = rng.choice(TRADES)
    activity = activity_create(member=member, actor=admin, name=name, sector=sector)
    left = None
    leaves = index == 1 or (index and rng.random() < LEAVING_SHARE)
    if leaves and (today - joined).days > 240:
        # Recorded once the member's invoices are issued (an inactive member cannot invoice).
        left = joined + dt.timedelta(days=rng.randint(180, (today - joined).days - 30))
    return member, activity, joined, left


def _seed_leavers(activities, admin) -> None:
    from tenants.members.services import member_status_change

    for activity, _joined, left in activities:
        if left is not None:
            with transaction.atomic():
                member_status_change(
                    member=activity.member,
                    to_status="inactive",
                    actor=admin,
                    effective_on=left,
                    reason="Demo: left the cooperative",
                )


def _seed_invoice(activity, client, issue_date, day_rate, rng, admin):
    from tenants.invoicing.services import invoice_create, invoice_issue

    days = Decimal(rng.choice([1, 2, 3, 5, 8]))
    lines = [
        {
            "description": f"{activity.name} — {days} days",
            "quantity": days,
            "unit_price": day_rate.quantize(Decimal("1")),
        }
    ]
    if rng.random() < 0.3:
        lines.append(
            {
                "description": "Travel costs",
                "quantity": Decimal("1"),
                "unit_price": (day_rate / 5).quantize(Decimal("1")),
            }
        )
    with transaction.atomic():
        invoice = invoice_create(
            activity=activity,
            client=client,
            lines=lines,
            created_by=admin,
            payment_terms_days=30,
        )
        return invoice_issue(invoice=invoice, issued_by=admin, issue_date=issue_date)


def _seed_payments(invoice, rng, accountant, today) -> int:
    from tenants.invoicing.services import invoice_payment_record

    roll = rng.random()
    if roll < 0.12:
        return 0  # unpaid (late if old enough: the fund may advance it)
    delay = dt.timedelta(days=rng.randint(5, 70))
    paid_on = invoice.issue_date + delay
    if paid_on > today:
        return 0
    with transaction.atomic():
        if roll < 0.22:
            half = (invoice.total_incl_vat / 2).quantize(Decimal("1"))
            invoice_payment_record(
                invoice=invoice, amount=half, received_on=paid_on, recorded_by=accountant
            )
            return 1
        invoice_payment_record(
            invoice=invoice, amount=invoice.amount_due, received_on=paid_on, recorded_by=accountant
        )
        return 1


def _seed_expense(activity, spent_on, rng, submitter, decider) -> int:
    from common.money import Money
    from tenants.expenses.services import expense_approve, expense_submit
    from tenants.members.selectors import activity_balance

    amount = Money(Decimal(rng.randint(20, 180)), activity_currency())
    if activity_balance(activity=activity).amount < amount.amount:
        return 0
    receipt = SimpleUploadedFile(
        "receipt.pdf", b"%PDF-1.4\n% demo receipt\n", content_type="application/pdf"
    )
    with transaction.atomic():
        expense = expense_submit(
            activity=activity,
            amount=amount,
            spent_on=spent_on,
            category="travel",
            description="Train ticket to a client",
            receipt=receipt,
            submitted_by=submitter,
        )
        expense_approve(expense=expense, decided_by=decider)
    return 1


def activity_currency() -> str:
    return connection.tenant.currency


def _seed_fund_advances(rng, accountant, today) -> int:
    """Advance half of the unpaid amount on a few overdue invoices, as far as the fund
    (fed by the fees) allows."""
    from common.errors import EssaimError
    from tenants.payroll.selectors import fund_eligible_invoices
    from tenants.payroll.services import fund_advance

    advances = 0
    for row in fund_eligible_invoices(on=today)[:3]:
        try:
            with transaction.atomic():
                fund_advance(
                    invoice=row["invoice"],
                    amount=(row["max_advance"] / 2).quantize(Decimal("1")),
                    created_by=accountant,
                    on=today,
                )
        except EssaimError:
            continue
        advances += 1
    return advances
