"""Upload → preview → confirm in the Wagtail admin, and the import tasks on a real worker."""

from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from portal.inspections import tasks
from portal.inspections.models import ImportJob, SpotCheckBatch, SpotCheckResult
from portal.registry.models import District
from tests.conftest import verified_login
from tests.factories import UserFactory

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "spreadsheets"
FORM = {
    "notice_number": "沪市监质〔2019〕12号",
    "title": "2019年上海市儿童用品产品质量监督抽查结果",
    "authority": "上海市市场监督管理局",
    "year": "2019",
    "level": "city",
    "published_on": "2019-04-15",
}


def importer(*districts):
    user = UserFactory()
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["access_admin", "add_importjob"])
    )
    for code in districts:
        District.objects.get(code=code).editors.add(user)
    return user


def upload(client, name, **extra):
    data = {**FORM, **extra, "file": SimpleUploadedFile(name, (FIXTURES / name).read_bytes())}
    return client.post(reverse("inspections_import_upload"), data)


@pytest.mark.django_db
def test_upload_preview_confirm(client, django_capture_on_commit_callbacks):
    verified_login(client, importer())
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, "import_v1.csv")
    job = ImportJob.objects.get()
    assert response.url == reverse("inspections_import_detail", args=[job.pk])
    assert job.state == ImportJob.State.PREVIEWED
    assert SpotCheckResult.objects.count() == 0

    page = client.get(response.url).content.decode()
    assert "Confirm and import" in page or "确认" in page
    assert '<tr><th scope="row">' in page and ">5</td>" in page

    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.post(response.url)
    assert confirmed.status_code == 302
    job.refresh_from_db()
    assert job.state == ImportJob.State.DONE
    assert job.batch == SpotCheckBatch.objects.get(notice_number="沪市监质〔2019〕12号")
    assert SpotCheckResult.objects.count() == 5
    # Confirming twice does not import twice.
    client.post(response.url)
    assert SpotCheckResult.objects.count() == 5


@pytest.mark.django_db
def test_a_file_with_errors_is_shown_and_cannot_be_confirmed(
    client, django_capture_on_commit_callbacks
):
    verified_login(client, importer())
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, "import_bad.csv")
    job = ImportJob.objects.get()
    assert job.state == ImportJob.State.INVALID
    page = client.get(response.url).content.decode()
    assert "91310115MA1H7U4C0B" in page and "check character" in page
    assert "=HYPERLINK(" in page  # shown escaped as text, never as a live formula or link
    assert '<a href="http://evil.example"' not in page
    client.post(response.url)
    job.refresh_from_db()
    assert job.state == ImportJob.State.INVALID
    assert SpotCheckResult.objects.count() == 0


@pytest.mark.django_db
def test_upload_form_validates(client, settings):
    verified_login(client, importer())
    response = client.post(reverse("inspections_import_upload"), {**FORM, "year": "19"})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"file", "year"}
    settings.IMPORT_MAX_BYTES = 10
    response = upload(client, "import_v1.csv")
    assert "上限" in str(response.context["form"].errors["file"])  # the admin is in Chinese
    assert ImportJob.objects.count() == 0


@pytest.mark.django_db
def test_district_editor_must_import_for_their_district(client):
    verified_login(client, importer("minhang"))
    songjiang = District.objects.get(code="songjiang")
    response = upload(client, "import_v1.csv", district=songjiang.pk)
    assert "district" in response.context["form"].errors
    assert ImportJob.objects.count() == 0


@pytest.mark.django_db
def test_import_needs_permission(client):
    user = UserFactory()
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    verified_login(client, user)
    assert client.get(reverse("inspections_import_upload")).status_code == 302
    assert ImportJob.objects.count() == 0


@pytest.mark.celery
# Serialized rollback: the flush after this test then leaves the database as the migrations
# made it, which later transactional tests with serialized rollback expect to restore.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_preview_and_commit_run_on_a_real_worker(celery_not_eager, transactional_db):
    job = ImportJob.objects.create(
        file=SimpleUploadedFile("import_v1.csv", (FIXTURES / "import_v1.csv").read_bytes()),
        original_name="import_v1.csv",
        batch_details={**FORM, "year": 2019},
    )
    assert tasks.preview_import.delay(job.pk).get(timeout=60) == ImportJob.State.PREVIEWED
    assert SpotCheckResult.objects.count() == 0
    assert tasks.commit_import.delay(job.pk).get(timeout=60) == ImportJob.State.DONE
    job.refresh_from_db()
    assert job.preview["created"] == 5
    assert SpotCheckResult.objects.filter(batch=job.batch).count() == 5


@pytest.mark.django_db
def test_the_preview_lists_barcode_warnings_and_can_be_confirmed(
    client, django_capture_on_commit_callbacks
):
    verified_login(client, importer())
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, "barcodes.xlsx")
    assert ImportJob.objects.get().state == ImportJob.State.PREVIEWED
    page = client.get(response.url).content.decode()
    assert 'id="import-warnings"' in page
    assert "6.92372E+12" in page and "条码被电子表格转换成了科学计数法" in page
    assert "<td>6923718000032</td>" in page and "wrong check digit" in page
    assert "Confirm and import" in page or "确认" in page
