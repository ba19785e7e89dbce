"""Time the rules (``child_states``, then each state's completeness problems) over a
synthetic township archive.

20,000 children with about 24 contacts each (two years of monthly contact), a share of them
with risk findings, agreements, assessments, problems and referrals. Run:

    python bench/bench_rules.py [children]
"""

import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from forms import vocab
from forms.idnumber import make_id_number
from models.facts import (
    AgreementFacts,
    AssessmentFacts,
    CarerFacts,
    ChildFacts,
    ContactFacts,
    FamilyMemberFacts,
    ProblemFacts,
    ReferralFacts,
    RiskFinding,
)
from models.profiles import get_profile
from models.rules import DuplicateIndex, child_states
from models.statistics import annex1

ON = date(2026, 11, 25)
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "小明红华军兰雨梅强丽伟芳杰静磊敏"


def synthetic_child(i: int, rnd: random.Random) -> ChildFacts:
    birth = date(2010, 1, 1) + timedelta(days=rnd.randrange(16 * 365))
    entered = date(2024, 11, 1) + timedelta(days=rnd.randrange(60))
    contacts = tuple(
        ContactFacts(entered + timedelta(days=30 * k + rnd.randrange(10)),
                     vocab.HOME_VISIT if k % 3 == 0 else "电话",
                     rnd.random() > 0.1 if k % 3 == 0 else None)
        for k in range(24)
    )
    away = rnd.random() < 0.6
    family = (
        FamilyMemberFacts("父亲", "父", "外出务工" if away else "在家", "跨省" if away else None,
                          date(2023, 3, 1) if away else None),
        FamilyMemberFacts("母亲", "母", rnd.choice(["外出务工", "在家", "重残"]), "跨市",
                          date(2023, 3, 1)),
    )
    findings = ()
    if rnd.random() < 0.15:
        findings = (RiskFinding(rnd.choice(vocab.RISK_CRITERIA), date(2026, rnd.randrange(1, 11), 1)),)
    return ChildFacts(
        id_number=make_id_number("530000", birth, i, i % 2 == 0),
        name=rnd.choice(SURNAMES) + rnd.choice(GIVEN) + rnd.choice(GIVEN),
        birth_date=birth, sex="男" if i % 2 == 0 else "女", registration="农村",
        village=f"第{i % 40}村", entered_on=entered, address="某组某号", schooling="小学",
        health="健康", family=family, contacts=contacts, risk_findings=findings,
        hardship_categories=frozenset(rnd.sample(["低保", "孤儿", "特困"], rnd.randrange(2))),
        agreements=(AgreementFacts("已签订", date(2023, 2, 1), date(2023, 3, 1), date(2027, 3, 1),
                                   CarerFacts("照护人")),) if away else (),
        assessments=(AssessmentFacts(date(2026, 3, 1), rnd.choice(vocab.ASSESSMENT_LEVELS)),),
        problems=(ProblemFacts(date(2026, 9, 1), "问题"),) if i % 7 == 0 else (),
        referrals=(ReferralFacts(date(2026, 8, 1), "县级教育"),) if i % 11 == 0 else (),
        pinyin=f"p{i % 5000}",
    )


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    rnd = random.Random(7)
    children = [synthetic_child(i, rnd) for i in range(n)]
    profile = get_profile("shangrila")
    contacts = sum(len(c.contacts) for c in children)

    start = time.perf_counter()
    index = DuplicateIndex.build(children)
    built = time.perf_counter()
    cpu = time.process_time()
    states = child_states(children, ON, profile, index)
    judged = time.perf_counter()
    problems = sum(len(s.problems) for s in states)
    cpu = time.process_time() - cpu
    done = time.perf_counter()
    table = annex1(zip(children, states, strict=True))
    counted = time.perf_counter()

    print(f"{n} children, {contacts} contacts, profile {profile.code}")
    print(f"DuplicateIndex.build: {built - start:.3f} s")
    print(f"child_states x{n}:    {judged - built:.3f} s ({(judged - built) / n * 1e6:.0f} µs each)")
    print(f"their problems:       {done - judged:.3f} s ({(done - judged) / n * 1e6:.0f} µs each)")
    print(f"  (CPU time of both: {cpu:.3f} s; wall time suffers on a busy machine)")
    print(f"annex1:               {counted - done:.3f} s")
    print(f"total:                {counted - start:.3f} s")
    print(f"colours: { {c: sum(s.colour == c for s in states) for c in vocab.COLOURS} }, "
          f"in annex: {table.count}, problems: {problems}")


if __name__ == "__main__":
    main()
