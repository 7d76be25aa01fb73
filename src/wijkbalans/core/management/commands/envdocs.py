"""``wijkbalans envdocs``: the table of environment variables that docs/deploy.md carries."""

from django.core.management.base import BaseCommand

from wijkbalans.conf import env


class Command(BaseCommand):
    help = "Print the environment variables wijkbalans reads, as a Markdown table."

    def handle(self, *args, **options):
        self.stdout.write(env.markdown_table(), ending="")
