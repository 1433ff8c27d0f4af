"""The e-mail of a reminder, and how it leaves: over SMTP (``EMU_SMTP_HOST``,
``EMU_SMTP_PORT``), or, with no SMTP server configured (``make run``), as a ``.eml`` file
under ``<EMU_DATA_DIR>/mail/`` named after the reminder, so a mail written again after a crash
replaces itself.

The Message-ID is derived from the reminder (``domain.message_id``): a mail sent again because
the service died after the server accepted it and before it recorded so carries the same one,
and mail clients show one message.
"""

from __future__ import annotations

import os
import smtplib
from datetime import date
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import Any

from runtime.config import Settings

KIND_TITLES = {
    "initiative_decision": "Hạn xét công nhận sáng kiến (3 tháng)",
    "half_year": "Hạn sơ kết 6 tháng",
    "annual": "Hạn tổng kết năm",
    "dossier_returned": "Hồ sơ khen thưởng bị trả lại",
    "nomination_pending": "Đề nghị khen thưởng chờ quyết định",
    "difficulty_answer": "Khó khăn, vướng mắc chờ trả lời",
}
SUBJECTS = {"individual": "cá nhân", "collective": "tập thể"}
STAGE_TITLES = {"before": "Sắp đến hạn", "at": "Đến hạn"}


class MailNotSent(Exception):
    """The server refused the mail or could not be reached; it is tried again, then parked."""


def vn_date(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def describe(kind: str, subject: dict[str, Any]) -> str:
    """What a reminder is about, in the words of a union office."""
    if kind == "initiative_decision":
        return (f"Sáng kiến {subject.get('reference', '')} “{subject.get('name', '')}” đăng ký "
                f"ngày {vn_date(date.fromisoformat(subject['registered_on']))} cần được xét "
                f"công nhận hoặc từ chối trong thời hạn 3 tháng.")
    if kind in ("half_year", "annual"):
        period = str(subject.get("period", ""))
        label = f"tổng kết năm {period}" if kind == "annual" else \
            f"sơ kết {'6 tháng đầu' if period.endswith('H1') else '6 tháng cuối'} năm {period[:4]}"
        return f"Công đoàn cần tổ chức {label} phong trào thi đua."
    if kind == "nomination_pending":
        return (f"Đề nghị khen thưởng {SUBJECTS.get(subject.get('subject', ''), '')} năm "
                f"{subject.get('year')} đang chờ xét, quyết định.")
    if kind == "dossier_returned":
        missing = ", ".join(str(m) for m in subject.get("missing") or []) or "—"
        return (f"Hồ sơ đề nghị khen thưởng bị trả lại (lần {subject.get('round')}); cần bổ sung "
                f"và gửi lại. Còn thiếu: {missing}.")
    if kind == "difficulty_answer":
        return (f"Khó khăn, vướng mắc “{subject.get('subject', '')}” do công đoàn cấp dưới báo "
                f"cáo ngày {vn_date(date.fromisoformat(subject['reported_on']))} đang chờ Ban "
                f"Chính sách – Pháp luật trả lời.")
    return "Có việc cần xử lý."


def compose(reminder: Any, to: str, message_id: str, sender: str, sent_at: Any) -> EmailMessage:
    title = KIND_TITLES.get(reminder.kind, reminder.kind)
    stage = STAGE_TITLES.get(reminder.stage, reminder.stage)
    message = EmailMessage()
    message["Message-ID"] = message_id
    message["From"] = sender
    message["To"] = to
    message["Date"] = format_datetime(sent_at)
    message["Subject"] = f"[{stage}] {title} — hạn {vn_date(reminder.due_on)}"
    message["X-Emulation-Reminder"] = str(reminder.id)
    message.set_content(
        f"Kính gửi đồng chí,\n\n{describe(reminder.kind, reminder.subject)}\n"
        f"Thời hạn: {vn_date(reminder.due_on)}.\n\n"
        "Xem chi tiết trong ứng dụng Phong trào thi đua (biểu tượng chuông).\n"
        "Đồng chí có thể tắt thông báo qua thư điện tử trong mục Thông báo.\n")
    return message


class Mailer:
    def __init__(self, settings: Settings) -> None:
        self.host = settings.smtp_host
        self.port = settings.smtp_port
        self.timeout = settings.number("EMU_SMTP_TIMEOUT", 10.0)
        self.directory = settings.data_dir / "mail"

    @property
    def target(self) -> str:
        return f"smtp://{self.host}:{self.port}" if self.host else str(self.directory)

    def send(self, message: EmailMessage, name: str) -> None:
        """Hands the mail over; returns once the server accepted it (or the file is written)."""
        if not self.host:
            self._write(message, name)
            return
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
                refused = smtp.send_message(message)
        except (smtplib.SMTPException, OSError) as exc:
            raise MailNotSent(f"{type(exc).__name__}: {exc}") from exc
        if refused:  # accepted for some recipients only: there is only one
            raise MailNotSent(f"refused: {refused}")

    def _write(self, message: EmailMessage, name: str) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        path = self.directory / f"{name}.eml"
        partial = Path(f"{path}.part")
        with open(partial, "wb") as out:
            out.write(message.as_bytes())
            out.flush()
            os.fsync(out.fileno())
        os.replace(partial, path)
