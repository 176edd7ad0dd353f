"""An S3-compatible store on 127.0.0.1 for tests: moto's server in a thread of the test process.

Requests go through boto3 and django-storages over HTTP as they would to a
real store, and moto answers an unsigned GET as S3 does: refused unless a
bucket policy (or an object ACL) lets anyone read the object. So a test can
ask, as a reader's browser would, whether an original is public.
"""

import json
import logging
import urllib.error
import urllib.request
import uuid
from email.message import Message

import boto3
from moto.server import ThreadedMotoServer

from nashir.settings.media import s3_storages
from operations.media import bucket_policy

REGION = "us-east-1"
# moto takes any key; these only have to be there.
ACCESS_KEY = "nashir-test-access"
SECRET_KEY = "nashir-test-secret"


class S3Server:
    """moto's S3 on a free port of 127.0.0.1; `start()`, `stop()`, and `endpoint` between the two."""

    def __init__(self):
        self._server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        self.endpoint = ""

    def start(self) -> "S3Server":
        # Werkzeug logs every request moto serves.
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
        self._server.start()
        host, port = self._server.get_host_and_port()
        self.endpoint = f"http://{host}:{port}"
        return self

    def stop(self) -> None:
        self._server.stop()

    def client(self):
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            region_name=REGION,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
        )

    def bucket_create(self, *, renditions_public: bool = True) -> str:
        """A new, private bucket; with `renditions_public`, the policy that lets anyone read images/."""
        name = f"nashir-{uuid.uuid4().hex[:12]}"
        client = self.client()
        client.create_bucket(Bucket=name)
        if renditions_public:
            client.put_bucket_policy(Bucket=name, Policy=json.dumps(bucket_policy(name)))
        return name

    def bucket_delete(self, name: str) -> None:
        client = self.client()
        for page in client.get_paginator("list_objects_v2").paginate(Bucket=name):
            for item in page.get("Contents", []):
                client.delete_object(Bucket=name, Key=item["Key"])
        client.delete_bucket(Bucket=name)

    def keys(self, bucket: str) -> list[str]:
        listing = self.client().list_objects_v2(Bucket=bucket)
        return sorted(item["Key"] for item in listing.get("Contents", []))

    def storages(self, bucket: str, **options) -> dict[str, dict]:
        """STORAGES["default"] and ["renditions"] in `bucket`, as NASHIR_MEDIA_STORAGE=s3 sets them."""
        return s3_storages(
            bucket=bucket,
            endpoint_url=self.endpoint,
            region=REGION,
            access_key=ACCESS_KEY,
            secret_key=SECRET_KEY,
            **options,
        )

    def env(self, bucket: str) -> dict[str, str]:
        """The environment that puts a Nashir process's uploads in `bucket`."""
        return {
            "NASHIR_MEDIA_STORAGE": "s3",
            "NASHIR_S3_BUCKET": bucket,
            "NASHIR_S3_ENDPOINT_URL": self.endpoint,
            "NASHIR_S3_REGION": REGION,
            "NASHIR_S3_ACCESS_KEY_ID": ACCESS_KEY,
            "NASHIR_S3_SECRET_ACCESS_KEY": SECRET_KEY,
        }


def anonymous_get(url: str) -> tuple[int, Message, bytes]:
    """GET `url` with no credentials and no signature, as a reader's browser would; headers by any case."""
    assert url.startswith("http://127.0.0.1:"), url  # the test's own store, nothing else
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - a loopback URL, checked above
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()
