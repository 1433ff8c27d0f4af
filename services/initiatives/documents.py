"""The recognition documents of an initiative, as PDF in the shared administrative layout
(``runtime.documents``): the decision recognising it (quyết định công nhận sáng kiến, R3.4,
R3.7) and each author's certificate of recognition (giấy chứng nhận sáng kiến).

Pure functions from a mapping to bytes: the application gathers the words from the
initiative's record and the registry's facts; nothing internal (ids, rule book versions) is
printed."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from runtime import documents as layout

SCOPE_WORDS = {"grassroots": "trong phạm vi cơ sở",
               "direct_superior": "trong phạm vi công đoàn cấp trên trực tiếp cơ sở",
               "province": "trong phạm vi toàn tỉnh"}


def recognition_decision(data: Mapping[str, Any]) -> bytes:
    """Điều 1 recognises the initiative, its authors and their shares, and its scope."""
    on = date.fromisoformat(data["decided_on"])
    authors = ", ".join(f"{a['full_name']} ({a['share']}%)" if a.get("share") else a["full_name"]
                        for a in data["authors"])
    blocks = [layout.centered(data["deciding_body"].upper()),
              *(layout.paragraph(f"Căn cứ {basis};", italic=True) for basis in data["basis"])]
    if council := data.get("council"):
        blocks.append(layout.paragraph(council, italic=True))
    if evaluation := data.get("evaluation"):
        blocks.append(layout.paragraph(evaluation, italic=True))
    blocks += [
        layout.centered("QUYẾT ĐỊNH:"),
        layout.article("Điều 1.", f"Công nhận sáng kiến “{data['title']}” của "
                                  f"{'tác giả' if len(data['authors']) == 1 else 'các tác giả'} "
                                  f"{authors}, đơn vị {data['unit']}, là sáng kiến có hiệu quả "
                                  f"áp dụng {SCOPE_WORDS.get(data['scope'], '')}."),
        layout.article("Điều 2.", "Tác giả sáng kiến được hưởng các quyền lợi theo quy định "
                                  "hiện hành."),
        layout.article("Điều 3.", "Các đồng chí có tên tại Điều 1 và các bộ phận liên quan "
                                  "chịu trách nhiệm thi hành Quyết định này./.")]
    return layout.administrative(
        issuer=data["issuer"], superior=data.get("superior"),
        number=layout.number_line(data.get("number"), "QĐ"),
        place_date=layout.place_date(data["place"], on), kind="QUYẾT ĐỊNH",
        subject="Về việc công nhận sáng kiến", blocks=blocks, signer=data["signer"],
        recipients=["Như Điều 3;", "Lưu: VT."], on=on, verification=data.get("verification"))


def recognition_certificates(data: Mapping[str, Any]) -> bytes:
    """One certificate of recognition per author, landscape A4."""
    on = date.fromisoformat(data["decided_on"])
    reference = (f"Quyết định số {data['number']} ngày {on.day:02d}/{on.month:02d}/{on.year}"
                 if data.get("number") else "")
    items = [layout.certificate(
        kind="Giấy chứng nhận sáng kiến", verb="CẤP", conferred_by=data["deciding_body"],
        name_label="Cho đồng chí", name=a["full_name"], unit=a.get("unit") or data["unit"],
        achievement=f"Tác giả sáng kiến “{data['title']}”, được công nhận có hiệu quả áp dụng "
                    f"{SCOPE_WORDS.get(data['scope'], '')}",
        reference=reference, place_date=layout.place_date(data["place"], on),
        signer=data["signer"]) for a in data["authors"]]
    return layout.certificates(f"Giấy chứng nhận sáng kiến “{data['title']}”",
                               data["deciding_body"], items, on, data.get("verification"))
