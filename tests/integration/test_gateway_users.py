"""User administration through the gateway's HTTP API, against the running gateway and every
service on RabbitMQ and PostgreSQL (R5.2): listing and searching users in an administrator's
scope, granting and taking away roles, disabling an account (its token stops at once),
resetting a password (the person must change it before anything else), changing one's own
password, the sign-in limits, and passwords hashed with Argon2id."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from tests.support.gateway_system import PASSWORD, System, running, with_province
from tests.support.infra import fresh_database, fresh_vhost

pytestmark = [pytest.mark.bus, pytest.mark.postgres, pytest.mark.system]

EN = {"Accept-Language": "en"}


@pytest.fixture(scope="module")
def gateway_store() -> Iterator[str]:
    with fresh_database() as pg:
        yield pg


@pytest.fixture(scope="module")
def system(tmp_path_factory: pytest.TempPathFactory, gateway_store: str) -> Iterator[System]:
    with fresh_vhost() as amqp, running(tmp_path_factory.mktemp("gateway"), amqp,
                                        gateway_store) as running_system:
        w = with_province(running_system)
        # an administrator of the Càng Long district union's subtree only
        running_system.make_user("qt-cl", [("administrator", w.unions["TV-CL"])])
        yield running_system


def ask(system: System, login: str | None, method: str, path: str, *,
        token: str | None = None, **kwargs: Any) -> httpx.Response:
    with system.http(token or (system.tokens[login] if login else None)) as client:
        return client.request(method, path, **kwargs)


def names(response: httpx.Response) -> set[str]:
    assert response.status_code == 200, response.text
    return {u["username"] for u in response.json()["items"]}


def test_r5_2_an_administrator_lists_and_searches_the_users_of_his_scope_only(
        system: System) -> None:
    everyone = ask(system, "admin", "GET", "/v1/users", params={"limit": 200})
    assert {"admin", "a", "d", "f", "g", "h", "auditor", "qt-cl"} <= names(everyone)
    d = next(u for u in everyone.json()["items"] if u["username"] == "d")
    w = system.province
    assert w is not None
    assert d == {"username": "d", "person_id": w.people["D"], "disabled": False,
                 "must_change_password": False,
                 "roles": [{"role": "member", "union_id": w.unions["CS-1"]}]}
    # the district's administrator sees the users whose every role lies in his subtree
    assert names(ask(system, "qt-cl", "GET", "/v1/users", params={"limit": 200})) == \
        {"a", "d", "f", "g", "auditor", "qt-cl"}
    # search: user names and the person's name, without diacritics or case
    assert names(ask(system, "qt-cl", "GET", "/v1/users", params={"q": "THACH thi"})) == {"d"}
    assert names(ask(system, "admin", "GET", "/v1/users", params={"q": "Qt-Cl"})) == {"qt-cl"}
    assert names(ask(system, "admin", "GET", "/v1/users", params={"q": "lâm hạnh"})) == {"h"}
    paged = ask(system, "admin", "GET", "/v1/users", params={"limit": 2, "offset": 1}).json()
    assert (len(paged["items"]), paged["offset"], paged["limit"]) == (2, 1, 2)
    assert paged["total"] == everyone.json()["total"]
    # one user; outside the scope, unknown, or not an administrator: refused
    assert ask(system, "qt-cl", "GET", "/v1/users/D").json()["result"]["username"] == "d"
    outside = ask(system, "qt-cl", "GET", "/v1/users/h")
    assert (outside.status_code, outside.json()["code"]) == (403, "OUTSIDE_YOUR_SCOPE")
    missing = ask(system, "admin", "GET", "/v1/users/khong-co")
    assert (missing.status_code, missing.json()["code"]) == (404, "USER_NOT_FOUND")
    for login in ("d", "auditor"):
        member = ask(system, login, "GET", "/v1/users")
        assert (member.status_code, member.json()["code"]) == (403, "ROLE_NOT_ALLOWED")
    # the document names every route, in Vietnamese and English
    with system.http() as client:
        paths = client.get("/openapi.json").json()["paths"]
    for path, method, vi in (("/v1/users", "get", "Danh sách người dùng"),
                             ("/v1/users/{username}", "get", "Người dùng"),
                             ("/v1/users/{username}/roles", "post", "Giao vai trò"),
                             ("/v1/users/{username}/roles", "delete", "Thu hồi vai trò"),
                             ("/v1/users/{username}/disable", "post", "Khoá tài khoản"),
                             ("/v1/users/{username}/enable", "post", "Mở khoá tài khoản"),
                             ("/v1/users/{username}/reset-password", "post", "Đặt lại mật khẩu"),
                             ("/v1/me/password", "post", "Đổi mật khẩu")):
        assert paths[path][method]["summary"].startswith(vi + " — ")
        assert "429" in paths["/v1/auth/token"]["post"]["responses"]


def test_r5_2_roles_are_granted_and_taken_away_inside_the_administrators_scope_only(
        system: System) -> None:
    w = system.province
    assert w is not None
    system.make_user("ba", [("member", w.unions["CS-2"])], w.people["K"])
    official = {"role": "official", "union_id": w.unions["CS-2"]}
    granted = ask(system, "qt-cl", "POST", "/v1/users/ba/roles", json=official)
    assert granted.status_code == 200
    assert granted.json()["result"]["roles"] == [{"role": "member", "union_id": w.unions["CS-2"]}, official]
    # the new role works at once: an official's command passes the gateway's role check
    # (the service then judges the person's own standing; here, not an official: refused there)
    coach = ask(system, "ba", "POST", "/v1/initiatives/coach-idea",
                json={"idea_id": "00000000-0000-4000-8000-000000000000", "text": "Góp ý",
                      "on": "2026-06-01"})
    assert coach.json()["code"] != "ROLE_NOT_ALLOWED"
    outside = ask(system, "qt-cl", "POST", "/v1/users/ba/roles",
                  json={"role": "official", "union_id": w.unions["CS-VP"]})
    assert (outside.status_code, outside.json()["code"]) == (403, "OUTSIDE_YOUR_SCOPE")
    assert "phạm vi" in outside.json()["title"]
    system_wide = ask(system, "qt-cl", "POST", "/v1/users/ba/roles",
                      json={"role": "administrator", "union_id": None})
    assert (system_wide.status_code, system_wide.json()["code"]) == (403, "OUTSIDE_YOUR_SCOPE")
    unknown = ask(system, "qt-cl", "POST", "/v1/users/ba/roles",
                  json={"role": "chủ tịch", "union_id": w.unions["CS-2"]})
    assert unknown.status_code == 422 and unknown.json()["field"] == "role"
    assert ask(system, "qt-cl", "GET", "/v1/users/ba").json()["result"]["roles"][1] == official  # unchanged
    # taken away: the role's calls stop at once
    taken = ask(system, "qt-cl", "DELETE", "/v1/users/ba/roles", params=official)
    assert (taken.status_code, taken.json()["result"]["roles"]) == (
        200, [{"role": "member", "union_id": w.unions["CS-2"]}])
    coach = ask(system, "ba", "POST", "/v1/initiatives/coach-idea",
                json={"idea_id": "00000000-0000-4000-8000-000000000000", "text": "Góp ý",
                      "on": "2026-06-01"})
    assert (coach.status_code, coach.json()["code"]) == (403, "ROLE_NOT_ALLOWED")
    not_held = ask(system, "qt-cl", "DELETE", "/v1/users/ba/roles", params=official)
    assert (not_held.status_code, not_held.json()["code"]) == (404, "ROLE_NOT_HELD")
    last = ask(system, "qt-cl", "DELETE", "/v1/users/ba/roles",
               params={"role": "member", "union_id": w.unions["CS-2"]})
    assert (last.status_code, last.json()["code"]) == (409, "LAST_ROLE")
    assert last.json()["title"].startswith("Mỗi tài khoản phải giữ ít nhất một vai trò")
    last_en = ask(system, "qt-cl", "DELETE", "/v1/users/ba/roles", headers=EN,
                  params={"role": "member", "union_id": w.unions["CS-2"]})
    assert last_en.json()["title"].startswith("Every account keeps at least one role")
    # a user with a role outside the scope cannot be changed by the district's administrator
    h_roles = ask(system, "qt-cl", "POST", "/v1/users/h/roles",
                  json={"role": "member", "union_id": w.unions["CS-1"]})
    assert (h_roles.status_code, h_roles.json()["code"]) == (403, "OUTSIDE_YOUR_SCOPE")


def test_r5_2_a_disabled_accounts_token_stops_at_once_and_it_cannot_sign_in(
        system: System) -> None:
    w = system.province
    assert w is not None
    token = system.make_user("tam", [("member", w.unions["CS-1"])], w.people["E"])
    assert ask(system, None, "GET", "/v1/me", token=token).status_code == 200
    disabled = ask(system, "qt-cl", "POST", "/v1/users/tam/disable")  # a bare POST, no body
    assert (disabled.status_code, disabled.json()["result"]["disabled"]) == (200, True)
    for method, path in (("GET", "/v1/me"), ("GET", f"/v1/registry/get-union?union_id={w.unions['CS-1']}")):
        refused = ask(system, None, method, path, token=token)
        assert (refused.status_code, refused.json()["code"]) == (401, "ACCOUNT_DISABLED")
        assert refused.json()["title"].startswith("Tài khoản này đã bị khoá")
    with system.http() as client:
        again = client.post("/v1/auth/token", json={"username": "tam", "password": PASSWORD})
        assert (again.status_code, again.json()["code"]) == (401, "ACCOUNT_DISABLED")
        wrong = client.post("/v1/auth/token", json={"username": "tam", "password": "sai-mật-khẩu"})
        assert wrong.json()["code"] == "LOGIN_FAILED"  # said only to who knows the password
    self_disable = ask(system, "qt-cl", "POST", "/v1/users/qt-cl/disable")
    assert (self_disable.status_code, self_disable.json()["code"]) == (403, "CANNOT_DISABLE_SELF")
    assert self_disable.json()["title"] == "Quản trị viên không thể tự khoá tài khoản của chính mình."
    outside = ask(system, "qt-cl", "POST", "/v1/users/h/disable")
    assert (outside.status_code, outside.json()["code"]) == (403, "OUTSIDE_YOUR_SCOPE")
    enabled = ask(system, "qt-cl", "POST", "/v1/users/tam/enable", json={})
    assert (enabled.status_code, enabled.json()["result"]["disabled"]) == (200, False)
    assert ask(system, None, "GET", "/v1/me", token=token).status_code == 200
    assert system.sign_in("tam")


def test_r5_2_a_reset_password_must_be_changed_before_any_other_call(system: System) -> None:
    w = system.province
    assert w is not None
    old_token = system.make_user("nam", [("member", w.unions["CS-2"])])
    reset = ask(system, "qt-cl", "POST", "/v1/users/nam/reset-password")
    assert reset.status_code == 200 and reset.json()["result"]["username"] == "nam"
    once = reset.json()["result"]["one_time_password"]
    assert len(once) >= 10 and once != PASSWORD
    with system.http() as client:
        old = client.post("/v1/auth/token", json={"username": "nam", "password": PASSWORD})
        assert old.json()["code"] == "LOGIN_FAILED"
        signed = client.post("/v1/auth/token", json={"username": "nam", "password": once})
    assert signed.status_code == 200 and signed.json()["must_change_password"] is True
    token = signed.json()["access_token"]
    me = ask(system, None, "GET", "/v1/me", token=token)
    assert (me.status_code, me.json()["result"]["must_change_password"]) == (200, True)
    union = f"/v1/registry/get-union?union_id={w.unions['CS-2']}"
    for current in (token, old_token):  # a session opened before the reset is held too
        held = ask(system, None, "GET", union, token=current)
        assert (held.status_code, held.json()["code"]) == (403, "PASSWORD_CHANGE_REQUIRED")
        assert held.json()["title"].startswith("Bạn cần đổi mật khẩu")

    def change(current: str, new: str, **headers: str) -> httpx.Response:
        return ask(system, None, "POST", "/v1/me/password", token=token, headers=headers,
                   json={"current_password": current, "new_password": new})

    short = change(once, "ngắn")
    assert (short.status_code, short.json()["code"], short.json()["field"]) == (
        422, "PASSWORD_LENGTH", "new_password")
    assert short.json()["title"] == "Mật khẩu phải có từ 10 đến 200 ký tự."
    same = change(once, once)
    assert (same.status_code, same.json()["code"]) == (422, "PASSWORD_UNCHANGED")
    wrong = change("không-phải-mật-khẩu", "mật-khẩu-mới-của-nam")
    assert (wrong.status_code, wrong.json()["code"], wrong.json()["field"]) == (
        422, "CURRENT_PASSWORD_WRONG", "current_password")
    assert change(once, "mật-khẩu-mới-của-nam").status_code == 204
    assert ask(system, None, "GET", union, token=token).status_code == 200
    assert ask(system, None, "GET", "/v1/me", token=token).json()["result"]["must_change_password"] is False
    assert system.sign_in("nam", "mật-khẩu-mới-của-nam")
    with system.http() as client:
        reused = client.post("/v1/auth/token", json={"username": "nam", "password": once})
    assert reused.json()["code"] == "LOGIN_FAILED"
    # anyone changes their own password, and nobody else's
    assert ask(system, "d", "POST", "/v1/users/nam/reset-password").status_code == 403


def test_r5_2_sign_in_is_limited_per_account_and_per_address(system: System) -> None:
    w = system.province
    assert w is not None
    system.make_user("sau", [("member", w.unions["CS-2"])])
    system.make_user("bay", [("member", w.unions["CS-2"])])

    def sign_in(username: str, password: str, address: str, **headers: str) -> httpx.Response:
        with system.http(**{"X-Forwarded-For": address, **headers}) as client:
            return client.post("/v1/auth/token", json={"username": username, "password": password})

    for _ in range(5):
        assert sign_in("sau", "sai-mật-khẩu-1", "10.1.1.1").json()["code"] == "LOGIN_FAILED"
    for address in ("10.1.1.1", "10.1.1.2"):  # from anywhere, even with the right password
        throttled = sign_in("sau", PASSWORD, address)
        assert (throttled.status_code, throttled.json()["code"]) == (429, "LOGIN_THROTTLED")
        assert 800 <= int(throttled.headers["Retry-After"]) <= 900
        assert throttled.json()["title"].startswith("Đăng nhập sai quá nhiều lần")
    english = sign_in("sau", PASSWORD, "10.1.1.2", **EN)
    assert english.json()["title"].startswith("Too many failed sign-ins")
    # an administrator's reset lets the person in again at once
    once = ask(system, "admin", "POST", "/v1/users/sau/reset-password").json()["result"]["one_time_password"]
    assert sign_in("sau", once, "10.1.1.2").status_code == 200
    # a success resets the account's count: 4 failures, a success, 4 more are not throttled
    for attempt in range(9):
        if attempt == 4:
            assert sign_in("bay", PASSWORD, "10.1.1.3").status_code == 200
        else:
            assert sign_in("bay", "sai-mật-khẩu-2", "10.1.1.3").json()["code"] == "LOGIN_FAILED"
    # 20 failures from one address, whatever the accounts: the address is held, not others
    for n in range(20 - 8):
        assert sign_in(f"khong-co-{n}", "sai-mật-khẩu-3", "10.1.1.3").status_code == 401
    held = sign_in("bay", PASSWORD, "10.1.1.3")
    assert (held.status_code, held.json()["details"]["by"]) == (429, "address")
    assert sign_in("bay", PASSWORD, "10.1.1.4").status_code == 200


def test_r5_2_passwords_are_argon2id_and_an_old_scrypt_hash_is_rehashed_at_sign_in(
        system: System, gateway_store: str) -> None:
    from gateway.accounts import scrypt_hash

    w = system.province
    assert w is not None
    system.make_user("chin", [("member", w.unions["CS-2"])])
    engine = sa.create_engine(gateway_store)
    try:
        def stored() -> str:
            with engine.connect() as c:
                return str(c.execute(sa.text("SELECT password FROM gateway_users "
                                             "WHERE username = 'chin'")).scalar_one())

        assert stored().startswith("$argon2id$")
        with engine.begin() as c:  # as a store written before Argon2id held it
            c.execute(sa.text("UPDATE gateway_users SET password = :p WHERE username = 'chin'"),
                      {"p": scrypt_hash("mật-khẩu-thời-scrypt")})
        assert system.sign_in("chin", "mật-khẩu-thời-scrypt")
        assert stored().startswith("$argon2id$v=19$m=65536")
        assert system.sign_in("chin", "mật-khẩu-thời-scrypt")
    finally:
        engine.dispose()


def test_r5_3_a_request_answered_before_a_role_was_taken_away_is_answered_again_the_same(
        system: System) -> None:
    # A repeat changes nothing and tells nothing new: after a reorganisation or a change of
    # roles, the office's retry of a request it already sent gets its first answer, while any
    # new request is judged by the roles held now.
    w = system.province
    assert w is not None
    system.make_user("kieu", [("member", w.unions["CS-2"])], w.people["K"])
    body = {"union_id": w.unions["CS-2"], "author_id": w.people["K"],
            "title": "Sổ theo dõi điện tử", "description": "Thay sổ giấy", "raised_on": "2026-02-02"}
    key = {"Idempotency-Key": "kieu-y-tuong-1"}
    first = ask(system, "kieu", "POST", "/v1/initiatives/raise-idea", json=body, headers=key)
    assert first.status_code == 200, first.text
    elsewhere = {"role": "member", "union_id": w.unions["CS-1"]}  # moved to another union
    assert ask(system, "qt-cl", "POST", "/v1/users/kieu/roles", json=elsewhere).status_code == 200
    taken = ask(system, "qt-cl", "DELETE", "/v1/users/kieu/roles",
                params={"role": "member", "union_id": w.unions["CS-2"]})
    assert taken.status_code == 200
    again = ask(system, "kieu", "POST", "/v1/initiatives/raise-idea", json=body, headers=key)
    assert again.status_code == 200 and again.json() == first.json()
    new = ask(system, "kieu", "POST", "/v1/initiatives/raise-idea", json=body,
              headers={"Idempotency-Key": "kieu-y-tuong-2"})
    assert (new.status_code, new.json()["code"]) == (403, "OUTSIDE_YOUR_SCOPE")
    # another request under the same key is judged, not answered from the first
    other = ask(system, "kieu", "POST", "/v1/initiatives/raise-idea",
                json={**body, "title": "Khác"}, headers=key)
    assert (other.status_code, other.json()["code"]) == (403, "OUTSIDE_YOUR_SCOPE")
