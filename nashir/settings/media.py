"""The STORAGES of uploads in an S3-compatible store, for the settings and the tests that stand one up.

No Django import here: base.py calls this while settings load.
"""

# Renditions are named once and never rewritten (a new file makes new names),
# so readers and a CDN keep them as long as nginx tells them to on disk.
RENDITION_CACHE_CONTROL = "public, max-age=2592000"


def s3_storages(
    *,
    bucket: str,
    endpoint_url: str = "",
    region: str = "",
    access_key: str = "",
    secret_key: str = "",
    custom_domain: str = "",
) -> dict[str, dict]:
    """The "default" storage (originals, documents, waiting uploads) and "renditions", in one bucket.

    Empty keys leave boto3 to find credentials itself (its environment
    variables, an instance role). Nothing here makes an object public: the
    bucket stays private, and only a bucket policy on images/ (or a CDN
    allowed that prefix alone) lets readers fetch renditions
    (`manage.py check_media_store --policy`).
    """
    common = {
        "bucket_name": bucket,
        "endpoint_url": endpoint_url or None,
        "region_name": region or None,
        "access_key": access_key or None,
        "secret_key": secret_key or None,
        # S3Storage replaces an object of the same name by default: a second
        # photo.jpg would overwrite the first. Like the disk, give it a new name.
        "file_overwrite": False,
        # No ACL on upload: an object is as private as its bucket.
        "default_acl": None,
    }
    return {
        "default": {"BACKEND": "operations.s3.PrivateS3Storage", "OPTIONS": common},
        "renditions": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                **common,
                # Plain, lasting URLs: pages that show them are cached for minutes,
                # and by a CDN for longer, where a signed URL would have expired.
                "querystring_auth": False,
                "custom_domain": custom_domain or None,
                "object_parameters": {"CacheControl": RENDITION_CACHE_CONTROL},
            },
        },
    }
