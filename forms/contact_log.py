"""联系记录: phone, video and meeting contacts of one child as one running table (DOMAIN §7.1).

Home visits each get their own 入户走访记录表; the other contacts go into the file as one
list, so the paper file stays readable and a county packet stays printable.
"""

from forms import vocab
from forms.spec import Field, FormSpec, Section

CONTACT_LOG = FormSpec("contact_log", "联系记录", (
    Section("基本情况", (
        Field("child_name", "儿童姓名", required=True, width=2),
        Field("village", "村（社区）", width=2),
        Field("child_director", "儿童主任", width=2),
    )),
    Section("联系记录", kind="table", key="rows", columns=(
        Field("on", "日期", "date", required=True, width=4, not_future=True),
        Field("kind", "联系方式", "choice", vocab.CONTACT_KINDS, width=2),
        Field("visitor", "联系人", width=3),
        Field("met", "联系对象", width=3),
        Field("notes", "情况记录", "multiline", width=6),
        Field("parents_contacted_past_week", "父母近一周联系", "bool", width=2),
    )),
))

# The topics of a contact, in the order and with the words the 情况记录 cell prints them
# ("生活：…；安全：…"); keys are those of the 入户走访记录表.
NOTE_TOPICS = (("living", "生活"), ("safety", "安全"), ("schooling", "就学"), ("health", "健康"),
               ("psychology", "心理"), ("guardianship", "监护"), ("problems", "问题"),
               ("actions", "措施"), ("follow_up", "跟进"))


def notes_text(topics: dict[str, str]) -> str:
    """The 情况记录 cell: the filled topics as "生活：…；安全：…" (empty ones left out)."""
    return "；".join(f"{label}：{topics[key].strip()}" for key, label in NOTE_TOPICS
                    if (topics.get(key) or "").strip())
