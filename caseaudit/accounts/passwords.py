"""Password rules beyond Django's own: refuse passwords made of one short pattern.

Django's validators already refuse short, common and all-digit passwords, but
'aaaaaaaaaaaa', 'abababababab' and 'abcdefghijkl' are long enough and may not be in the
common list. Guessing tools try runs, repeats and keyboard sequences first, so they are as
weak as 'password'.
"""

from django.core.exceptions import ValidationError

# Ordered runs that guessing tools walk along, forwards and backwards.
SEQUENCES = (
    "abcdefghijklmnopqrstuvwxyz",
    "0123456789",
    "qwertyuiopasdfghjklzxcvbnm",
    "qwertzuiop",
    "azertyuiop",
    "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p",
)


class PatternPasswordValidator:
    """Refuse a password with too few different characters, one that is a short unit
    repeated ('abcabcabcabc'), or one that walks along the alphabet, the digits or the
    keyboard ('abcdefghijkl', '123456789012', 'qwertyuiop12')."""

    def __init__(self, min_distinct: int = 5, max_unit: int = 4, max_sequence_share: float = 0.7):
        self.min_distinct = min_distinct
        self.max_unit = max_unit
        self.max_sequence_share = max_sequence_share

    def validate(self, password: str, user=None) -> None:
        lowered = password.lower()
        if (
            len(set(lowered)) < self.min_distinct
            or self._repeats_a_unit(lowered)
            or self._longest_sequence(lowered) >= self.max_sequence_share * len(lowered)
        ):
            raise ValidationError(self.message(), code="password_pattern")

    def _repeats_a_unit(self, password: str) -> bool:
        for size in range(1, self.max_unit + 1):
            unit = password[:size]
            if len(password) >= 2 * size and (unit * len(password))[: len(password)] == password:
                return True
        return False

    @staticmethod
    def _longest_sequence(password: str) -> int:
        """The length of the longest stretch of ``password`` where each character follows the
        one before in a sequence (either direction); a wrap from 9 to 0 counts as following."""
        steps = set()
        for run in SEQUENCES:
            looped = run + run[0]
            for a, b in zip(looped, looped[1:], strict=False):
                steps.update({(a, b), (b, a)})
        longest = current = 1 if password else 0
        for a, b in zip(password, password[1:], strict=False):
            current = current + 1 if (a, b) in steps else 1
            longest = max(longest, current)
        return longest

    def message(self) -> str:
        return (
            "Your password is too easy to guess. Do not use repeated characters or patterns, "
            "or runs like abcdef, 123456 or qwerty"
        )

    def get_help_text(self) -> str:
        return (
            "Your password cannot be made of repeated characters or patterns, or runs like abcdef."
        )
