"""The hand-strength and HUD-stats quizzes: questions drawn from a seed, state kept in the URL.

A quiz is fully described by its kind, its length, a seed and the answers given so far (one digit
each, the option's number): the questions are recomputed from the seed on every request, so there
is no table, no cookie, and a finished quiz's URL shows its results to whoever opens it.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from functools import cache

from app.plo import hud, rankings
from app.poker.strength import TIERS

LENGTHS = (1, 5, 10, 20)
KINDS = ("strength", "hud")
BANDS = (
    (90, "Crusher"),
    (80, "High roller"),
    (70, "Shark"),
    (60, "Winning player"),
    (50, "Grinder"),
    (40, "TAGfish"),
    (30, "Calling station"),
    (20, "Gambler"),
    (10, "Fish"),
    (0, "Donk"),
)
MAX_SEED = 10**9


class QuizError(ValueError):
    """A quiz URL that cannot be read; the message is for the player."""


@dataclass(frozen=True, slots=True)
class Question:
    prompt: str
    options: tuple[str, ...]  # shown as 1..len
    answer: int  # the right option's number (1-based)
    hand: str = ""  # the hand to draw (strength quiz)
    stats: tuple[tuple[str, str], ...] = ()  # (stat name, value) lines to show (HUD quiz)
    explanation: str = ""

    @property
    def answer_text(self) -> str:
        return self.options[self.answer - 1]


@dataclass(frozen=True, slots=True)
class Quiz:
    kind: str
    length: int
    seed: int
    answers: str  # digits, one per question answered
    questions: tuple[Question, ...]

    @property
    def done(self) -> bool:
        return len(self.answers) == self.length

    @property
    def current(self) -> Question | None:
        return None if self.done else self.questions[len(self.answers)]

    @property
    def number(self) -> int:
        """The 1-based number of the current question."""
        return len(self.answers) + 1

    @property
    def previous(self) -> tuple[Question, int] | None:
        """The last question answered and the answer given."""
        if not self.answers:
            return None
        return self.questions[len(self.answers) - 1], int(self.answers[-1])

    @property
    def correct(self) -> int:
        return sum(1 for q, a in zip(self.questions, self.answers, strict=False) if q.answer == int(a))

    @property
    def percent(self) -> float:
        return 100 * self.correct / self.length

    @property
    def band(self) -> str:
        return band(self.percent)

    @property
    def missed(self) -> list[tuple[int, Question, int]]:
        """(question number, question, the answer given) for every wrong answer."""
        return [
            (i + 1, q, int(a))
            for i, (q, a) in enumerate(zip(self.questions, self.answers, strict=False))
            if q.answer != int(a)
        ]

    def with_answer(self, option: int) -> str:
        return self.answers + str(option)


def band(percent: float) -> str:
    """The rating band of a score in percent (Crusher at 90 % and up, ..., Donk below 10 %)."""
    for lowest, name in BANDS:
        if percent >= lowest:
            return name
    return BANDS[-1][1]


@cache
def _tier_positions() -> dict[int, tuple[int, ...]]:
    groups: dict[int, list[int]] = {tier: [] for tier, _, _ in TIERS}
    for row in rankings.index().rows:
        groups[row.tier].append(row.position)
    return {tier: tuple(positions) for tier, positions in groups.items()}


TIER_OPTIONS = tuple(f"{tier} · {name}" for tier, name, _ in TIERS)


def _strength_questions(seed: int, length: int) -> tuple[Question, ...]:
    rng = random.Random(f"strength:{seed}")
    rows = rankings.index().rows
    seen: set[int] = set()
    questions: list[Question] = []
    while len(questions) < length:
        tier = rng.randint(1, 5)  # every tier equally often, though half of all hands are tier 5
        position = rng.choice(_tier_positions()[tier])
        if position in seen:
            continue
        seen.add(position)
        row = rows[position]
        renamed = dict(zip("shdc", rng.sample("shdc", 4), strict=True))  # a random member of the class
        cards = [row.text[i] + renamed[row.text[i + 1]] for i in range(0, 8, 2)]
        hand = "".join(sorted(cards, key=lambda c: ("AKQJT98765432".index(c[0]), "shdc".index(c[1]))))
        questions.append(
            Question(
                prompt="Which tier is this hand?",
                options=TIER_OPTIONS,
                answer=row.tier,
                hand=hand,
                explanation=f"Score {row.score}: tier {row.tier} ({row.tier_name}); "
                f"equity vs a random hand {row.equity:.1f} %.",
            )
        )
    return tuple(questions)


def _value_in(rng: random.Random, low: float, high: float, ratio: bool) -> str:
    value = rng.uniform(low, high)
    return f"{value:.1f}" if ratio else f"{round(value)} %"


def _hud_questions(seed: int, length: int) -> tuple[Question, ...]:
    rng = random.Random(f"hud:{seed}")
    questions: list[Question] = []
    for _ in range(length):
        player = rng.choice(hud.TYPES)
        if rng.random() < 0.5:  # read a stat line: which type is it?
            shown = ("vpip", "pfr", "three_bet", "af", "wtsd")
            stats = tuple(
                (
                    hud.STAT_BY_KEY[key].name,
                    _value_in(rng, *player.typical(key), ratio=hud.STAT_BY_KEY[key].unit == ""),
                )
                for key in shown
            )
            options = tuple(p.name for p in hud.TYPES)
            questions.append(
                Question(
                    prompt="Which player type shows these stats?",
                    options=options,
                    answer=options.index(player.name) + 1,
                    stats=stats,
                    explanation=f"{player.name}: {player.summary}",
                )
            )
            continue
        # Typical value of one stat for a type: the right range among ranges that don't overlap it.
        stat = rng.choice(hud.STATS)
        low, high = player.typical(stat.key)
        others = [
            p.typical(stat.key)
            for p in hud.TYPES
            if p is not player and (p.typical(stat.key)[1] < low or p.typical(stat.key)[0] > high)
        ]
        distinct = sorted(set(others))
        distractors = rng.sample(distinct, min(3, len(distinct)))
        ranges = sorted([(low, high), *distractors])
        options = tuple(hud.describe_range(stat, *r) for r in ranges)
        questions.append(
            Question(
                prompt=f"What is a typical {stat.name} for a {player.name}?",
                options=options,
                answer=ranges.index((low, high)) + 1,
                explanation=f"{stat.name} — {stat.meaning} A {player.name}: "
                f"{hud.describe_range(stat, low, high)}.",
            )
        )
    return tuple(questions)


def new_seed() -> int:
    return random.SystemRandom().randrange(1, MAX_SEED)


def load(kind: str, length: str, seed: str, answers: str) -> Quiz:
    """The quiz a URL describes; raises QuizError when the URL was tampered with or cut short."""
    if kind not in KINDS:
        raise QuizError("There is no such quiz.")
    if not length.isdigit() or int(length) not in LENGTHS:
        raise QuizError("Choose 1, 5, 10 or 20 questions.")
    if not seed.isdigit() or not 0 < int(seed) < MAX_SEED:
        raise QuizError("This quiz link is broken: start a new quiz.")
    n = int(length)
    if len(answers) > n or not re.fullmatch(r"[1-9]*", answers):
        raise QuizError("This quiz link is broken: start a new quiz.")
    questions = (_strength_questions if kind == "strength" else _hud_questions)(int(seed), n)
    for question, answer in zip(questions, answers, strict=False):
        if int(answer) > len(question.options):
            raise QuizError("This quiz link is broken: start a new quiz.")
    return Quiz(kind, n, int(seed), answers, questions)
