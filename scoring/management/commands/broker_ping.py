"""`manage.py broker_ping`: exit 0 when the Celery broker answers, 1 when not (`make run` asks it).

Any broker Celery can use (redis://, amqp://, …), through the same probe as /readyz.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from scoring.health import broker_reachable


class Command(BaseCommand):
    help = "Exit 0 if the Celery broker (CELERY_BROKER_URL or --url) answers, 1 if not."

    def add_arguments(self, parser):
        parser.add_argument("--url", default=None, help="broker URL (default: CELERY_BROKER_URL)")
        parser.add_argument("--timeout", type=float, default=2.0, help="seconds to wait for the broker")

    def handle(self, *args, url=None, timeout=2.0, **options):
        if not broker_reachable(url or settings.CELERY_BROKER_URL, timeout=timeout):
            raise CommandError("The broker does not answer.")
        if options["verbosity"] > 1:
            self.stdout.write("The broker answers.")
