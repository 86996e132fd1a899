from flask_wtf import FlaskForm
from wtforms import SubmitField, TextAreaField
from wtforms.validators import Length

from helpdesk.forms_common import multi_line


class SafeguardingSettingsForm(FlaskForm):
    district_domains = TextAreaField(
        "The district's domains",
        validators=[Length(max=5000), multi_line],
        description="One per line, e.g. district.example.org. Online sessions may meet on "
        "these and their subdomains.",
    )
    meeting_hosts = TextAreaField(
        "Other allowed meeting services",
        validators=[Length(max=5000), multi_line],
        description="One host per line. The default: meet.google.com, teams.microsoft.com "
        "and zoom.us. A link must use https and this host or a subdomain of it.",
    )
    submit = SubmitField("Save settings")
