"""The sector of a reference code (RAB, RAL, RAD), derived from the active code lists:
what ``conformance.sector_mismatch`` compares between related items."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

from catalog.analysis.snapshot import ReferenceCode

_LEAD = re.compile(r"^(data|informasi|urusan)\s+")


def _urusan_name(name: str) -> str:
    """RAD and RAL level-2 names decorate the RAB urusan name ("Data Kesehatan",
    "Data Urusan Luar Negeri"): drop the decoration to compare them.

    >>> _urusan_name("Data Urusan Luar Negeri")
    'luar negeri'
    """
    name = name.strip().lower()
    while True:
        shorter = _LEAD.sub("", name)
        if shorter == name:
            return name
        name = shorter


@dataclass
class Sectors:
    """The sector (RAB level-1 code) of RAB, RAL and RAD codes, derived from the code
    lists themselves, so that a new reference version needs no code change:

    - a RAB code lies in the sector of its level-1 ancestor;
    - a RAD or RAL level-2 node lies in the sector of the RAB urusan (level 2) of the same
      name once "Data"/"Urusan" is dropped ("Data Kesehatan" ↔ "Kesehatan"); this
      reproduces the ``L2_to_RAB_L2`` table of the shipped set exactly;
    - a RAL level-2 node without a namesake (Kenegaraan, Perizinan, the administrative
      RAL.02.06–.09) takes the sector shared by all its named siblings, if they share one
      (every RAL.02 area is sector RAB.09), else has none;
    - RAD.10 (Data Pendukung Umum) has none; deeper codes follow their level-2 ancestor.

    A code without a sector is never reported as disagreeing.
    """

    of_l2: dict[str, str] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)  # sector code → name
    # Codes repeat across a national catalogue: each is worked out once.
    known: dict[str | None, str | None] = field(default_factory=dict, repr=False)

    @classmethod
    def of(cls, references: Mapping[str, ReferenceCode]) -> Sectors:
        out = cls()
        rab_by_name: dict[str, str] = {}
        for ref in references.values():
            if ref.scheme != "RAB":
                continue
            if ref.level == 1:
                out.names[ref.code] = ref.name
            elif ref.level == 2:
                out.of_l2[ref.code] = ref.code[:6]
                rab_by_name[_urusan_name(ref.name)] = ref.code
        unnamed: dict[str, list[str]] = defaultdict(list)
        seen: dict[str, set[str]] = defaultdict(set)
        for ref in references.values():
            if ref.scheme not in ("RAL", "RAD") or ref.level != 2:
                continue
            rab = rab_by_name.get(_urusan_name(ref.name))
            parent = ref.code[:6]
            if rab is not None:
                out.of_l2[ref.code] = rab[:6]
                seen[parent].add(rab[:6])
            else:
                unnamed[parent].append(ref.code)
        for parent, codes in unnamed.items():
            if parent.startswith("RAL") and len(seen[parent]) == 1:
                (sector,) = seen[parent]
                for code in codes:
                    out.of_l2[code] = sector
        return out

    def sector(self, code: str | None) -> str | None:
        """
        >>> refs = {c: ReferenceCode(c[:3], c, n, c.count("."))
        ...         for c, n in [("RAB.04", "Perlindungan Sosial dan Kesehatan"),
        ...                      ("RAB.04.01", "Kesehatan"), ("RAL.01.25", "Kesehatan"),
        ...                      ("RAD.04.01", "Data Kesehatan")]}
        >>> s = Sectors.of(refs)
        >>> s.sector("RAL.01.25.02"), s.sector("RAD.04.01"), s.sector("RAD.10.01")
        ('RAB.04', 'RAB.04', None)
        """
        try:
            return self.known[code]
        except KeyError:
            found = self.known[code] = self._sector(code)
            return found

    def _sector(self, code: str | None) -> str | None:
        if not code:
            return None
        parts = code.strip().upper().split(".")
        if len(parts) < 2:
            return None
        if parts[0] == "RAB":
            return "RAB." + parts[1]
        if len(parts) < 3:
            return None
        return self.of_l2.get(".".join(parts[:3]))


__all__ = ["Sectors"]
