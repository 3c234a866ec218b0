"""Uploads when the media disk is full, and what a crash leaves behind: a full disk (a real
tmpfs of a few KB when we may mount one; else the write raising ENOSPC) answers a translated
507 and leaves no file, zero-byte or truncated; a process killed with SIGKILL after writing
its file leaves an orphan that `media_orphans --delete` removes, and nothing else."""

import errno
import io
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command

from attestation.answers.models import AnswerPage
from attestation.core.storage import MediaStorage, StorageFull
from tests import images as make
from tests.images import files_in, multipart

ROOT = Path(__file__).resolve().parent.parent


def fill(root: Path, leave: int) -> Path:
    """Fill the filesystem under `root`, then free about `leave` bytes."""
    filler = root / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
    try:
        while True:
            os.write(fd, b"\0" * 4096)
    except OSError as error:
        assert error.errno == errno.ENOSPC
    finally:
        os.close(fd)
    os.truncate(filler, max(0, filler.stat().st_size - leave))
    return filler


@pytest.fixture
def full_disk(settings, tmp_path, monkeypatch):
    """MEDIA_ROOT on a disk with about 8 KB free."""
    mount = tmp_path / "media"
    mount.mkdir()
    mounted = (
        subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mount)],
            capture_output=True,
            check=False,
        ).returncode
        == 0
    )
    settings.MEDIA_ROOT = str(mount)
    try:
        yield from _fill_or_inject(mount, mounted, monkeypatch)
    finally:
        if mounted:
            subprocess.run(["umount", str(mount)], check=False)


def _fill_or_inject(mount: Path, mounted: bool, monkeypatch):
    if mounted:
        filler = fill(mount, 8 * 1024)
    else:
        # No root to mount with: the disk fills up after the first 8 KB written, as a real
        # one does (a fault injected at the write itself).
        filler = mount / "filler"
        filler.write_bytes(b"")
        real_fdopen = os.fdopen

        class Filling(io.FileIO):
            written = 0

            def write(self, data):
                if Filling.written + len(data) > 8 * 1024:
                    raise OSError(errno.ENOSPC, "No space left on device")
                Filling.written += len(data)
                return super().write(data)

        def fdopen(fd, mode="r", *args, **kwargs):
            if "w" in mode:
                return Filling(fd, "w")
            return real_fdopen(fd, mode, *args, **kwargs)

        monkeypatch.setattr("attestation.core.storage.os.fdopen", fdopen)
    yield mount, filler


@pytest.mark.django_db
def test_a_page_upload_on_a_full_disk_is_a_507_and_leaves_nothing(
    world, client, api_for, full_disk
):
    mount, filler = full_disk
    make.give_draw(world.examinee)
    data = make.jpeg(make.sharp_page(900, 1200))
    body, ctype = multipart({"file": ("page.jpg", "image/jpeg", data)}, {"number": 1})
    response = client.generic(
        "POST",
        f"/api/v1/examinees/{world.examinee.pk}/pages",
        body,
        content_type=ctype,
        HTTP_ACCEPT_LANGUAGE="en",
        **api_for("student"),
    )
    assert response.status_code == 507, response.content
    assert response.json()["code"] == "storage_full"
    assert "no room left for files" in response.json()["detail"]
    assert not AnswerPage.objects.exists()
    assert files_in(mount) == [filler]  # no zero-byte, truncated or temporary file


@pytest.mark.django_db
def test_the_refusal_is_in_the_students_language(world, client, api_for, full_disk):
    make.give_draw(world.examinee)
    body, ctype = multipart(
        {"file": ("page.jpg", "image/jpeg", make.jpeg(make.sharp_page(900, 1200)))}, {}
    )
    response = client.generic(
        "POST",
        f"/api/v1/examinees/{world.examinee.pk}/pages",
        body,
        content_type=ctype,
        HTTP_ACCEPT_LANGUAGE="ru",
        **api_for("student"),
    )
    assert response.status_code == 507
    assert "места для файлов" in response.json()["detail"]


def test_a_failed_write_leaves_no_file_under_any_name(tmp_path, monkeypatch):
    storage = MediaStorage(location=tmp_path)

    class Broken(ContentFile):
        def chunks(self, chunk_size=None):
            yield b"half of it"
            raise OSError(errno.EIO, "I/O error")

    with pytest.raises(OSError):
        storage.save("theses/t.pdf", Broken(b"x"))
    assert files_in(tmp_path) == []
    name = storage.save("theses/t.pdf", ContentFile(b"%PDF-1.7 whole"))
    assert (tmp_path / name).read_bytes() == b"%PDF-1.7 whole"
    assert files_in(tmp_path) == [tmp_path / name]


def test_two_saves_to_one_name_keep_both_files(tmp_path):
    storage = MediaStorage(location=tmp_path)
    first = storage.save("a/x.pdf", ContentFile(b"one"))
    second = storage.save("a/x.pdf", ContentFile(b"two"))
    assert first != second
    assert (tmp_path / first).read_bytes() == b"one" and (tmp_path / second).read_bytes() == b"two"


def test_storage_full_is_a_domain_error_with_507():
    error = StorageFull()
    assert (error.status, error.code) == (507, "storage_full")


KILLED_WRITER = """
import os, signal, django
django.setup()
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
name = default_storage.save("answers/pdf/killed.pdf", ContentFile(b"%PDF-1.7 orphan"))
print(name, flush=True)
os.kill(os.getpid(), signal.SIGKILL)  # before any row could be written
"""


@pytest.mark.django_db
def test_kill_9_after_the_file_leaves_an_orphan_the_command_removes(world, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    env = os.environ | {
        "MEDIA_ROOT": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "attestation.settings",
    }
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_WRITER], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert killed.returncode == -9, killed.stderr
    orphan = tmp_path / killed.stdout.strip()
    assert orphan.read_bytes() == b"%PDF-1.7 orphan"

    # A file with its row, a stale temporary file, and a fresh file whose row may be on its way.
    make.give_draw(world.examinee)
    page = AnswerPage(examinee=world.examinee, number=1, sha256="0" * 64, width=1, height=1, size=1)
    page.image.save("page.jpg", ContentFile(b"jpeg"), save=False)
    page.save()
    stale = tmp_path / "theses" / ".upload-abc.part"
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"half")
    hour_ago = time.time() - 2 * 3600
    for path in (orphan, stale, tmp_path / page.image.name):
        os.utime(path, (hour_ago, hour_ago))
    fresh = tmp_path / "theses" / "just-now.pdf"
    fresh.write_bytes(b"%PDF")

    out = io.StringIO()
    call_command("media_orphans", stdout=out, stderr=io.StringIO())
    assert out.getvalue().split() == sorted(
        [str(orphan.relative_to(tmp_path)), str(stale.relative_to(tmp_path))]
    )
    assert orphan.exists()  # only listed
    call_command("media_orphans", "--delete", stdout=io.StringIO(), stderr=io.StringIO())
    assert not orphan.exists() and not stale.exists()
    assert (tmp_path / page.image.name).exists() and fresh.exists()
