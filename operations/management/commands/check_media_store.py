import json

from django.core.management.base import BaseCommand, CommandError

from operations.media import RENDITIONS_DIR, bucket_policy, in_store, media_store_check, rendition_storage_current


class Command(BaseCommand):
    help = (
        "With uploads in an S3 store (NASHIR_MEDIA_STORAGE=s3): write a small file under each prefix, fetch it "
        "as an anonymous reader would, and delete it. Renditions (images/) must be readable, originals, documents "
        "and waiting uploads refused. --policy prints the bucket policy that does that."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--policy", action="store_true", help="Print the bucket policy that lets anyone read renditions only."
        )

    def handle(self, *, policy, verbosity, **options):
        storage = rendition_storage_current()
        if not in_store(storage):
            raise CommandError(
                "Uploads are on this machine's disk (NASHIR_MEDIA_STORAGE=filesystem): nginx refuses the private "
                "folders there (deploy/nginx/nashir.conf). This command checks an S3 store."
            )
        if policy:
            self.stdout.write(json.dumps(bucket_policy(storage.bucket_name), indent=2))
            return
        checks = media_store_check()
        for check in checks:
            wanted = "readable by anyone" if check.prefix == RENDITIONS_DIR else "refused to anyone"
            got = f"HTTP {check.status}" if check.status else "no answer"
            line = f"{check.prefix:<17} {wanted}: {got} for {check.url}"
            if check.ok:
                if verbosity:
                    self.stdout.write(self.style.SUCCESS(f"ok    {line}"))
            else:
                self.stdout.write(self.style.ERROR(f"WRONG {line}"))
        failed = [check.prefix for check in checks if not check.ok]
        if failed:
            raise CommandError(
                f"The store does not keep uploads as it must ({', '.join(failed)}): see docs/deployment.md, "
                '"Where uploads live", and `manage.py check_media_store --policy`.'
            )
