from sqlalchemy import Text
from sqlalchemy.orm import Mapped, mapped_column

from helpdesk.extensions import db


class SafeguardingSettings(db.Model):
    """The advisor's safeguarding settings; one row. Lists hold one host per line."""

    __tablename__ = "safeguarding_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The district's own domains: its meeting links are allowed, its name shows in help.
    district_domains: Mapped[str] = mapped_column(Text, default="")
    # Where online sessions may meet (besides the district's domains).
    meeting_hosts: Mapped[str] = mapped_column(Text, default="")

    @property
    def district_domain_list(self) -> list[str]:
        return _lines(self.district_domains)

    @property
    def meeting_host_list(self) -> list[str]:
        return _lines(self.meeting_hosts)

    @property
    def allowed_meeting_hosts(self) -> list[str]:
        return list(dict.fromkeys(self.district_domain_list + self.meeting_host_list))


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]
