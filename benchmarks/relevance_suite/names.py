"""The judged-query kinds about enterprises: names as typed, in pinyin, with typos, and
their identifiers (credit code, licence number)."""

from __future__ import annotations

import math

from .data import fold
from .judged import Judged, Rules
from .writing import loosen_code, loosen_licence, messy, pinyin_typo, pinyin_written, syllables

# Common characters of firm names and a character read the same (tones aside), for the
# homophone-typo kind; pairs whose readings pypinyin does not confirm are ignored.
HOMOPHONES = dict(
    zip(
        "恒华金宏新永丰盛鑫嘉荣信达润瑞佳腾安宝德东凯隆美明鹏启胜泰天伟祥兴旭亚怡益源卓志中浦申星立博"
        "晨诚鼎飞福冠广汇佰融昌铭锦捷骏澜茂欣雅远泽正致舜弘迪辉光月峰洲绿鸿",
        "衡化今洪心勇峰圣新佳容新大闰锐家藤按保得冬楷龙每名朋起圣太添玮翔星序雅宜亿元桌智忠普深兴力搏"
        "辰成顶非富关光会百容常明今杰俊兰贸新亚元则政志顺宏笛晖广悦丰州律洪",
        strict=True,
    )
)


class NameKinds(Rules):
    """Enterprises looked up by name, pinyin, a typo, a former name or an identifier."""

    def kind_full_name(self, rng):
        for firm in self._firms(rng):
            yield Judged("full name", messy(rng, firm.name), self._same_name(firm))

    def kind_core_name(self, rng):
        for firm in self._firms(rng):
            if firm.core != firm.name:
                yield Judged("core name", messy(rng, firm.core), self._same_core(firm))

    def kind_first_characters(self, rng):
        """The first characters of the core name: 恒泰电器 → 恒泰电."""
        for firm in self._firms(rng):
            if len(firm.core) >= 4:
                prefix = fold(firm.core)[: max(2, math.ceil(len(firm.core) * 0.6))]
                accept = frozenset(
                    ("enterprise", pk)
                    for core, pks in self.by_core.items()
                    if core.startswith(prefix)
                    for pk in pks
                )
                yield Judged("first characters", prefix, accept)

    def kind_pinyin(self, rng):
        for firm in self._firms(rng):
            yield Judged("pinyin", pinyin_written(rng, firm.core), self._same_pinyin(firm))

    def kind_pinyin_initials(self, rng):
        for firm in self._firms(rng):
            initials = "".join(p[0] for p in syllables(firm.core))
            if len(initials) >= 3:
                accept = frozenset(("enterprise", pk) for pk in self.by_initials[initials])
                text = initials.upper() if rng.random() < 0.3 else initials
                yield Judged("pinyin initials", text, accept)

    def kind_pinyin_typo(self, rng):
        for firm in self._firms(rng):
            letters = "".join(syllables(firm.core))
            if len(letters) >= 6:
                yield Judged("pinyin typo", pinyin_typo(rng, letters), self._same_pinyin(firm))

    def kind_homophone(self, rng):
        """One character of the core name swapped for another read the same; skipped when the
        result is itself an enterprise's name (then it is no typo)."""
        for firm in self._firms(rng):
            swaps = [
                (at, HOMOPHONES[c])
                for at, c in enumerate(firm.core)
                if c in HOMOPHONES and syllables(c) == syllables(HOMOPHONES[c])
            ]
            if swaps:
                at, other = rng.choice(swaps)
                typed = firm.core[:at] + other + firm.core[at + 1 :]
                if fold(typed) not in self.by_core:
                    yield Judged("homophone typo", typed, self._same_pinyin(firm))

    def kind_pinyin_and_characters(self, rng):
        """The first two characters in pinyin, the rest as characters: hengtai电器."""
        for firm in self._firms(rng):
            if len(firm.core) >= 4 and len(syllables(firm.core[:2])) == 2:
                head = "".join(syllables(firm.core[:2]))
                head = head.capitalize() if rng.random() < 0.3 else head
                tail = firm.core[2:]
                accept = frozenset(
                    ("enterprise", pk)
                    for pk in self.by_pinyin["".join(syllables(firm.core))]
                    if self.r.firm[pk].core.endswith(tail)
                )
                yield Judged("pinyin + characters", f"{head}{tail}", accept)

    def kind_credit_code(self, rng):
        for firm in self._firms(rng):
            if firm.uscc:
                yield Judged(
                    "credit code", loosen_code(rng, firm.uscc), frozenset({("enterprise", firm.id)})
                )

    def kind_licence(self, rng):
        for firm in self._firms(rng):
            if firm.licences:
                number = rng.choice(sorted(firm.licences))
                yield Judged(
                    "licence number",
                    loosen_licence(rng, number),
                    frozenset({("enterprise", firm.id)}),
                )

    def kind_former_name(self, rng):
        """The name a firm had before: citizens remember old signs and old receipts. A firm
        that has since taken that name is as good an answer."""
        for firm in self._firms(rng):
            if firm.former_names:
                former = fold(rng.choice(firm.former_names))
                accept = frozenset(
                    ("enterprise", f.id)
                    for f in self.r.firms
                    if former == fold(f.name) or former in map(fold, f.former_names)
                )
                yield Judged("former name", messy(rng, former), accept)
