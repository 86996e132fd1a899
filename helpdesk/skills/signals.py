"""What the skill taxonomy announces. Features whose rows point at skills subscribe in their own
package (a `subscribers` module, connected at import, imported by create_app)."""

from blinker import Namespace

_signals = Namespace()

# Sent by merge_skills before the source skill is deleted, inside the merge's transaction:
# sender is the source Skill, `target` the Skill that stays. Each receiver moves its own rows
# from the source to the target (and flushes); a receiver that raises undoes the whole merge.
skills_merged = _signals.signal("skills-merged")

# Sent by save_skill after a rename: sender is the Skill, with its new name.
skill_renamed = _signals.signal("skill-renamed")
