"""Where attachment bytes are kept: a small interface, a local-filesystem store (the default,
under instance/attachments, outside the web root) and an S3-compatible one for several app
servers. Keys are made from the content's SHA-256, never from a name a person gave."""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol

from flask import Flask, current_app

_KEY = re.compile(r"sha256/[0-9a-f]{2}/[0-9a-f]{2}/[0-9a-f]{64}")


class StorageError(RuntimeError):
    """The store could not keep, find or remove a file."""


def key_for(data: bytes) -> str:
    """The content address of `data` (the same bytes always get the same key)."""
    digest = hashlib.sha256(data).hexdigest()
    return f"sha256/{digest[:2]}/{digest[2:4]}/{digest}"


def is_key(key: str) -> bool:
    return bool(_KEY.fullmatch(key))


class Storage(Protocol):
    """What the app needs of a store. Writing the same bytes twice is harmless."""

    def put(self, data: bytes) -> str: ...

    def get(self, key: str) -> bytes: ...

    def delete(self, key: str) -> None: ...

    def exists(self, key: str) -> bool: ...

    def keys(self) -> Iterator[str]: ...


class LocalStorage:
    """Files under one folder, written to a temporary name and renamed into place, so a file
    is either whole or absent. Folders 0700 and files 0600."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        if not is_key(key):
            raise StorageError(f"not a storage key: {key!r}")
        return self.root / key

    def put(self, data: bytes) -> str:
        key = key_for(data)
        path = self._path(key)
        if path.is_file() and path.stat().st_size == len(data):
            return key
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".incoming-")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(temporary, 0o600)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return key

    def get(self, key: str) -> bytes:
        try:
            return self._path(key).read_bytes()
        except FileNotFoundError as exc:
            raise StorageError(f"missing: {key}") from exc

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def keys(self) -> Iterator[str]:
        base = self.root / "sha256"
        if not base.is_dir():
            return
        for path in base.glob("*/*/*"):
            key = path.relative_to(self.root).as_posix()
            if is_key(key):
                yield key


class S3Storage:
    """Objects in an S3-compatible bucket (AWS S3, MinIO, Ceph…), under an optional prefix.
    Credentials come from boto3's usual sources (environment, profile, instance role)."""

    def __init__(self, bucket: str, prefix: str = "", client: Any = None, **options: Any) -> None:
        if client is None:
            import boto3  # optional dependency: pip install 'complaints[s3]'

            client = boto3.client("s3", **{k: v for k, v in options.items() if v})
        self.client = client
        self.bucket = bucket
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""

    def _name(self, key: str) -> str:
        if not is_key(key):
            raise StorageError(f"not a storage key: {key!r}")
        return self.prefix + key

    def put(self, data: bytes) -> str:
        key = key_for(data)
        digest = hashlib.sha256(data).digest()
        import base64

        self.client.put_object(Bucket=self.bucket, Key=self._name(key), Body=data,
                               ContentType="application/octet-stream",
                               ChecksumSHA256=base64.b64encode(digest).decode())
        return key

    def get(self, key: str) -> bytes:
        try:
            answer = self.client.get_object(Bucket=self.bucket, Key=self._name(key))
        except Exception as exc:  # botocore's ClientError and friends
            raise StorageError(f"missing or unreadable: {key}") from exc
        return bytes(answer["Body"].read())

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self._name(key))

    def exists(self, key: str) -> bool:
        try:
            self.client.head_object(Bucket=self.bucket, Key=self._name(key))
        except Exception:
            return False
        return True

    def keys(self) -> Iterator[str]:
        paginator = self.client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self.bucket, Prefix=self.prefix + "sha256/"):
            for item in page.get("Contents", []):
                key = item["Key"][len(self.prefix):]
                if is_key(key):
                    yield key


def from_config(config: Any, instance_path: str) -> Storage:
    kind = config.get("ATTACHMENT_STORAGE", "local")
    if kind == "s3":
        return S3Storage(config["ATTACHMENT_S3_BUCKET"], config.get("ATTACHMENT_S3_PREFIX", ""),
                         endpoint_url=config.get("ATTACHMENT_S3_ENDPOINT_URL") or None,
                         region_name=config.get("ATTACHMENT_S3_REGION") or None)
    root = config.get("ATTACHMENT_DIR") or str(Path(instance_path) / "attachments")
    return LocalStorage(root)


def init_app(app: Flask) -> None:
    app.extensions["attachment_storage"] = from_config(app.config, app.instance_path)


def storage() -> Storage:
    """The current app's store."""
    return current_app.extensions["attachment_storage"]
