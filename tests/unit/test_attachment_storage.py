"""The attachment stores: the local folder (content addresses, whole files only, private
permissions) and the S3-compatible one against moto's in-process S3."""

from __future__ import annotations

import hashlib
import stat

import pytest

from complaints.storage import LocalStorage, S3Storage, StorageError, key_for


def test_local_store_keeps_files_by_content(tmp_path) -> None:
    store = LocalStorage(tmp_path / "files")
    key = store.put(b"evidence")
    digest = hashlib.sha256(b"evidence").hexdigest()
    assert key == f"sha256/{digest[:2]}/{digest[2:4]}/{digest}" == key_for(b"evidence")
    assert store.put(b"evidence") == key
    assert store.get(key) == b"evidence"
    assert store.exists(key)
    path = tmp_path / "files" / key
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert list(store.keys()) == [key]
    assert not list((tmp_path / "files").rglob(".incoming-*"))
    store.delete(key)
    assert not store.exists(key)
    with pytest.raises(StorageError):
        store.get(key)


@pytest.mark.parametrize("key", ["../../etc/passwd", "sha256/aa/bb/../../x", "/etc/passwd",
                                 "sha256/00/00/" + "0" * 63])
def test_names_never_become_paths(tmp_path, key) -> None:
    store = LocalStorage(tmp_path)
    with pytest.raises(StorageError):
        store.get(key)


def test_s3_store_against_moto() -> None:
    boto3 = pytest.importorskip("boto3")
    moto = pytest.importorskip("moto")
    with moto.mock_aws():
        client = boto3.client("s3", region_name="us-east-1", aws_access_key_id="test",
                              aws_secret_access_key="test")  # noqa: S106
        client.create_bucket(Bucket="evidence")
        store = S3Storage("evidence", "complaints/", client=client)
        key = store.put(b"a photo")
        assert key == key_for(b"a photo")
        assert store.get(key) == b"a photo"
        assert store.exists(key)
        assert list(store.keys()) == [key]
        listed = client.list_objects_v2(Bucket="evidence")["Contents"]
        assert [item["Key"] for item in listed] == [f"complaints/{key}"]
        store.delete(key)
        assert not store.exists(key)
        with pytest.raises(StorageError):
            store.get(key)
