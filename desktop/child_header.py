"""The header of a child's file: the colour badge, who the child is, the categories with
their reasons, the next due dates and the file's completeness problems."""

from __future__ import annotations

from datetime import date
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout

from forms.colours import risk_level
from models.child_file import HeaderFacts

COLOUR_HEX = {"red": "#d93025", "yellow": "#e6a700", "blue": "#1a73e8", "green": "#188038"}
OVERDUE_HEX = "#c5221f"


class ChildHeader(QFrame):
    def __init__(self):
        super().__init__()
        self.setFrameShape(QFrame.StyledPanel)
        layout = QHBoxLayout(self)
        self.badge = QLabel()
        self.badge.setObjectName("colour_badge")
        self.badge.setAlignment(Qt.AlignCenter)
        self.badge.setMinimumWidth(110)
        self.title = QLabel()
        self.title.setObjectName("child_title")
        self.title.setTextFormat(Qt.RichText)
        self.title.setWordWrap(True)
        self.title.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.due = QLabel()
        self.due.setObjectName("due_dates")
        self.due.setTextFormat(Qt.RichText)
        self.problems = QLabel()
        self.problems.setObjectName("problems")
        self.problems.setWordWrap(True)
        self.problems.setTextFormat(Qt.RichText)
        self.problems.setTextInteractionFlags(Qt.TextSelectableByMouse)
        left = QVBoxLayout()
        left.addWidget(self.title)
        left.addWidget(self.due)
        layout.addWidget(self.badge, 0, Qt.AlignTop)
        layout.addLayout(left, 3)
        layout.addWidget(self.problems, 2)

    def show_new(self) -> None:
        self.badge.setText("新建")
        self.badge.setStyleSheet("border:1px solid #888; border-radius:6px; padding:8px;")
        self.title.setText("<h2>新建儿童档案</h2>输入身份证号后自动填写出生日期和性别。")
        self.due.setText("")
        self.problems.setText("")

    def show_child(self, facts: HeaderFacts, state, on: date) -> None:
        child = facts.child
        colour = state.colour if state else child.colour
        colour_text = risk_level(colour, between="<br>")
        source = "人工确认" if (state and state.colour_manual) else "按规则"
        self.badge.setText(f"<b>{colour_text}</b><br><small>{source}</small>")
        self.badge.setStyleSheet(
            f"background:{COLOUR_HEX.get(colour, '#888')}; color:white; border-radius:6px;"
            "padding:8px;")
        reasons = "；".join(state.colour_reasons) if state else ""
        self.badge.setToolTip(reasons or "无风险情形")
        age = facts.age if facts.age is not None else ""
        closed = (f"<span style='color:#777'>（已结案：{child.closed_on:%Y-%m-%d}，"
                  f"{escape(child.closed_reason)}）</span>") if child.closed_on else ""
        lines = [(f"<h2 style='margin:0'>{escape(child.name)} <small>{child.sex} {age}岁 · "
                  f"{escape(child.village)}</small>{closed}</h2>")]
        if state and state.categories:
            parts = []
            for category in state.categories:
                why = "；".join(state.category_reasons.get(category, []))
                parts.append(f"<b>{escape(category)}</b>"
                             + (f"<small>（{escape(why)}）</small>" if why else ""))
            lines.append("类别：" + "　".join(parts))
        elif state and not state.closed:
            lines.append("类别：<span style='color:#777'>目前不属于留守或困境儿童</span>")
        if facts.siblings:
            lines.append("同户儿童（一户一档，共用委托照护协议和外出务工备案）："
                         f"{escape('、'.join(facts.siblings))}")
        if state and state.single_parent:
            lines.append("单亲家庭儿童" + ("（单亲家庭儿童台账，不计入分色名单和县级报表）"
                                      if state.single_parent_only else ""))
        if reasons:
            lines.append(f"风险情形：{escape(reasons)}")
        if facts.referrals:
            lines.append("建议转介：" + "；".join(escape(note) for note in facts.referrals))
        self.title.setText("<br>".join(lines))
        self.due.setText(_due_line(state, on) if state and not state.closed else "")
        self.problems.setText(_problems_text(state.problems if state else []))


def _due_line(state, on: date) -> str:
    basis = state.visit_basis.clause if state.visit_basis and not state.visit_basis.file else ""
    return (f"下次联系：{_due(state.next_contact_due, on)}；"
            f"下次入户走访：{_due(state.next_home_visit_due, on)}"
            + (f"<small>（{escape(basis)}）</small>" if basis else "")
            + ("；<b style='color:#c5221f'>需立即干预（须强制报告或向对口部门转介）</b>"
               if state.urgent else ""))


def _problems_text(problems) -> str:
    if not problems:
        return "<span style='color:#188038'>档案完整，无待补问题。</span>"
    items = "".join(f"<li>{escape(p.message)} <small style='color:#777'>"
                    f"〔{'本地做法' if p.local else '依据'}：{escape(p.basis_text)}〕</small></li>"
                    for p in problems[:8])
    more = f"<li>……另有{len(problems) - 8}项</li>" if len(problems) > 8 else ""
    return f"<b>档案完整性问题（{len(problems)}项）</b><ul style='margin:0'>{items}{more}</ul>"


def _due(day: date | None, on: date) -> str:
    if day is None:
        return ""
    text = day.isoformat()
    return f"<b style='color:{OVERDUE_HEX}'>{text}（已逾期）</b>" if day < on else text
