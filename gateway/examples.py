"""An example request for every command of the API (R5.2), as a union office would fill it:
what the OpenAPI document shows a front-end developer beside each request body.

An example is made from the operation's declared parameters (``gateway.catalogue``): each
field's value from ``VALUES`` by its name (Vietnamese text, dates as YYYY-MM-DD), each id a
placeholder from ``IDS`` of the right format, nested objects and lists from their declared
shape; ``EXAMPLES`` gives, per operation, the values that differ from the common ones and the
optional fields worth showing. The tests send every example, with the placeholders replaced
by the ids of a small province (``tests/integration/test_gateway_http.py``), and check each
against its own request schema (``tests/unit/test_api_document.py``), so none drifts.

Nothing here is read by the services; it only documents.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from gateway.catalogue import Operation

# Ids by what they name: a placeholder each, stable, so a test can swap in real ones.
_ID_NAMES = ("union", "parent", "upper_union", "into_union", "person", "author", "subject",
             "signer", "idea", "initiative", "body", "nomination", "submission", "award",
             "difficulty", "reminder", "upload", "member", "carries")
IDS: Mapping[str, str] = {name: str(uuid.uuid5(uuid.NAMESPACE_URL, f"urn:emulation:example:{name}"))
                          for name in _ID_NAMES}
# which placeholder an id field takes: its name without ``_id``/``_ids``, or this
ID_OF = {"parent_id": "parent", "upper_union_id": "upper_union", "into_union_id": "into_union",
         "union_ids": "union", "attendees": "person", "members": "member", "author_id": "person",
         "subject_id": "person", "children": "union", "signer_id": "person",
         "nomination_ids": "nomination", "award_ids": "award", "initiative_ids": "initiative"}

DECISION = {"number": "15/QĐ-CĐCS", "signed_on": "2025-03-10"}

# The common value of a field, by its name.
VALUES: Mapping[str, Any] = {
    "code": "CS-THCL", "name": "Công đoàn cơ sở Trường Tiểu học Thị trấn Càng Long",
    "level": "grassroots", "founded_on": "2025-03-15", "effective_on": "2025-03-15",
    "full_name": "Nguyễn Thị Hồng Nhung", "registered_on": "2025-03-15",
    "birth_date": "1988-07-21", "gender": "female", "is_official": True, "is_full_time": False,
    "position": "vice_chairman", "term_start": "2025-03-15", "kind": "executive_committee",
    "number": "15/QĐ-CĐCS", "signed_on": "2025-03-10", "legal_basis":
        "Điều lệ Công đoàn Việt Nam; Quyết định số 12/QĐ-LĐLĐ ngày 10/03/2025",
    "reason": "Theo đề nghị của Ban Thường vụ tại cuộc họp ngày 10/03/2025",
    "reasons": "Giải pháp chưa mới so với quy trình đang áp dụng tại đơn vị",
    "title": "Sổ theo dõi sáng kiến điện tử",
    "description": "Thay sổ giấy bằng bảng tính dùng chung để theo dõi sáng kiến của đơn vị",
    "text": "Đề nghị bổ sung số liệu tiết kiệm thời gian sau 3 tháng áp dụng thử",
    "raised_on": "2025-03-15", "on": "2025-03-15", "decided_on": "2025-03-15",
    "reference": "SK-2025-001", "reported_on": "2025-06-30", "applied_from": "2025-04-01",
    "benefit": "Giảm 40% thời gian lập báo cáo hằng tháng của văn phòng",
    "value_saved_vnd": 15_000_000, "proposed_on": "2025-07-01", "adopted_on": "2025-08-01",
    "result": "Đề tài đạt yêu cầu, hội đồng nghiệm thu thống nhất 5/5",
    "minutes": "Biên bản họp Ban Chấp hành ngày 15/03/2025",
    "ground": "false_declaration", "scope": "direct_superior", "year": 2025,
    "launched_on": "2025-01-15", "plan": "Kế hoạch phát động phong trào thi đua "
    "“Đổi mới, sáng tạo, hiệu quả” năm 2025", "held_on": "2025-03-15",
    "audience": "Toàn thể đoàn viên công đoàn cơ sở", "reach": 120,
    "content": "Đăng ký thực hiện phong trào “Đổi mới, sáng tạo, hiệu quả” trong hoạt động "
               "công đoàn năm 2025",
    "period": "2025-H1", "summary": "Sơ kết 6 tháng đầu năm 2025: 12 ý tưởng, 5 sáng kiến",
    "findings": ["Phong trào được duy trì thường xuyên", "Cần tăng cường hướng dẫn đăng ký"],
    "results": "Tổng kết năm 2025: 8 sáng kiến được công nhận, 3 sáng kiến được nhân rộng",
    "self_score": 92.5, "appraised_score": 90.0, "classified_on": "2025-12-20",
    "corrected_on": "2025-12-28", "closed_on": "2025-12-31", "linked_on": "2025-12-31",
    "subject": "Khó khăn khi xác định hiệu quả kinh tế của sáng kiến",
    "answer": "Ban Chính sách – Pháp luật hướng dẫn áp dụng Thông tư 18/2013/TT-BKHCN",
    "answered_on": "2025-05-20", "form": "giay_khen_cdcs", "achievement":
        "Có sáng kiến được công nhận và áp dụng hiệu quả trong năm 2025",
    "nominated_on": "2025-11-20", "statement": "Đơn vị đã phát động, tuyên truyền và tổ chức "
    "đăng ký sáng kiến trong năm 2025", "attested_on": "2025-11-15", "drafted_on": "2025-11-25",
    "submitted_on": "2025-11-28", "returned_on": "2025-12-02", "revoked_on": "2026-01-10",
    "missing": ["meeting_minutes"], "evidence": ["Biên bản họp số 05/BB-CĐCS"],
    "filename": "to-trinh.pdf", "media_type": "application/pdf",
    "content_base64": "JVBERi0xLjQKJcTl8uXrCg==", "attached_on": "2025-11-26",
    "file_content": "code,full_name,union_code\nDV-0101,Trần Văn An,CS-THCL\n", "format": "csv",
    "email_enabled": True, "address": "congdoan.thcl@example.vn",
    "recovery": {"certificate": True, "money_vnd": 1_000_000,
                 "note": "Thu hồi giấy khen và tiền thưởng"},
    "decision": DECISION,
}

# Per operation: the values that differ from ``VALUES`` and the optional fields shown.
EXAMPLES: Mapping[str, Mapping[str, Any]] = {
    "registry.found_union": {"parent_id": IDS["parent"]},
    "registry.register_person": {"code": "DV-0101", "union_id": IDS["union"]},
    "registry.rename_union": {"name": "Công đoàn cơ sở Trường Tiểu học Càng Long A"},
    "registry.constitute_body": {"kind": "initiative_support_team",
                                 "name": "Tổ hỗ trợ sáng kiến năm 2025", "decision": DECISION},
    "registry.merge_unions": {"new_union": {"code": "CS-GDCL",
                                            "name": "Công đoàn cơ sở Giáo dục Càng Long"}},
    "registry.split_union": {"parts": [
        {"code": "CS-THCL-A", "name": "Công đoàn cơ sở Trường Tiểu học Càng Long A",
         "members": [IDS["member"]]},
        {"code": "CS-THCL-B", "name": "Công đoàn cơ sở Trường Tiểu học Càng Long B"}]},
    "registry.end_body": {"reason": "Hết nhiệm kỳ"},
    "registry.apply_reorganisation": {"dry_run": True},
    "registry.import_records": {"kind": "people", "dry_run": True},
    "initiatives.design_form": {"fields": [
        {"code": "so_nguoi_huong_loi", "label": "Số người hưởng lợi", "type": "number",
         "required": True},
        {"code": "linh_vuc", "label": "Lĩnh vực", "type": "choice",
         "choices": ["Chuyên môn", "Công đoàn"]}], "number": "16/QĐ-CĐCS"},
    "initiatives.register": {"kind": "initiative", "fields": {
        "name": "Sổ theo dõi sáng kiến điện tử",
        "objective": "Theo dõi sáng kiến kịp thời, chính xác",
        "implementation_steps": "Lập bảng tính dùng chung; tập huấn cho tổ công đoàn",
        "scope_feasibility_time": "Áp dụng tại đơn vị từ quý II/2025",
        "expected_effectiveness": "Giảm 40% thời gian tổng hợp báo cáo"},
        "authors": [{"person_id": IDS["person"], "share": 60},
                    {"person_id": IDS["author"], "share": 40}]},
    "initiatives.record_evaluation": {
        "scores": {IDS["member"]: {"new_within_unit": 8, "applied_with_benefit": 9,
                                    "effectiveness": 8}},
        "votes": {IDS["member"]: "for"}},
    "initiatives.accept_topic": {"reason": "Hội đồng nghiệm thu thống nhất 5/5"},
    "initiatives.refuse": {"number": "17/QĐ-CĐCS"},
    "initiatives.report_application": {"applied_to": "2025-06-30"},
    "initiatives.adopt": {"note": "Áp dụng cho 3 tổ công đoàn của đơn vị"},
    "initiatives.revoke": {"reason": "Sáng kiến đã được công nhận ở đơn vị khác trước đó"},
    "initiatives.withdraw_idea": {"reason": "Tác giả rút ý tưởng để hoàn thiện thêm"},
    "reviews.record_dissemination": {"kind": "conference",
                                     "title": "Hội nghị quán triệt phong trào năm 2025"},
    "reviews.launch": {"title": "Phát động phong trào “Đổi mới, sáng tạo, hiệu quả” năm 2025"},
    "reviews.sign_pledge": {"content": VALUES["content"], "items": [
        {"kind": "initiatives_registered", "number": 5, "due_on": "2025-11-30"}]},
    "reviews.hold_half_year_review": {"self_assessment": [
        {"kind": "initiatives_registered", "achieved": 3, "note": "Đạt 60% chỉ tiêu năm"}]},
    "reviews.hold_annual_review": {"self_assessment": [
        {"kind": "initiatives_registered", "achieved": 6}], "nomination_ids": [IDS["nomination"]]},
    "reviews.report_difficulty": {"description": "Chưa có hướng dẫn tính hiệu quả kinh tế "
                                                 "của sáng kiến trong trường học"},
    "reviews.classify": {"findings": ["Công đoàn cơ sở vững mạnh"]},
    "reviews.correct_classification": {"reason": "Điều chỉnh điểm sau khi kiểm tra lại hồ sơ"},
    "reviews.follow_up_difficulty": {"text": "Đề nghị hướng dẫn bằng văn bản"},
    "reviews.link_review_rewards": {"award_ids": [IDS["award"]]},
    "awards.attest": {"subject": "union", "subject_id": IDS["union"], "met": True},
    "awards.nominate": {"subject": "person", "initiative_ids": [IDS["initiative"]]},
    "awards.hold_selection": {"attendees": [IDS["person"]],
                              "votes": {IDS["nomination"]: {"for": 5, "against": 0,
                                                            "abstain": 0}}},
    "awards.attach_document": {"kind": "submission_letter", "title": "Tờ trình số 20/TTr-CĐCS"},
    "awards.decide_award": {"number": "25/QĐ-CĐCS", "signer_id": IDS["signer"]},
    "awards.revoke_award": {"number": "30/QĐ-CĐCS"},
    "awards.submit": {"number": "20/TTr-CĐCS"},
    "awards.return_submission": {"reason": "Hồ sơ thiếu trích biên bản họp"},
    "notifications.set_email": {"address": "congdoan.thcl@example.vn"},
}


# What a command answers, by its declared type, where that says it: the new record's id
# (``str`` answers are ids too), a form's new version, nothing. A record (``dict``) has no
# example: its keys are the service's, not declared.
ANSWERS: Mapping[Any, Any] = {uuid.UUID: IDS["union"], str: IDS["initiative"], int: 2,
                              type(None): None, list[uuid.UUID]: [IDS["union"], IDS["parent"]]}


def answer(op: Operation) -> dict[str, Any] | None:
    """The example answer of a command, ``{"result": …}``, when its declared type tells it."""
    try:
        return {"result": ANSWERS[op.returns]} if op.returns in ANSWERS else None
    except TypeError:  # an unhashable annotation: no example
        return None


def _id(name: str) -> str | None:
    key = ID_OF.get(name) or (name[:-3] if name.endswith("_id") else
                              name[:-4] if name.endswith("_ids") else None)
    return IDS.get(key) if key else None


def _value(name: str, schema: Mapping[str, Any]) -> Any:
    """The common value of a field: from ``VALUES``, an id placeholder, or by its type."""
    if name in VALUES:
        return VALUES[name]
    options = [s for s in schema.get("anyOf", [schema]) if s.get("type") != "null"] or [{}]
    kind = options[0]
    if kind.get("type") == "array":
        item = kind.get("items", {})
        placeholder = _id(name)
        if item.get("format") == "uuid" and placeholder:
            return [placeholder]
        return [_value(name, item)]
    if kind.get("format") == "uuid":
        return _id(name) or IDS["union"]
    if kind.get("format") == "date":
        return "2025-03-15"
    if "enum" in kind:
        return kind["enum"][0]
    return {"integer": 1, "number": 1.0, "boolean": True, "string": name}.get(
        kind.get("type", ""), name)


def example(op: Operation) -> dict[str, Any]:
    """The example request of a command: every required field, and the optional ones its
    entry in ``EXAMPLES`` shows."""
    given = EXAMPLES.get(op.name, {})
    return {p.name: given[p.name] if p.name in given else _value(p.name, p.schema)
            for p in op.params if p.required or p.name in given}
