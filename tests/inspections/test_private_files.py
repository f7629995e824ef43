"""Import uploads and batch source files: private storage, random names, permission-checked
views — refused to anonymous visitors and to district editors of another district."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.urls import reverse

from benchmarks.security_probe import check_private_files, private_file_samples
from portal.core.storage import move_into_private_storage
from portal.inspections.models import ImportJob, SourceFile, SpotCheckBatch
from portal.registry.models import District
from tests.conftest import verified_login
from tests.factories import SpotCheckBatchFactory, UserFactory

SHEET = "产品名称,结果\n儿童水杯,合格\n".encode()


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.PRIVATE_FILES_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.PRIVATE_FILES_ROOT


def editor(*codenames, districts=()):
    user = UserFactory()
    user.user_permissions.add(*Permission.objects.filter(codename__in=["access_admin", *codenames]))
    for code in districts:
        District.objects.get(code=code).editors.add(user)
    return user


def preview_job(owner) -> ImportJob:
    """An upload checked but not confirmed: its batch is not published anywhere yet."""
    job = ImportJob(original_name="松江抽检.csv", created_by=owner, state=ImportJob.State.PREVIEWED)
    job.file.save("松江抽检.csv", ContentFile(SHEET))
    return job


def source_file(district_code: str | None) -> SourceFile:
    """A draft batch's file: an unpublished preview nobody outside the admin may fetch."""
    district = District.objects.get(code=district_code) if district_code else None
    batch = SpotCheckBatchFactory(
        level="district", district=district, status=SpotCheckBatch.Status.DRAFT
    )
    source = SourceFile(batch=batch, version=1, original_name="松江抽检.csv", sha256="a" * 64)
    source.file.save("松江抽检.csv", ContentFile(SHEET))
    return source


@pytest.mark.django_db
def test_files_are_private_with_random_names(private_root, settings):
    job = preview_job(editor())
    source = source_file("songjiang")
    for stored in (job.file, source.file):
        assert stored.path.startswith(str(private_root))
        assert "松江" not in stored.name and len(stored.name.rsplit("/", 1)[1]) == 36
        with pytest.raises(ValueError):
            stored.url  # noqa: B018 (no public URL to hand out)
    assert not (settings.MEDIA_ROOT).exists()


@pytest.mark.django_db
def test_an_import_upload_reaches_only_its_uploader_or_an_unlimited_importer(client):
    owner = editor("add_importjob", districts=["songjiang"])
    job = preview_job(owner)
    url = reverse("inspections_import_file", args=[job.pk])

    response = client.get(url)
    assert response.status_code == 302 and "login" in response.url

    verified_login(client, editor("add_importjob", districts=["minhang"]))
    assert client.get(url).status_code == 404

    for permitted in (owner, editor("add_importjob")):
        verified_login(client, permitted)
        response = client.get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == SHEET
        assert "no-store" in response["Cache-Control"]
        assert "attachment" in response["Content-Disposition"]


@pytest.mark.django_db
def test_a_source_file_reaches_only_editors_of_its_district(client):
    source = source_file("songjiang")
    url = source.get_absolute_url()

    assert client.get(url).status_code == 302

    verified_login(client, editor(districts=["songjiang"]))  # no permission on source files
    response = client.get(url)  # Wagtail turns the PermissionDenied into a redirect home
    assert response.status_code == 302 and response.url == reverse("wagtailadmin_home")

    verified_login(client, editor("view_sourcefile", districts=["minhang"]))
    assert client.get(url).status_code == 404

    verified_login(client, editor("view_sourcefile", districts=["songjiang"]))
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == SHEET


@pytest.mark.django_db
def test_a_missing_file_is_a_404_not_a_500(admin_client):
    source = source_file("songjiang")
    source.file.storage.delete(source.file.name)
    assert admin_client.get(source.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_files_an_older_release_left_in_public_media_are_moved(settings):
    public = FileSystemStorage(location=settings.MEDIA_ROOT)
    old_name = public.save("imports/2024/05/松江抽检.csv", ContentFile(SHEET))
    job = ImportJob.objects.create(original_name="松江抽检.csv")
    ImportJob.objects.filter(pk=job.pk).update(file=old_name)
    already_private = preview_job(None)

    assert move_into_private_storage(ImportJob, "imports") == 1
    job.refresh_from_db()
    assert job.file.name.startswith("imports/") and "松江" not in job.file.name
    assert job.file.read() == SHEET
    assert not public.exists(old_name)
    assert ImportJob.objects.get(pk=already_private.pk).file.name == already_private.file.name
    assert move_into_private_storage(ImportJob, "imports") == 0


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_probe_rows_pass_against_a_live_portal(live_server):
    preview_job(None)
    source_file(None)  # districts may be flushed by an earlier transactional test
    samples = private_file_samples()
    del samples["report photo"]  # covered by tests/reports/test_probe_private_files.py
    rows = check_private_files(live_server.url, samples)
    assert [(row.subject, row.passed) for row in rows] == [
        ("import upload", True),
        ("batch source file", True),
    ]
