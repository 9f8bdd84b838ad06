"""The registration pages as a person uses them without JavaScript: sign in, fill in a
form, read the problems next to the inputs, see look-alike applications, retire and
restore, relate items, confirm integrations, read the history and the change feed."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from catalog.enums import Role
from catalog.kinds import KINDS
from catalog.models import ChangeRecord, Instansi, Integration, Organisation, Relation
from catalog.services import update_item
from catalog.services.accounts import find_user, grant_role
from catalog.services.context import Actor
from tests_support import PASSWORD, client_for, make_user
from web.pages.account import local_path

CITY = "35.78"


class FormReader(HTMLParser):
    """What a browser would submit from the form posting to ``action``: every input
    with its shown value, checked boxes, selected options (or a single select's first)."""

    def __init__(self, action: str) -> None:
        super().__init__()
        self.action = action
        self.inside = False
        self.values: list[tuple[str, str]] = []
        self.select: str | None = None
        self.chosen = False
        self.first: str | None = None
        self.textarea: str | None = None
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.inside = a.get("action") == self.action
        elif not self.inside:
            return
        elif tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind != "checkbox" or "checked" in a:
                self.values.append((a["name"], a.get("value", "on")))
        elif tag == "select":
            # A multiple select submits nothing when nothing is selected.
            self.select, self.chosen, self.first = a["name"], "multiple" in a, None
        elif tag == "option" and self.select:
            if self.first is None:
                self.first = a.get("value", "")
            if "selected" in a:
                self.values.append((self.select, a.get("value", "")))
                self.chosen = True
        elif tag == "textarea":
            self.textarea, self.text = a["name"], []

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "select" and self.select:
            if not self.chosen and self.first is not None:
                self.values.append((self.select, self.first))
            self.select = None
        elif tag == "textarea" and self.textarea:
            self.values.append((self.textarea, "".join(self.text)))
            self.textarea = None

    def handle_data(self, data: str) -> None:
        if self.textarea:
            self.text.append(data)


def form_of(html: str, action: str, **changes: Any) -> dict[str, Any]:
    """The form's values with some replaced: a dict of lists, as httpx posts them."""
    reader = FormReader(action)
    reader.feed(html)
    assert reader.values, f"no form posting to {action}"
    data: dict[str, list[str]] = {}
    for name, value in reader.values:
        data.setdefault(name, []).append(value)
    for name, value in changes.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value if isinstance(value, list) else [str(value)]
    return data


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]


@pytest.fixture
def city(demo_city_engine):  # type: ignore[no-untyped-def]
    """The demo city, its Kominfo and health offices, and one application of each."""
    with Session(demo_city_engine, expire_on_commit=False) as s:
        inst = s.execute(select(Instansi).where(Instansi.code == CITY)).scalar_one()

        def unit(code: str) -> Organisation:
            return s.execute(
                select(Organisation).where(
                    Organisation.instansi_id == inst.id, Organisation.code == code
                )
            ).scalar_one()

        def app_of(org: Organisation) -> Any:
            model = KINDS["application"].model
            return s.execute(
                select(model).where(model.owner_id == org.id).order_by(model.id).limit(1)
            ).scalar_one()

        kominfo, health = unit("030801"), unit("030201")
        return {
            "instansi": inst,
            "kominfo": kominfo,
            "health": health,
            "app": app_of(kominfo),
            "health_app": app_of(health),
        }


@pytest.fixture
def operator(demo_city_engine, city) -> str:  # type: ignore[no-untyped-def]
    make_user(demo_city_engine, "op.kominfo", "operator", organisation_id=city["kominfo"].id)
    return "op.kominfo"


def sign_in(client: Any, username: str) -> None:
    page = client.get("/masuk")
    answer = client.post(
        "/masuk",
        data={"username": username, "password": PASSWORD, "csrf_token": csrf_of(page.text)},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text


def count(engine: Any, model: Any, *where: Any) -> int:
    with Session(engine) as s:
        return s.execute(select(func.count()).select_from(model).where(*where)).scalar_one()


# -- signing in ------------------------------------------------------------------------------


def test_sign_in_and_out(demo_city_engine, operator) -> None:
    with client_for(demo_city_engine) as c:
        home = c.get("/")
        assert 'href="/masuk?next=/"' in home.text and "Keluar" not in home.text
        page = c.get("/masuk?next=/aplikasi")
        token = csrf_of(page.text)
        answers = [
            c.post("/masuk", data={"username": name, "password": pw, "csrf_token": token})
            for name, pw in (("op.kominfo", "salah-sekali-123"), ("tidak.ada", PASSWORD))
        ]
        # An unknown user and a wrong password read exactly the same.
        assert [a.status_code for a in answers] == [401, 401]
        assert all("Nama pengguna atau kata sandi salah." in a.text for a in answers)
        assert answers[0].text.replace("op.kominfo", "") == answers[1].text.replace("tidak.ada", "")
        done = c.post(
            "/masuk",
            data={
                "username": "op.kominfo",
                "password": PASSWORD,
                "csrf_token": token,
                "next": "/aplikasi",
            },
            follow_redirects=False,
        )
        assert done.status_code == 303 and done.headers["location"] == "/aplikasi"
        home = c.get("/")
        assert "Op.Kominfo" in home.text and "Keluar" in home.text
        assert 'href="/konfirmasi"' in home.text and 'href="/perubahan"' in home.text
        assert c.post("/keluar", data={}).status_code == 403  # no CSRF token
        out = c.post("/keluar", data={"csrf_token": csrf_of(home.text)}, follow_redirects=False)
        assert out.status_code == 303 and out.headers["location"] == "/"
        assert "Keluar" not in c.get("/").text


def test_sign_in_goes_only_to_local_pages_and_slows_guessers(demo_city_engine, operator) -> None:
    assert local_path("/aplikasi/3?lang=en") == "/aplikasi/3?lang=en"
    for outside in ("https://evil.example/", "//evil.example", "/\\evil.example", None, ""):
        assert local_path(outside) == "/"
    with client_for(demo_city_engine) as c:
        token = csrf_of(c.get("/masuk").text)
        answer = c.post(
            "/masuk",
            data={
                "username": "op.kominfo",
                "password": PASSWORD,
                "csrf_token": token,
                "next": "//evil.example/",
            },
            follow_redirects=False,
        )
        assert answer.headers["location"] == "/"
    with client_for(demo_city_engine) as c:
        token = csrf_of(c.get("/masuk").text)
        wrong = {"username": "op.kominfo", "password": "bukan-ini-123", "csrf_token": token}
        codes = [c.post("/masuk", data=wrong).status_code for _ in range(7)]
        assert codes[:5] == [401] * 5 and codes[-1] == 429
        last = c.post("/masuk", data=wrong)
        assert last.status_code == 429 and "Coba lagi dalam" in last.text
        assert int(last.headers["Retry-After"]) > 0
        assert c.post("/masuk", data={**wrong, "csrf_token": "x"}).status_code == 403


# -- forms for every kind --------------------------------------------------------------------


def test_every_form_renders_for_every_kind(demo_city_engine, city, operator) -> None:
    make_user(demo_city_engine, "arsitek", "arsitek", instansi_id=city["instansi"].id)
    with client_for(demo_city_engine) as c:
        sign_in(c, "arsitek")
        for key, spec in KINDS.items():
            new = c.get(f"/{spec.page_path}/baru")
            assert new.status_code == 200, (key, new.text[-2000:])
            values = form_of(new.text, f"/{spec.page_path}/baru")
            assert {"csrf_token", "name", "instansi"} <= set(values), key
            assert 'id="f-is_internal"' in new.text  # architects may mark items internal
            if spec.scheme:
                assert 'list="f-reference_code-list"' in new.text
            if spec.scheme in ("RAB", "RAL", "RAD", "RAA"):  # the codes the set defines
                assert f'<option value="{spec.scheme}.0' in new.text
            model: Any = spec.model
            with Session(demo_city_engine) as s:
                item_id = s.execute(
                    select(model.id).where(model.instansi_id == city["instansi"].id).limit(1)
                ).scalar_one()
            edit = c.get(f"/{spec.page_path}/{item_id}/ubah")
            assert edit.status_code == 200, (key, edit.text[-2000:])
            assert "version" in form_of(edit.text, f"/{spec.page_path}/{item_id}/ubah")
        assert 'name="data_set_ids"' in c.get("/integrasi/baru").text
        spl = c.get("/integrasi/baru").text.split('id="f-intermediary_id"')[1].split("</select>")[0]
        assert "SPL" in spl and "VM" not in spl
    with client_for(demo_city_engine) as c:
        sign_in(c, operator)
        page = c.get("/aplikasi/baru").text
        owners = page.split('id="f-owner_id"')[1].split("</select>")[0]
        # An operator registers for their own unit (and those below it) only.
        assert city["kominfo"].name in owners and city["health"].name not in owners
        assert 'id="f-is_internal"' not in page
        assert "Save" in c.get("/aplikasi/baru?lang=en").text


def _new_item(
    c: Any, spec: Any, city: dict[str, Any], **changes: Any
) -> tuple[Any, dict[str, Any]]:
    action = f"/{spec.page_path}/baru"
    changes = {"owner_id": city["kominfo"].id, **changes}
    data = form_of(c.get(action).text, action, **changes)
    return c.post(action, data=data, follow_redirects=False), data


def test_operator_registers_an_item_of_every_kind(demo_city_engine, city, operator) -> None:
    with client_for(demo_city_engine) as c:
        sign_in(c, operator)
        for key, spec in KINDS.items():
            extra: dict[str, Any] = {"name": f"Uji {spec.label} Kominfo"}
            if key == "integration":
                extra.update(provider_id=city["app"].id, consumer_id=city["health_app"].id)
            if key == "application":
                extra["confirm_similar"] = "1"
            answer, _ = _new_item(c, spec, city, **extra)
            assert answer.status_code == 303, (key, answer.text[-3000:])
            location = answer.headers["location"]
            assert re.fullmatch(rf"/{spec.page_path}/\d+", location)
            item_id = int(location.rsplit("/", 1)[1])
            with Session(demo_city_engine) as s:
                obj: Any = s.get(spec.model, item_id)
                assert obj.name == extra["name"] and obj.owner_id == city["kominfo"].id
                record = s.execute(
                    select(ChangeRecord).where(
                        ChangeRecord.object_kind == key, ChangeRecord.object_id == item_id
                    )
                ).scalar_one()
                assert (record.action, record.source, record.actor_name) == (
                    "create",
                    "web",
                    "Op.Kominfo",
                )
            detail = c.get(location)
            assert "Tersimpan." in detail.text and extra["name"] in detail.text
            assert "Tersimpan." not in c.get(location).text  # said once


def test_problems_are_shown_next_to_their_inputs_and_nothing_is_saved(
    demo_city_engine, city, operator
) -> None:
    apps = KINDS["application"].model
    before = count(demo_city_engine, apps)
    with client_for(demo_city_engine) as c:
        sign_in(c, operator)
        spec = KINDS["application"]
        typo, _ = _new_item(c, spec, city, name="SIMANTAP", year_built="dua ribu")
        assert typo.status_code == 422
        assert 'id="e-year_built-1"' in typo.text and 'aria-invalid="true"' in typo.text
        assert 'value="dua ribu"' in typo.text  # what was typed stays
        answer, _ = _new_item(
            c,
            spec,
            city,
            name="",
            reference_code="RAB.01",
            year_built="1850",
            description="Uraian yang tidak boleh hilang",
        )
        assert answer.status_code == 422
        text = answer.text
        for field in ("name", "reference_code", "year_built"):
            block = text.split(f'id="f-{field}"')[1].split('<div class="field')[0]
            assert 'class="problem"' in block, field
        assert "RAB" in text.split('id="e-reference_code-1"')[1][:400]
        assert "Uraian yang tidak boleh hilang" in text
        assert "Belum tersimpan" in text
    assert count(demo_city_engine, apps) == before


def test_reference_code_is_found_by_name_without_javascript(
    demo_city_engine, city, operator
) -> None:
    with client_for(demo_city_engine) as c:
        sign_in(c, operator)
        answer, _ = _new_item(
            c,
            KINDS["application"],
            city,
            name="Aplikasi Uji Referensi",
            reference_code="Aplikasi Khusus Fungsi Tertentu",
            confirm_similar="1",
        )
        assert answer.status_code == 303, answer.text[-2000:]
        with Session(demo_city_engine) as s:
            item_id = int(answer.headers["location"].rsplit("/", 1)[1])
            obj: Any = s.get(KINDS["application"].model, item_id)
            assert obj.reference_code == "RAA.02.02"
        vague, _ = _new_item(
            c, KINDS["application"], city, name="Uji", reference_code="Aplikasi", confirm_similar=1
        )
        assert vague.status_code == 422 and "Pilih satu" in vague.text


def test_missing_or_wrong_csrf_token_is_refused(demo_city_engine, city, operator) -> None:
    apps = KINDS["application"].model
    before = count(demo_city_engine, apps)
    with client_for(demo_city_engine) as c:
        sign_in(c, operator)
        for token in (None, "palsu"):
            answer, _ = _new_item(
                c, KINDS["application"], city, name="Tanpa Token", csrf_token=token
            )
            assert answer.status_code == 403
            assert "CSRF" in answer.text
    assert count(demo_city_engine, apps) == before


def test_operator_cannot_register_for_another_unit(demo_city_engine, city, operator) -> None:
    apps = KINDS["application"].model
    before = count(demo_city_engine, apps)
    with client_for(demo_city_engine) as c:
        sign_in(c, operator)
        answer, _ = _new_item(
            c,
            KINDS["application"],
            city,
            name="Aplikasi Titipan",
            owner_id=city["health"].id,
            confirm_similar="1",
        )
        assert answer.status_code == 403
        assert "tidak berwenang" in answer.text
        other = c.get(f"/aplikasi/{city['health_app'].id}")
        assert f'href="/aplikasi/{city["health_app"].id}/ubah"' not in other.text
        assert c.get(f"/aplikasi/{city['health_app'].id}/ubah").status_code == 403
    assert count(demo_city_engine, apps) == before


def test_the_public_is_asked_to_sign_in(demo_city_engine, city) -> None:
    with client_for(demo_city_engine) as c:
        page = c.get("/aplikasi/baru")
        assert page.status_code == 403
        assert 'href="/masuk?next=/aplikasi/baru"' in page.text and "Masuk" in page.text
        assert "Tambah" not in c.get("/aplikasi").text
        detail = c.get(f"/aplikasi/{city['app'].id}").text
        assert "/ubah" not in detail and "hentikan" not in detail
        assert c.get(f"/aplikasi/{city['app'].id}/riwayat").status_code == 403
        assert c.get("/konfirmasi").status_code == 403
        assert c.get("/perubahan").status_code == 403
        assert c.post("/aplikasi/baru", data={"name": "x"}).status_code == 403


def test_list_and_detail_offer_adding_and_editing(demo_city_engine, city, operator) -> None:
    with client_for(demo_city_engine) as c:
        sign_in(c, operator)
        assert 'href="/aplikasi/baru"' in c.get("/aplikasi").text
        own = c.get(f"/aplikasi/{city['app'].id}").text
        assert f'href="/aplikasi/{city["app"].id}/ubah"' in own
        assert f'href="/aplikasi/{city["app"].id}/riwayat"' in own


# -- editing -----------------------------------------------------------------------------------


def test_a_stale_edit_keeps_the_input_and_shows_the_current_values(
    demo_city_engine, city, operator
) -> None:
    app = city["app"]
    action = f"/aplikasi/{app.id}/ubah"
    with client_for(demo_city_engine) as c:
        sign_in(c, operator)
        mine = form_of(c.get(action).text, action, description="Uraian versi saya")
        with Session(demo_city_engine) as s:
            update_item(
                s,
                Actor(name="rekan", source="test"),
                "application",
                app.id,
                {"name": "Nama Baru dari Rekan"},
                expected_version=app.version,
            )
        answer = c.post(action, data=mine, follow_redirects=False)
        assert answer.status_code == 409
        assert "sudah diubah orang lain" in answer.text
        assert "Uraian versi saya" in answer.text  # nothing typed is lost
        table = answer.text.split('class="error stale"')[1].split("</div>")[0]
        assert "Nama Baru dari Rekan" in table and app.name in table
        with Session(demo_city_engine) as s:
            assert s.get(KINDS["application"].model, app.id).description == app.description  # type: ignore[union-attr]
        # Saving again is a knowing choice: the form now carries the current version.
        again = form_of(answer.text, action)
        assert again["version"] == [str(app.version + 1)]
        saved = c.post(action, data=again, follow_redirects=False)
        assert saved.status_code == 303
        with Session(demo_city_engine) as s:
            obj: Any = s.get(KINDS["application"].model, app.id)
            assert obj.description == "Uraian versi saya" and obj.name == app.name


def test_retire_and_restore(demo_city_engine, city, operator) -> None:
    app = city["app"]
    detail = f"/aplikasi/{app.id}"
    with client_for(demo_city_engine) as c:
        sign_in(c, operator)
        page = c.get(detail).text
        old = form_of(page, f"{detail}/hentikan", note="Diganti SRIKANDI")
        answer = c.post(f"{detail}/hentikan", data=old, follow_redirects=False)
        assert answer.status_code == 303
        page = c.get(detail).text
        assert "Dihentikan" in page and f'action="{detail}/pulihkan"' in page
        # A button pressed on a page read before the retirement is stale.
        assert c.post(f"{detail}/pulihkan", data=old).status_code == 409
        restored = c.post(
            f"{detail}/pulihkan", data=form_of(page, f"{detail}/pulihkan"), follow_redirects=False
        )
        assert restored.status_code == 303
        with Session(demo_city_engine) as s:
            obj: Any = s.get(KINDS["application"].model, app.id)
            assert obj.retired_at is None and obj.status == app.status
            note = s.execute(
                select(ChangeRecord.note).where(
                    ChangeRecord.object_id == app.id, ChangeRecord.action == "retire"
                )
            ).scalar_one()
            assert note == "Diganti SRIKANDI"


# -- similar applications ----------------------------------------------------------------------


def test_similar_applications_are_shown_before_registering(
    demo_city_engine, city, operator
) -> None:
    apps = KINDS["application"].model
    before = count(demo_city_engine, apps)
    with Session(demo_city_engine) as s:
        twin = s.execute(
            select(apps)
            .where(apps.instansi_id == city["instansi"].id, apps.owner_id != city["kominfo"].id)
            .order_by(apps.id)
            .limit(1)
        ).scalar_one()
        srikandi = s.execute(select(apps).where(apps.code == "SRIKANDI")).scalar_one()
    with client_for(demo_city_engine) as c:
        sign_in(c, operator)
        for name, expected in (("e-Office Persuratan", srikandi), (twin.name, twin)):
            answer, _ = _new_item(c, KINDS["application"], city, name=name)
            assert answer.status_code == 200, answer.text[-2000:]
            box = answer.text.split('class="similar"')[1].split("</section>")[0]
            assert "Sudah ada aplikasi serupa" in answer.text
            assert f'href="/aplikasi/{expected.id}"' in box and "Saya sudah memeriksa" in box
            if expected is srikandi:
                assert "Aplikasi Umum nasional" in box and "Arsip Nasional" in box
            assert count(demo_city_engine, apps) == before  # nothing saved yet
        confirmed = form_of(answer.text, "/aplikasi/baru", confirm_similar="1")
        saved = c.post("/aplikasi/baru", data=confirmed, follow_redirects=False)
        assert saved.status_code == 303
    assert count(demo_city_engine, apps) == before + 1


# -- relations and integrations ----------------------------------------------------------------


def test_add_and_remove_relations(demo_city_engine, city, operator) -> None:
    app = city["app"]
    detail = f"/aplikasi/{app.id}"
    datasets, services = KINDS["dataset"].model, KINDS["service"].model
    with Session(demo_city_engine) as s:
        ds = (
            s.execute(
                select(datasets)
                .where(datasets.owner_id == city["kominfo"].id)
                .order_by(datasets.id)
            )
            .scalars()
            .first()
        )
        svc = (
            s.execute(
                select(services)
                .where(services.owner_id == city["kominfo"].id)
                .order_by(services.id)
            )
            .scalars()
            .first()
        )
    with client_for(demo_city_engine) as c:
        sign_in(c, operator)
        page = c.get(detail).text
        quick = form_of(page, f"{detail}/relasi", type="reads", target_kind="dataset")
        quick["target_code"] = [ds.code.lower()]
        answer = c.post(f"{detail}/relasi", data=quick, follow_redirects=False)
        assert answer.status_code == 303, answer.text[-2000:]
        # From the list, and read from the other end: the service is delivered by the app.
        picker = c.get(f"{detail}/relasi?jenis=service")
        assert picker.status_code == 200 and svc.name in picker.text
        chosen = form_of(
            picker.text, f"{detail}/relasi", type="delivers", target_id=svc.id, target_code=None
        )
        assert c.post(f"{detail}/relasi", data=chosen, follow_redirects=False).status_code == 303
        with Session(demo_city_engine) as s:
            reads = s.execute(
                select(Relation).where(
                    Relation.type == "reads",
                    Relation.source_id == app.id,
                    Relation.target_kind == "dataset",
                    Relation.target_id == ds.id,
                )
            ).scalar_one()
            delivered = s.execute(
                select(Relation).where(
                    Relation.type == "delivered_by",
                    Relation.source_kind == "service",
                    Relation.source_id == svc.id,
                    Relation.target_id == app.id,
                )
            ).scalar_one()
        page = c.get(detail).text
        assert "Relasi ditambahkan." in page and ds.name in page
        again = c.post(f"{detail}/relasi", data=quick)
        assert again.status_code == 409 and "sudah tercatat" in again.text
        unknown = c.post(f"{detail}/relasi", data={**quick, "target_code": ["TIDAK-ADA"]})
        assert unknown.status_code == 422 and "TIDAK-ADA" in unknown.text
        for rel in (reads, delivered):
            remove = f"{detail}/relasi/{rel.id}/hapus"
            gone = c.post(remove, data=form_of(page, remove), follow_redirects=False)
            assert gone.status_code == 303
        history = c.get(f"{detail}/riwayat").text
        assert "Relasi ditambahkan" in history and "Relasi dilepas" in history
        assert "membaca data" in history and ds.name in history
    assert count(demo_city_engine, Relation, Relation.id.in_([reads.id, delivered.id])) == 0


def test_the_other_side_confirms_an_integration(demo_city_engine, city, operator) -> None:
    make_user(demo_city_engine, "op.dinkes", "operator", organisation_id=city["health"].id)
    spec = KINDS["integration"]
    with client_for(demo_city_engine) as c:
        sign_in(c, operator)
        answer, _ = _new_item(
            c,
            spec,
            city,
            name="Kirim data pegawai ke Dinkes",
            owner_id="",
            provider_id=city["app"].id,
            consumer_id=city["health_app"].id,
        )
        assert answer.status_code == 303, answer.text[-2000:]
        location = answer.headers["location"]
        assert "Konfirmasi</button>" not in c.get(location).text  # my side is confirmed
    integ_id = int(location.rsplit("/", 1)[1])
    with Session(demo_city_engine) as s:
        integ = s.get(Integration, integ_id)
        assert integ.confirmed_by_provider and not integ.confirmed_by_consumer  # type: ignore[union-attr]
        assert integ.owner_id == city["kominfo"].id  # type: ignore[union-attr]
    with client_for(demo_city_engine) as c:
        sign_in(c, "op.dinkes")
        pending = c.get("/konfirmasi")
        assert pending.status_code == 200 and "Kirim data pegawai ke Dinkes" in pending.text
        assert 'href="/api/v1/integrations/pending"' in pending.text
        detail = c.get(location).text
        assert "Pihak Anda belum mengonfirmasi" in detail
        confirm = f"{location}/konfirmasi"
        done = c.post(confirm, data=form_of(pending.text, confirm), follow_redirects=False)
        assert done.status_code == 303 and done.headers["location"] == "/konfirmasi"
        assert "Kirim data pegawai ke Dinkes" not in c.get("/konfirmasi").text
    with Session(demo_city_engine) as s:
        assert s.get(Integration, integ_id).confirmed_by_consumer  # type: ignore[union-attr]


# -- history and change feed -------------------------------------------------------------------


def test_history_shows_each_field_before_and_after(demo_city_engine, city, operator) -> None:
    app = city["app"]
    action = f"/aplikasi/{app.id}/ubah"
    with client_for(demo_city_engine) as c:
        sign_in(c, operator)
        data = form_of(
            c.get(action).text, action, name="Nama Sesudah", platform="mobile", year_built="2021"
        )
        assert c.post(action, data=data, follow_redirects=False).status_code == 303
        page = c.get(f"/aplikasi/{app.id}/riwayat")
        assert page.status_code == 200
        assert f'href="/api/v1/applications/{app.id}/history"' in page.text
        entry = page.text.split('<ol class="changes">')[1].split("</li>")[0]
        assert "Op.Kominfo" in entry and "Diubah" in entry
        rows = dict(
            (label, (before, after))
            for label, before, after in re.findall(
                r'<th scope="row">([^<]+)</th><td class="before">([^<]*)</td>'
                r'<td class="after">([^<]*)</td>',
                entry,
            )
        )
        assert rows["Nama"] == (app.name, "Nama Sesudah")
        assert rows["Basis"][1].startswith("Mobile") and rows["Tahun pembuatan"][1] == "2021"
        assert "Versi" not in rows  # bookkeeping is left out


def test_change_feed_filters_and_exports(demo_city_engine, city, operator) -> None:
    with client_for(demo_city_engine) as c:
        sign_in(c, operator)
        answer, _ = _new_item(c, KINDS["service"], city, name="Layanan Uji Umpan <b>tebal</b>")
        assert answer.status_code == 303
        feed = c.get("/perubahan?kind=service&actor=kominfo")
        assert feed.status_code == 200
        assert "Layanan Uji Umpan &lt;b&gt;tebal&lt;/b&gt;" in feed.text
        assert "<b>tebal</b>" not in feed.text
        csv_url = re.search(r'href="(/api/v1/changes\.csv\?[^"]+)"', feed.text).group(1)  # type: ignore[union-attr]
        assert "kind=service" in csv_url and "actor=kominfo" in csv_url
        assert f"instansi={CITY}" in csv_url.replace("%2E", ".")
        assert 'href="/api/v1/changes?' in feed.text
        export = c.get(csv_url.replace("&amp;", "&"))
        assert export.status_code == 200 and "Layanan Uji Umpan" in export.text
        assert "Layanan Uji Umpan" not in c.get("/perubahan?kind=dataset").text
        later = c.get("/perubahan?since=2999-01-01")
        assert "Tidak ada perubahan" in later.text
        assert c.get("/perubahan?since=kemarin").status_code == 422


def test_what_people_type_is_shown_escaped(demo_city_engine, city, operator) -> None:
    evil = '<script>alert("x")</script>'
    with client_for(demo_city_engine) as c:
        sign_in(c, operator)
        answer, _ = _new_item(
            c,
            KINDS["application"],
            city,
            name=evil,
            description=evil,
            year_built="<img src=x>",
            confirm_similar="1",
        )
        assert answer.status_code == 422
        assert evil not in answer.text and "<img src=x>" not in answer.text
        assert "&lt;script&gt;" in answer.text
        saved, _ = _new_item(
            c, KINDS["application"], city, name=evil, description=evil, confirm_similar="1"
        )
        assert saved.status_code == 303
        for path in (saved.headers["location"], saved.headers["location"] + "/riwayat"):
            page = c.get(path).text
            assert evil not in page and "&lt;script&gt;alert(" in page


def test_a_writer_of_several_instansi_chooses_one_first(demo_city_engine) -> None:
    with Session(demo_city_engine) as s:
        ids = dict(s.execute(select(Instansi.code, Instansi.id)).all())
    make_user(demo_city_engine, "arsitek.pusat", "arsitek", instansi_id=ids["BKN"])
    with Session(demo_city_engine) as s:
        user = find_user(s, "arsitek.pusat")
        grant_role(
            s, Actor(name="t", source="test"), user.id, Role.ARSITEK, instansi_id=ids["ANRI"]
        )  # type: ignore[arg-type]
    with client_for(demo_city_engine) as c:
        sign_in(c, "arsitek.pusat")
        chooser = c.get("/aplikasi/baru")
        assert chooser.status_code == 200
        assert 'href="/aplikasi/baru?instansi=BKN"' in chooser.text
        assert 'href="/aplikasi/baru?instansi=ANRI"' in chooser.text
        form = c.get("/aplikasi/baru?instansi=ANRI")
        assert 'name="instansi" value="ANRI"' in form.text
        assert c.get(f"/aplikasi/baru?instansi={CITY}").status_code == 403
