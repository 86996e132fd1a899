"""Account rules: signing in, passwords, invitations, resets, deactivation."""

from flask import current_app

from helpdesk.accounts import tokens
from helpdesk.accounts.models import Role, User
from helpdesk.accounts.passwords import check_password_rules, hash_password, verify_password
from helpdesk.clock import utcnow
from helpdesk.extensions import db
from helpdesk.formatting import plural
from helpdesk.links import absolute_url
from helpdesk.mail.services import send_email
from helpdesk.plain_text import single_line_problem
from helpdesk.schools.models import School


class AccountError(ValueError):
    """An account change that breaks a rule; the message is safe to show."""


def normalize_email(email: str) -> str:
    return email.strip().lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(db.select(User).where(User.email == normalize_email(email)))


def load_user_for_session(user_id: str) -> User | None:
    """Flask-Login loader: the id carries the session version, so old cookies stop working."""
    raw_id, _, version = user_id.partition(":")
    if not raw_id.isdigit() or not version.isdigit():
        return None
    user = db.session.get(User, int(raw_id))
    if user is None or not user.is_active or user.session_version != int(version):
        return None
    return user


def authenticate(email: str, password: str) -> User | None:
    """The active user with these credentials, or None; both failures look the same."""
    user = find_user_by_email(email)
    ok = verify_password(user.password_hash if user else None, password)
    if user is None or not ok or not user.is_active:
        return None
    return user


def record_sign_in(user: User) -> None:
    """Signed in with every step the account asks for."""
    user.last_login_at = utcnow()


def end_all_sessions(user: User) -> None:
    """Every session and remember cookie of this user stops working at once."""
    user.session_version = User.session_version + 1
    db.session.flush()
    db.session.refresh(user, ["session_version"])


def set_password(user: User, password: str) -> None:
    check_password_rules(password)
    user.password_hash = hash_password(password)
    user.rotate_security_stamp()
    end_all_sessions(user)


def change_password(user: User, current_password: str, new_password: str) -> None:
    if not verify_password(user.password_hash, current_password):
        raise AccountError("Your current password is not correct.")
    set_password(user, new_password)


def create_user(
    *,
    email: str,
    full_name: str,
    role: Role,
    school: School,
    grade: int | None = None,
    class_of: int | None = None,
) -> User:
    """Add a user without a password; they set one through an invitation link."""
    email = normalize_email(email)
    if find_user_by_email(email) is not None:
        raise AccountError(f"{email} already has an account.")
    if role is Role.MENTOR and grade is None:
        raise AccountError("A student mentor needs a grade.")
    # A name reaches every email greeting and calendar invitation the person is in.
    problem = single_line_problem(full_name.strip(), "the name")
    if problem:
        raise AccountError(problem)
    user = User(
        email=email,
        full_name=" ".join(full_name.split()),
        role=role,
        school=school,
        grade=grade if role is Role.MENTOR else None,
        class_of=class_of if role is Role.MENTOR else None,
    )
    db.session.add(user)
    db.session.flush()
    return user


def send_invitation(user: User) -> None:
    link = absolute_url(
        "accounts.accept_invitation", token=tokens.make_link_token(user, tokens.INVITATION)
    )
    days = current_app.config["INVITATION_MAX_AGE"].days
    send_email(
        user.email,
        "You're invited to Helpdesk",
        f"Hello {user.first_name},\n\n"
        f"You have been invited to Helpdesk, the student tech team's app at {user.school.name}.\n"
        f"Set your password here (the link works once and expires in {plural(days, 'day')}):\n\n{link}\n",
    )


def invite_user(**fields) -> User:
    user = create_user(**fields)
    send_invitation(user)
    return user


def user_from_link(token: str, purpose: str) -> User:
    max_age = current_app.config[
        "INVITATION_MAX_AGE" if purpose == tokens.INVITATION else "PASSWORD_RESET_MAX_AGE"
    ]
    return tokens.read_link_token(token, purpose, max_age, lambda uid: db.session.get(User, uid))


def request_password_reset(email: str) -> None:
    """Email a reset link if the account exists; say nothing either way."""
    user = find_user_by_email(email)
    if user is None or not user.is_active:
        return
    link = absolute_url(
        "accounts.reset_password", token=tokens.make_link_token(user, tokens.PASSWORD_RESET)
    )
    send_email(
        user.email,
        "Reset your Helpdesk password",
        f"Hello {user.first_name},\n\nSomeone asked to reset your Helpdesk password. "
        f"If it was you, choose a new one here (the link works once and expires in an hour):\n\n"
        f"{link}\n\nIf it was not you, ignore this email; your password stays the same.\n",
    )


def deactivate_user(user: User, *, by: User) -> None:
    if user.id == by.id:
        raise AccountError("You cannot deactivate your own account.")
    user.is_active = False
    user.rotate_security_stamp()
    end_all_sessions(user)


def reactivate_user(user: User) -> None:
    user.is_active = True
