"""Published demo tips for the demo district; repeatable (each is created once, keyed by its
first title: an advisor's edits to a demo tip stay)."""

from datetime import timedelta

from helpdesk import demo_records
from helpdesk.accounts.models import User
from helpdesk.clock import utcnow
from helpdesk.extensions import db
from helpdesk.skills.models import Skill
from helpdesk.tips.markdown import render_plain
from helpdesk.tips.models import Device, Tip, TipEvent, TipStatus

# (title, preferred skill name words, devices, body)
DEMO_TIPS: list[tuple[str, tuple[str, ...], Device, str]] = [
    (
        "Share a Google Doc so students can comment but not edit",
        ("google docs", "google"),
        Device.ANY,
        "1. Open the document and choose **Share**.\n2. Under *General access* pick "
        "**Anyone in the district with the link**.\n3. Set the role to **Commenter**.\n\n"
        "Students can now suggest changes; you accept or reject each one.",
    ),
    (
        "Make a copy of a Google Doc for every student in Classroom",
        ("google classroom", "classroom"),
        Device.ANY,
        "When you create an assignment, attach the Doc and choose **Make a copy for each "
        "student**. Each copy is named with the student's name and shared with you.",
    ),
    (
        "Trim the start and end of a clip in iMovie",
        ("video", "imovie"),
        Device.IPAD | Device.MAC,
        "Tap the clip in the timeline, then drag the yellow handles at either end.\n\n"
        "- Pinch the timeline to zoom for a precise cut.\n- **Split** (Actions menu) cuts "
        "a clip in two where the playhead is.",
    ),
    (
        "Mirror a Chromebook screen to the classroom display",
        ("chromebook", "projector"),
        Device.CHROMEBOOK,
        "Open the quick settings (clock, bottom right) and choose **Cast**. Pick the "
        "display's name. If it is missing, check that both are on the staff Wi-Fi.",
    ),
    (
        "Post an announcement to several Google Classroom classes at once",
        ("google classroom", "classroom"),
        Device.ANY,
        "In the Stream, choose **Announce something to your class**, then open the "
        "**For** menu and tick every class that should see it.",
    ),
    (
        "Schedule a Canvas announcement for Monday morning",
        ("canvas", "lms"),
        Device.ANY,
        "Write the announcement, tick **Delay posting**, and set the date and time. "
        "Students see it then, and it appears in their notifications.",
    ),
    (
        "Record your screen with narration on a Chromebook",
        ("chromebook", "video"),
        Device.CHROMEBOOK,
        "Press **Ctrl + Shift + Show windows**, choose the video camera, switch the "
        "microphone on in the settings gear, and select the full screen or a window. "
        "The recording lands in *Downloads*.",
    ),
    (
        "Stop an iPad from auto-locking during a lesson",
        ("ipad",),
        Device.IPAD,
        "Settings → **Display & Brightness** → **Auto-Lock** → *Never*. Set it back after "
        "the lesson to save the battery.",
    ),
    (
        "Connect a Windows laptop to the projector and show the same picture",
        ("projector", "windows"),
        Device.WINDOWS,
        "Plug in the HDMI cable, then press **Windows + P** and choose **Duplicate**. "
        "Choose **Extend** to keep your notes on the laptop only.",
    ),
    (
        "Turn a Google Form quiz into self-grading",
        ("google forms", "google"),
        Device.ANY,
        "Settings → **Make this a quiz**. For each question choose **Answer key**, mark "
        "the right answer and its points. Release grades *immediately after each submission*.",
    ),
    (
        "Find a lost file in Google Drive",
        ("google drive", "google"),
        Device.ANY,
        "Search Drive with `owner:me type:document` and a word you remember. Check "
        "**Trash** too: files stay there for 30 days.",
    ),
    (
        "Add captions to a video before sharing it with the class",
        ("video",),
        Device.ANY,
        "Upload to the district's video channel, open **Subtitles**, and let it draft "
        "captions. Read them through and fix names and subject words before publishing.",
    ),
]


def _pick_skill(skills: list[Skill], preferred: tuple[str, ...], index: int) -> Skill:
    for words in preferred:
        for skill in skills:
            if words in skill.name.lower():
                return skill
    return skills[index % len(skills)]


def seed_demo_tips(mentors: list[User], skills: list[Skill], advisor: User) -> int:
    """Create the demo tips that are missing, published, credited to mentors; returns how many."""
    if not mentors or not skills:
        return 0
    existing = set(db.session.scalars(db.select(Tip.title)))
    created: list[Tip] = []
    for index, (title, preferred, devices, body) in enumerate(DEMO_TIPS):
        if demo_records.created(f"tip:{title}") is not None:
            continue
        if title in existing:  # seeded before the demo kept records
            demo_records.remember(f"tip:{title}", None)
            continue
        skill = _pick_skill(skills, preferred, index)
        mentor = mentors[index % len(mentors)]
        tip = Tip(
            title=title,
            body=body,
            body_text=render_plain(body),
            tags_text=skill.name,
            devices=int(devices),
            author_id=mentor.id,
            mentor_id=mentor.id,
            status=TipStatus.PUBLISHED,
            # The library grew over the term before the demo's first day (see demo_story).
            created_at=utcnow() - timedelta(days=100 - 5 * index),
            published_at=utcnow() - timedelta(days=98 - 5 * index),
            view_count=(index * 7) % 40,
            helpful_count=(index * 3) % 11,
        )
        tip.skills = [skill]
        db.session.add(tip)
        created.append(tip)
    db.session.flush()
    for tip in created:
        demo_records.remember(f"tip:{tip.title}", tip.id)
    for tip in created:  # the advisor reviewed and published them
        db.session.add(
            TipEvent(tip_id=tip.id, actor_id=advisor.id, from_status=TipStatus.SUBMITTED,
                     to_status=TipStatus.PUBLISHED)
        )  # fmt: skip
    db.session.flush()
    return len(created)
