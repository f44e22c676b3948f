"""Synthetic identifiers that look like a case-management system's and never repeat.

A child's LA ID is a keyed permutation of its position in the council's population, so IDs are
unique without remembering the ones already used (memory stays flat at any scale), yet look
random: six or seven digits, as many councils' systems issue them.
"""

from __future__ import annotations

__all__ = ["IdSpace", "child_id_space", "family_id_space"]

_MASK32 = (1 << 32) - 1


def _mix(value: int) -> int:
    """A 32-bit integer hash (from the murmur3 finaliser): cheap, deterministic everywhere."""
    value &= _MASK32
    value ^= value >> 16
    value = (value * 0x85EBCA6B) & _MASK32
    value ^= value >> 13
    value = (value * 0xC2B2AE35) & _MASK32
    value ^= value >> 16
    return value


class IdSpace:
    """A permutation of ``[0, size)`` onto ``[first, first + size)``, keyed by a seed.

    A balanced Feistel network permutes a power-of-four range covering ``size``; values that
    land outside ``size`` are walked on until they land inside (cycle walking), which keeps the
    mapping a bijection.
    """

    def __init__(self, *, seed: int, first: int, size: int, rounds: int = 4) -> None:
        self.first = first
        self.size = size
        bits = max(2, (size - 1).bit_length())
        self._half_bits = (bits + 1) // 2
        self._half_mask = (1 << self._half_bits) - 1
        self._keys = [_mix(seed * 0x27D4EB2F + round_number) for round_number in range(rounds)]

    def _permute(self, value: int) -> int:
        half, mask = self._half_bits, self._half_mask
        left, right = value >> half, value & mask
        for key in self._keys:
            # A cheap multiplicative round function: it only needs to scramble, not to be secure.
            scrambled = ((right ^ key) * 0x9E3779B1) & _MASK32
            left, right = right, left ^ ((scrambled ^ (scrambled >> 15)) & mask)
        return (left << half) | right

    def __call__(self, index: int) -> int:
        if not 0 <= index < self.size:
            raise ValueError(f"index {index} is outside this ID space of {self.size}")
        value = self._permute(index)
        while value >= self.size:
            value = self._permute(value)
        return self.first + value


def child_id_space(seed: int) -> IdSpace:
    # 100000 to 9999999: six- and seven-digit IDs, room for every child in England many times.
    return IdSpace(seed=seed, first=100_000, size=9_900_000)


def family_id_space(seed: int) -> IdSpace:
    # Adoptive families and adopters get eight digits, so they can never be read as a child.
    return IdSpace(seed=seed ^ 0x5A5A5A5A, first=10_000_000, size=89_999_999)
