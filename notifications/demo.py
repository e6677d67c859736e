"""Demo data of notifications: two clearly invented contacts following the demo agreement.

The seed names no partner contacts and gives nobody an e-mail address, so without these the demo
would have no one to remind. One contact gets the weekly digest in English, the other one e-mail per
event (the reminders) in Russian. Loading is idempotent: found by name, never overwritten.
"""

from agreements.models import Agreement
from parks.models import Person, Technopolis

from .models import Subscription

DEMO_CONTACTS = [
    # (name, e-mail, park slug, delivery, language of the e-mails)
    ("Partner contact, Gousev (demo)", "partner.gousev@example.org", "gousev", Subscription.Delivery.DIGEST, "en"),
    (
        "Project coordinator, Himgrad (demo)",
        "coordinator.himgrad@example.org",
        "himgrad",
        Subscription.Delivery.EACH_EVENT,
        "ru",
    ),
]


def load_demo_subscriptions(*, agreement: Agreement) -> list[Subscription]:
    subscriptions = []
    for name, email, park_slug, delivery, language in DEMO_CONTACTS:
        contact, _created = Person.objects.get_or_create(
            full_name_en=name,
            defaults={
                "position_en": "Invented for the demo",
                "email": email,
                "language": language,
                "technopolis": Technopolis.objects.filter(slug=park_slug).first(),
            },
        )
        subscription = Subscription.objects.filter(person=contact, agreements=agreement).first()
        if subscription is None:
            subscription = Subscription.objects.create(
                person=contact,
                delivery=delivery,
                frequency=Subscription.Frequency.WEEKLY,
                language=language,
            )
            subscription.agreements.add(agreement)
        subscriptions.append(subscription)
    return subscriptions
