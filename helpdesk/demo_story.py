"""The demo district's term, as data: sessions, their notes and reflections, tips that came from
them, and help requests in every state. helpdesk.demo_history plays it through the services.

People are named as in helpdesk.demo; skills by their demo names. `days_ago` places a session on
the first day from then on when its mentor is free (negative: in the future).
"""

from dataclasses import dataclass, field

from helpdesk.bookings.models import BookingFormat

IN_PERSON, ONLINE = BookingFormat.IN_PERSON, BookingFormat.ONLINE
MEET = "https://meet.google.com/lhs-tech-team"


@dataclass(frozen=True)
class Notes:
    covered: str
    steps: str = ""
    links: str = ""


@dataclass(frozen=True)
class TeacherReflection:
    learned: str
    rating: int
    classroom_use: str = ""
    view_change: str = ""
    kudos: str = ""


@dataclass(frozen=True)
class MentorReflection:
    went_well: str
    try_next: str = ""


@dataclass(frozen=True)
class TipFrom:
    title: str
    body: str
    published: bool = True  # False: sent for review, waiting for the advisor


@dataclass(frozen=True)
class Session:
    key: str
    mentor: str
    teacher: str
    skill: str
    days_ago: int
    minutes: int
    format: BookingFormat
    topic: str
    goal: str
    # completed, no_show, cancelled, declined, approved, requested, snow_day, conference_day
    outcome: str
    room: str = ""
    reason: str = ""  # why it was cancelled or declined
    notes: Notes | None = None
    teacher_reflection: TeacherReflection | None = None
    mentor_reflection: MentorReflection | None = None
    tip: TipFrom | None = None


SESSIONS: list[Session] = [
    Session(
        "book-trailers", "Maya Chen", "Helen Park", "Video podcasts", 85, 30, IN_PERSON,
        "Recording a book-trailer assignment",
        "Show my 9th graders how to record and trim a 60-second book trailer on the iPads.",
        "completed", room="Library media room",
        notes=Notes(
            "Recorded a sample trailer in iMovie, trimmed clips, added a title card.",
            "1. Storyboard on paper first\n2. Record clips in the Camera app\n"
            "3. Trim in iMovie and add titles\n4. Export to the class folder",
        ),
        teacher_reflection=TeacherReflection(
            "How to trim clips and keep trailers under a minute.", 5,
            classroom_use="Every student made a trailer the following week.",
            kudos="Maya was so patient; my students made trailers the same week!",
        ),
        mentor_reflection=MentorReflection(
            "Starting with a storyboard saved a lot of time.",
            "Bring a finished example next time so the goal is clear from the start.",
        ),
        tip=TipFrom(
            "Record a 60-second book trailer on an iPad",
            "1. Plan **four shots** on a paper storyboard.\n2. Record each shot in the Camera "
            "app.\n3. In iMovie choose **Create project → Movie**, add the clips and drag the "
            "yellow handles to trim.\n4. Add a title card, then **Share → Save video**.\n\n"
            "Keep faces out of shots if the trailers will be posted.",
        ),
    ),
    Session(
        "classroom-rubrics", "Priya Natarajan", "Linda Alvarez", "Google Classroom", 80, 30,
        ONLINE, "Grading with rubrics in Classroom",
        "Attach a rubric to an assignment and grade with it.", "completed",
        notes=Notes(
            "Built a four-criterion rubric, reused it on a second assignment, graded two samples.",
            "Create assignment → Rubric → Create rubric; reuse with Reuse rubric.",
        ),
        teacher_reflection=TeacherReflection(
            "Rubrics can be reused and exported to Sheets.", 5,
            view_change="Grading feels less like a chore now.",
            kudos="Priya explained it more clearly than the training video.",
        ),
        mentor_reflection=MentorReflection("We got through everything in 25 minutes."),
    ),
    Session(
        "projector-signal", "Jordan Ellis", "Susan Ito", "Troubleshooting", 74, 20, IN_PERSON,
        "Projector keeps losing the laptop signal",
        "Know what to check before calling IT when the projector shows No Signal.",
        "completed", room="Room 214",
        notes=Notes(
            "Loose HDMI at the wall plate; showed the input button and Windows + P.",
            "Check the cable at both ends, the projector input, then Windows + P → Duplicate.",
        ),
        teacher_reflection=TeacherReflection(
            "The three things to check before calling IT.", 5,
            classroom_use="Fixed it myself the next morning in two minutes.",
        ),
        mentor_reflection=MentorReflection(
            "Ms. Ito wrote the checklist on a sticky note for the projector.",
            "Make a printable checklist for every room.",
        ),
        tip=TipFrom(
            "When the projector says No Signal: a three-minute checklist",
            "1. Check the HDMI cable **at both ends**, including the wall plate.\n"
            "2. Press **Input** (or **Source**) on the projector until it shows HDMI.\n"
            "3. On Windows press **Windows + P → Duplicate**; on a Mac, **Displays → Mirror**.\n\n"
            "Still nothing? Try another cable before asking IT.",
        ),
    ),
    Session(
        "weighted-gradebook", "Lucas Moreau", "Patricia Dunn", "Spreadsheets", 66, 45, IN_PERSON,
        "A gradebook that weights categories",
        "Build a Google Sheets gradebook where tests count 50%, quizzes 30% and homework 20%.",
        "completed", room="Math office",
        notes=Notes(
            "Built category averages with AVERAGEIF and a weighted total with SUMPRODUCT.",
            "=SUMPRODUCT(B2:D2, $B$1:$D$1) with the weights in row 1.",
        ),
        teacher_reflection=TeacherReflection(
            "SUMPRODUCT does weighted averages in one formula.", 4,
            classroom_use="Shared the template with the whole math department.",
        ),
        mentor_reflection=MentorReflection(
            "Ms. Dunn already knew AVERAGE, so we could go fast.",
            "Show conditional formatting for missing work next time.",
        ),
        tip=TipFrom(
            "Weighted grade categories in Google Sheets",
            "Put the weights in row 1 (e.g. `0.5`, `0.3`, `0.2`) and each student's category "
            "averages in columns B–D. The weighted grade is:\n\n"
            "`=SUMPRODUCT(B2:D2, $B$1:$D$1)`\n\nThe dollar signs keep the weights fixed "
            "when you fill the formula down.",
        ),
    ),
    Session(
        "class-website", "Aisha Bello", "Karen Lindqvist", "Class websites", 60, 45, ONLINE,
        "A class website parents can find things on",
        "Reorganise my Google Site so parents find homework and the calendar in one click.",
        "completed",
        notes=Notes("Made a top menu with Homework, Calendar and Contact; embedded the calendar."),
        teacher_reflection=TeacherReflection(
            "Embedding a Google Calendar keeps the site up to date by itself.", 5,
            kudos="Aisha made my site look professional in one session.",
        ),
        mentor_reflection=MentorReflection("Mrs. Lindqvist had clear goals; easy to plan."),
    ),
    Session(
        "airdrop-display", "Ava Thompson", "Robert Gaines", "iPad apps", 55, 20, IN_PERSON,
        "Showing kindergartners' drawings on the big screen",
        "AirDrop student drawings from the iPads to the classroom display.", "completed",
        room="Kindergarten room K2",
        notes=Notes("Turned on AirPlay on the display and showed AirDrop to the teacher's iPad."),
        teacher_reflection=TeacherReflection(
            "AirPlay to the display works from any class iPad.", 5,
            kudos="Ava showed my kindergartners how to share their drawings; they cheered.",
        ),
        mentor_reflection=MentorReflection("The kids loved seeing their pictures big."),
    ),
    Session(
        "gmail-labels", "Noah Kim", "Nancy Huang", "Email & cloud storage", 48, 30, ONLINE,
        "Taming a full Gmail inbox", "Sort parent emails automatically with labels and filters.",
        "completed",
        notes=Notes("Created labels per class and filters on the parents' domain."),
        teacher_reflection=TeacherReflection(
            "Filters can label and skip the inbox at once.", 4,
        ),
        mentor_reflection=MentorReflection("Good session.", "Cover search operators next time."),
    ),
    Session(
        "display-annotate", "Ethan Novak", "Angela Moretti", "Interactive whiteboards", 40, 30,
        IN_PERSON, "Writing over slides on the interactive display",
        "Annotate over any app during a lesson and save the notes for absent students.",
        "completed", room="Room 108",
        notes=Notes("Showed the floating toolbar, the screenshot-annotate tool and saving to Drive."),
        teacher_reflection=TeacherReflection(
            "The floating toolbar works over every app.", 5,
            kudos="Ethan knew every button on that display.",
        ),
        mentor_reflection=MentorReflection("Ms. Moretti tried every tool herself; great."),
        tip=TipFrom(
            "Annotate over any app on the interactive display",
            "Tap the **floating toolbar** (the small circle on the screen's edge) and choose "
            "the pen. It draws over whatever is on screen. **Save** puts a picture of the "
            "screen with your notes in Drive, for students who were absent.",
            published=False,
        ),
    ),
    Session(
        "class-blog", "Sofia Ramirez", "Ruth Abernathy", "Social media & blogs", 34, 30, ONLINE,
        "A class blog with safe sharing settings",
        "Start a class blog where students post without sharing last names or faces.",
        "completed",
        notes=Notes("Set the blog to district-only, added a posting checklist for students."),
        teacher_reflection=TeacherReflection(
            "How to keep the blog visible to the district only.", 5,
            kudos="Sofia thought of privacy questions I had not.",
        ),
        mentor_reflection=MentorReflection("We wrote the student checklist together."),
    ),
    Session(
        "ipad-mirroring", "Leo Martins", "Helen Park", "iPad apps", 27, 30, IN_PERSON,
        "Mirroring an iPad for a live demo", "Mirror my iPad to the projector during a lesson.",
        "completed", room="Library",
        notes=Notes("Screen Mirroring from Control Center; the library display's code."),
        teacher_reflection=TeacherReflection("Control Center → Screen Mirroring.", 4),
        mentor_reflection=MentorReflection(
            "I wrote the steps down as I promised.", "Practise explaining without my notes."
        ),
    ),
    Session(
        "suggesting-mode", "Priya Natarajan", "Michael Brennan", "Google Docs & Slides", 20, 30,
        ONLINE, "Peer review with Suggesting mode",
        "Have 5th graders review each other's stories without overwriting them.", "completed",
        notes=Notes("Suggesting mode, comments with @mentions, accepting suggestions."),
        teacher_reflection=TeacherReflection(
            "Suggesting mode keeps the writer in charge of their text.", 5,
            classroom_use="Used it for the narrative writing unit.",
        ),
        mentor_reflection=MentorReflection("Mr. Brennan will try it with his class on Monday."),
        tip=TipFrom(
            "Peer review in Google Docs with Suggesting mode",
            "Open the document, click the **pencil** (top right) and pick **Suggesting**. "
            "Edits show as suggestions the writer accepts or rejects one by one.\n\n"
            "- Share with reviewers as **Commenter** so they cannot switch back to Editing.",
        ),
    ),
    Session(
        "seesaw-portfolios", "Hana Yilmaz", "David Osei", "Digital portfolios", 13, 20, IN_PERSON,
        "Posting class work to Seesaw", "Post a class activity and approve student posts.",
        "completed", room="Room 3",
        notes=Notes("Created an activity, students posted photos, approved them from the queue."),
        teacher_reflection=TeacherReflection(
            "Approving posts from the queue is quick.", 5,
            kudos="Hana is the best teacher's helper in the building!",
        ),
        mentor_reflection=MentorReflection("Mr. Osei asked good questions."),
    ),
    Session(
        "podcast-editing", "Maya Chen", "Helen Park", "Video podcasts", 9, 45, IN_PERSON,
        "Editing a class podcast episode", "Cut a 20-minute recording into a 5-minute episode.",
        "completed", room="Library media room",
        notes=Notes(
            "Cut silences, added intro music from the free library, exported as MP3.",
            "Split at the playhead, delete, then Share → Export audio.",
        ),
        mentor_reflection=MentorReflection("We finished the whole episode."),
    ),
    Session(
        "classroom-guardians", "Lucas Moreau", "Susan Ito", "Google Classroom", 6, 30, ONLINE,
        "Guardian summaries in Classroom", "Invite parents to weekly email summaries.",
        "completed",
        notes=Notes("Invited guardians from the People tab; set summaries to weekly."),
        teacher_reflection=TeacherReflection("Guardian summaries are per student.", 4),
        mentor_reflection=MentorReflection("Short and useful."),
    ),
    Session(
        "chromebook-setup", "Zoe Adeyemi", "James Whitaker", "Chromebooks", 45, 30, ONLINE,
        "Setting up a Chromebook cart", "Sign students in quickly at the start of class.",
        "no_show",
    ),
    Session(
        "chromebook-printing", "Ethan Novak", "Thomas Reed", "Chromebooks", 16, 20, ONLINE,
        "Printing from Chromebooks", "Print to the hallway printer from a Chromebook.", "no_show",
    ),
    Session(
        "docs-outline", "Noah Kim", "Paul Fitzgerald", "Google Docs & Slides", 38, 30, ONLINE,
        "Using the document outline", "Navigate long documents with headings and the outline.",
        "cancelled", reason="A fire drill moved into that period; I'll book another time.",
    ),
    Session(
        "portfolio-rubric", "Aisha Bello", "Brian Castillo", "Digital portfolios", 12, 45, ONLINE,
        "Grading digital portfolios", "Set up a portfolio rubric for the science fair.",
        "cancelled", reason="Parent conferences were moved to that afternoon.",
    ),
    Session(
        "wifi-drops", "Jordan Ellis", "Karen Lindqvist", "Troubleshooting", 25, 20, IN_PERSON,
        "Wi-Fi drops in the back of the room",
        "Find out why the back row keeps losing Wi-Fi.", "declined", room="Room 120",
        reason="I have a chemistry lab test that period; could you choose another time?",
    ),
    Session(
        "slides-templates", "Priya Natarajan", "Angela Moretti", "Google Docs & Slides", 0, 30,
        IN_PERSON, "Slide templates for the department", "Make a shared Slides theme.",
        "snow_day", room="Room 108",
    ),
    Session(
        "ipad-restrictions", "Leo Martins", "Nancy Huang", "iPad apps", 0, 30, IN_PERSON,
        "Guided Access for testing", "Lock an iPad to one app during a quiz.", "snow_day",
        room="Library",
    ),
    Session(
        "youtube-clips", "Maya Chen", "Helen Park", "Video podcasts", -1, 30, IN_PERSON,
        "Making short how-to videos", "Record a two-minute how-to video for absent students.",
        "approved", room="Library media room",
    ),
    Session(
        "captions-today", "Maya Chen", "Angela Moretti", "Video podcasts", 0, 30, IN_PERSON,
        "Captions for the science videos", "Add and correct captions before sharing videos.",
        "approved", room="Room 108",
    ),
    Session(
        "classroom-topics", "Priya Natarajan", "Patricia Dunn", "Google Classroom", -2, 30,
        ONLINE, "Organising Classroom by topic", "Group the stream's work by unit.", "approved",
    ),
    Session(
        "ipad-reading", "Ava Thompson", "Robert Gaines", "iPad apps", -2, 20, IN_PERSON,
        "Reading apps for centers", "Set up the reading app on six iPads for centers.",
        "approved", room="Kindergarten room K2",
    ),
    Session(
        "sound-check", "Jordan Ellis", "Ruth Abernathy", "Troubleshooting", -3, 20, IN_PERSON,
        "Speakers for the school play rehearsal", "Get the laptop's sound to the room speakers.",
        "approved", room="Auditorium",
    ),
    Session(
        "sheets-signups", "Lucas Moreau", "Karen Lindqvist", "Spreadsheets", 0, 30, ONLINE,
        "A sign-up sheet for conferences", "A Sheets sign-up that stops at 3 per slot.",
        "conference_day",
    ),
    Session(
        "instagram-policy", "Sofia Ramirez", "Angela Moretti", "Social media & blogs", 0, 30,
        ONLINE, "Sharing class photos safely", "What can go on the class account.",
        "conference_day",
    ),
    Session(
        "newsletter", "Noah Kim", "Susan Ito", "Email & cloud storage", -3, 30, ONLINE,
        "A parent newsletter in Gmail", "Send a tidy newsletter with a layout.", "requested",
    ),
    Session(
        "site-refresh", "Maya Chen", "Michael Brennan", "Class websites", -4, 45, ONLINE,
        "Refreshing the 5th-grade website", "Add a page for the science fair.", "requested",
    ),
    Session(
        "chromebook-cart", "Mateo Silva", "James Whitaker", "Chromebooks", -5, 30, IN_PERSON,
        "Chromebook cart sign-in", "Get 25 students signed in within five minutes.", "requested",
        room="Room 12",
    ),
]  # fmt: skip


@dataclass(frozen=True)
class Message:
    author: str  # "requester" or "mentor"
    body: str


@dataclass(frozen=True)
class Ask:
    key: str
    requester: str
    skill: str
    hours_ago: int  # when it was asked, in hours before now
    summary: str
    details: str
    urgency: str  # now, week, whenever
    outcome: str  # open, claimed, waiting, resolved, closed, escalated, self_served
    mentor: str = ""
    device: str = ""
    room: str = ""
    messages: list[Message] = field(default_factory=list)
    tip_title: str = ""  # self-served with this demo tip; resolved: becomes a draft tip


ASKS: list[Ask] = [
    Ask(
        "cart-charging", "Helen Park", "Chromebooks", 150,
        "Chromebook cart won't charge overnight",
        "Half the Chromebooks were at 10% this morning although the cart was plugged in.",
        "week", "open", device="Chromebook cart", room="Library",
    ),
    Ask(
        "classroom-not-found", "Thomas Reed", "Google Classroom", 2,
        "Two students get 'class not found' in Classroom",
        "They type the class code and get an error; everyone else joined fine.",
        "now", "open", device="Chromebooks", room="Room 9",
    ),
    Ask(
        "library-display", "Grace Okafor", "Interactive whiteboards", 20,
        "The library display shows a blue screen",
        "It says 'No source' in blue when I turn it on, with the laptop connected.",
        "whenever", "open", room="Library",
    ),
    Ask(
        "video-too-big", "Nancy Huang", "Video podcasts", 5,
        "A student video is too big to upload to Classroom",
        "The file is 2 GB and the upload stops halfway.", "week", "open", device="iPad",
    ),
    Ask(
        "room-speakers", "Susan Ito", "Troubleshooting", 28, "Sound doesn't play through the room speakers",
        "Videos play on the laptop speakers only.", "week", "claimed", mentor="Jordan Ellis",
        room="Room 214",
        messages=[Message("mentor", "I'll come by during Period 6 with a spare audio cable.")],
    ),
    Ask(
        "share-slides", "Linda Alvarez", "Google Docs & Slides", 50,
        "Can't share a Slides deck with another teacher",
        "Sharing says the address is outside the organisation.", "week", "waiting",
        mentor="Priya Natarajan",
        messages=[
            Message("mentor", "Is the other teacher's address @demo-district.example.org, or "
                    "a personal Gmail? Could you send a screenshot of the message?"),
        ],
    ),
    Ask(
        "parent-spam", "Nancy Huang", "Email & cloud storage", 130,
        "Parents' emails go to spam", "Several parents say I never answered; their emails "
        "were in Spam.", "week", "resolved", mentor="Noah Kim",
        messages=[
            Message("mentor", "Open one of the emails in Spam, click 'Report not spam', then "
                    "create a filter: From contains the parent's address → Never send it to "
                    "Spam."),
            Message("requester", "That worked, thank you!"),
        ],
        tip_title="Keep parents' emails out of Spam",
    ),
    Ask(
        "remote-lost", "Angela Moretti", "Interactive whiteboards", 200,
        "The display's remote is missing", "How do I change the input without the remote?",
        "whenever", "resolved", mentor="Ethan Novak",
        messages=[Message("mentor", "Use the buttons on the right side of the display: "
                          "the middle one is Input. I also asked the office for a new remote.")],
    ),
    Ask(
        "printer-jam", "Paul Fitzgerald", "Troubleshooting", 160, "The hallway printer jams",
        "Every second page jams.", "week", "closed",
    ),
    Ask(
        "student-password", "Samuel Reyes", "Accounts & passwords", 30,
        "Reset a student's district password", "A 5th grader cannot sign in after the break.",
        "now", "escalated",
    ),
    Ask(
        "lost-unit-plan", "Karen Lindqvist", "Email & cloud storage", 90,
        "I lost my unit plan document", "It was in Drive last week and now I can't find it.",
        "week", "self_served", tip_title="Find a lost file in Google Drive",
    ),
]  # fmt: skip
