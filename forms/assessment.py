"""家庭监护能力评估表 (DOMAIN §6): emergency screen first, then scored indicators.

The scoring table is a regional-profile setting. The default follows the shape of 湖北
DB42/T 1969—2023: three first-level indicators, eleven second-level ones, four results.
The points and thresholds are this archive's default, not the standard's text.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from forms import vocab
from forms.spec import Field, FormSpec, Section, as_words, is_empty

HIGH = vocab.ASSESSMENT_LEVELS[-1]  # 高风险
EMERGENCY_KEY = "emergency"


@dataclass(frozen=True)
class Indicator:
    key: str
    group: str  # first-level indicator
    label: str  # second-level indicator
    options: tuple[tuple[str, int], ...]  # (wording, points), best first

    @property
    def max_points(self) -> int:
        return max(points for _, points in self.options)

    def choice(self, text: str, points: int) -> str:
        return f"{text}（{points}分）"

    @property
    def choices(self) -> tuple[str, ...]:
        return tuple(self.choice(text, points) for text, points in self.options)

    def points_of(self, answer) -> int:
        """Points for an answer given as the printed choice, the bare wording, or an index."""
        if isinstance(answer, int) and not isinstance(answer, bool):
            if 0 <= answer < len(self.options):
                return self.options[answer][1]
        else:
            text = str(answer).strip()
            for wording, points in self.options:
                if text in (wording, self.choice(wording, points)):
                    return points
        raise ValueError(f"{self.label}：“{answer}”不是本指标的评分选项")


@dataclass(frozen=True)
class ScoringTable:
    name: str
    indicators: tuple[Indicator, ...]
    # (minimum score, level), highest first; a score below every minimum is the last level.
    thresholds: tuple[tuple[int, str], ...]
    results: Mapping[str, str]  # level -> the standard's wording of the result

    @property
    def max_score(self) -> int:
        return sum(i.max_points for i in self.indicators)

    def groups(self) -> list[str]:
        seen: list[str] = []
        for indicator in self.indicators:
            if indicator.group not in seen:
                seen.append(indicator.group)
        return seen

    def level_for(self, score: int) -> str:
        for minimum, level in self.thresholds:
            if score >= minimum:
                return level
        return HIGH


def _three(key, group, label, points, good, fair, poor) -> Indicator:
    return Indicator(key, group, label, ((good, points), (fair, points // 2), (poor, 0)))


_GROWTH, _CAPACITY, _SUPPORT = "儿童成长", "监护能力", "监护保障"

DEFAULT_TABLE = ScoringTable(
    "通用评分表（指标参照湖北 DB42/T 1969—2023）",
    (
        _three("physical_health", _GROWTH, "身体健康", 8,
               "健康，生长发育正常", "体弱多病或轻度残疾", "重病或重度残疾，缺乏照料"),
        _three("mental_health", _GROWTH, "心理健康", 8,
               "情绪稳定，性格开朗", "偶有孤僻、焦虑等情况", "有明显心理或行为异常"),
        _three("safety", _GROWTH, "儿童安全", 8,
               "居住安全，无安全隐患", "存在一定安全隐患", "曾发生意外伤害或存在严重隐患"),
        _three("education", _GROWTH, "教育情况", 8,
               "按时上学，学业正常", "学习困难或偶有逃学", "辍学或长期不上学"),
        _three("social", _GROWTH, "社会参与", 8,
               "与同伴交往正常，参加集体活动", "交往较少", "封闭孤立，几乎不与人交往"),
        _three("guardian_health", _CAPACITY, "监护人健康状况", 12,
               "身体健康，能够照料儿童", "年老体弱或患慢性病，照料有困难", "重病、重残或无民事行为能力"),
        _three("income", _CAPACITY, "收入水平", 12,
               "收入稳定，能满足基本生活", "收入较低，基本生活有困难", "无稳定收入，生活困难"),
        _three("emotional", _CAPACITY, "情感交流", 12,
               "父母每周联系，交流充分", "联系较少，交流不足", "长期不联系，漠不关心"),
        _three("housing", _SUPPORT, "居住环境", 8,
               "住房安全，卫生条件良好", "住房简陋或卫生条件较差", "住房危险或无固定住所"),
        _three("neighbours", _SUPPORT, "邻里关系", 8,
               "邻里和睦，能相互照应", "来往较少", "关系紧张或无人照应"),
        _three("relatives", _SUPPORT, "亲属关系", 8,
               "亲属关系和睦，能提供支持", "亲属支持较少", "无亲属支持或关系紧张"),
    ),
    thresholds=((80, "低风险"), (60, "中风险"), (40, "中高风险")),
    results={"低风险": "监护正常", "中风险": "监护不足", "中高风险": "监护失当", "高风险": "监护缺失"},
)

SCORING_TABLES: dict[str, ScoringTable] = {"default": DEFAULT_TABLE}


def score_assessment(answers: Mapping, table: ScoringTable = DEFAULT_TABLE) -> tuple[int, str]:
    """(score, level): any emergency criterion makes it 高风险 whatever the score.

    ``answers`` maps indicator keys to the chosen option; ``answers["emergency"]`` lists the red
    criteria found. Raises ValueError (Chinese message) for missing or unknown answers, except
    that an emergency case is 高风险 even when not every indicator was scored.
    """
    emergency = as_words(answers.get(EMERGENCY_KEY))
    unknown = [w for w in emergency if w not in vocab.RED_CRITERIA]
    if unknown:
        raise ValueError(f"紧急情形：“{vocab.join_multi(unknown)}”不是紧急情形")
    score, missing = 0, []
    for indicator in table.indicators:
        answer = answers.get(indicator.key)
        if is_empty(answer) and not isinstance(answer, int):
            missing.append(indicator.label)
            continue
        score += indicator.points_of(answer)
    if emergency:
        return score, HIGH
    if missing:
        raise ValueError(f"评估指标未填写完整：{vocab.join_multi(missing)}")
    return score, table.level_for(score)


def assessment_spec(table: ScoringTable = DEFAULT_TABLE) -> FormSpec:
    """The form for one scoring table (the printed choices carry their points)."""
    base = Section("基本情况", (
        Field("child_name", "儿童姓名", required=True, width=3),
        Field("child_id_number", "身份证号", "id_number", width=3),
        Field("village", "村（社区）", width=3),
        Field("assessed_on", "评估日期", "date", required=True, width=3,
              not_future=True),
        Field("guardian_name", "监护人（照护人）姓名", width=3),
        Field("guardian_relation", "与儿童关系", width=3),
        Field("assessment_kind", "评估类型", "choice", ("首次评估", "定期复评", "临时评估"), width=6),
    ))
    screen = Section("一、紧急情形筛查", (
        Field(EMERGENCY_KEY, "存在的紧急情形", "multichoice", vocab.RED_CRITERIA),
        Field("emergency_note", "情形说明", "multiline", lines=2),
    ), text=("儿童存在下列任一情形的，直接评定为高风险，立即报告并采取保护措施，不再计分。",))
    scored = tuple(
        Section(f"{number}、{group}（满分{sum(i.max_points for i in table.indicators if i.group == group)}分）",
                tuple(Field(i.key, i.label, "choice", i.choices, width=6) for i in table.indicators
                      if i.group == group))
        # numerals to spare: the default table has three groups
        for number, group in zip(("二", "三", "四", "五", "六"), table.groups(), strict=False)
    )
    n = len(scored) + 2
    numerals = "一二三四五六七八九十"
    result = Section(f"{numerals[n - 1]}、评估结果", (
        Field("score", f"总分（满分{table.max_score}分）", "number", width=3),
        Field("level", "评估等级", "choice", vocab.ASSESSMENT_LEVELS, required=True, width=3),
        Field("measures", "处置措施和建议", "multiline", lines=3),
        Field("next_assessment_on", "下次评估日期", "date", width=6,
              not_before="assessed_on"),
    ), text=("评分标准：" + "，".join(
        f"{minimum}分及以上为{level}（{table.results.get(level, '')}）"
        for minimum, level in table.thresholds
    ) + f"，其余为{HIGH}（{table.results.get(HIGH, '')}）。",))
    signatures = Section("签名", (
        Field("assessor", "评估人（儿童主任或社会工作者）", width=3),
        Field("assessor_signed_on", "日期", "date", width=3, not_future=True),
        Field("reviewer", "审核人（儿童督导员）", width=3),
        Field("reviewer_signed_on", "日期", "date", width=3, not_future=True),
        Field("guardian_opinion", "监护人意见", width=6),
        Field("guardian_signature", "监护人（签名）", width=3),
        Field("guardian_signed_on", "日期", "date", width=3, not_future=True),
    ), kind="signatures")
    return FormSpec("assessment", "家庭监护能力评估表",
                    (base, screen) + scored + (result, signatures))


ASSESSMENT = assessment_spec(DEFAULT_TABLE)
