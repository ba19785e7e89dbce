"""农村留守儿童委托照护协议书 (DOMAIN §5; 未成年人保护法 Art. 21–23).

No national model text exists; the wording follows local practice and the law's articles.
"""

from forms import vocab
from forms.spec import Field, FormSpec, Section

ENTRUSTOR = Section("甲方（委托人）", (
    Field("entrustor_name", "姓名", required=True, width=3),
    Field("entrustor_relation", "与儿童关系", "choice", ("父亲", "母亲", "其他监护人"),
          required=True, width=3),
    Field("entrustor_id_number", "身份证号", "id_number", required=True, width=3),
    Field("entrustor_phone", "联系电话", "phone", required=True, width=3),
    Field("entrustor_address", "户籍地址", width=6),
    Field("entrustor_workplace", "务工地点（省、市）", width=3),
    Field("entrustor_left_on", "外出时间", "date", width=3),
))

ENTRUSTOR_2 = Section("甲方（另一方父母，共同委托时填写）", (
    Field("entrustor2_name", "姓名", width=3),
    Field("entrustor2_relation", "与儿童关系", "choice", ("父亲", "母亲"), width=3),
    Field("entrustor2_id_number", "身份证号", "id_number", width=3),
    Field("entrustor2_phone", "联系电话", "phone", width=3),
))

CARER = Section("乙方（受托人）", (
    Field("carer_name", "姓名", required=True, width=2),
    Field("carer_relation", "与儿童关系", required=True, width=2),
    Field("carer_age", "年龄", "number", width=2),
    Field("carer_id_number", "身份证号", "id_number", required=True, width=3),
    Field("carer_health", "健康状况", width=3),
    Field("carer_address", "住址", width=4),
    Field("carer_phone", "联系电话", "phone", required=True, width=2),
))

CHILD = Section("被照护儿童", (
    Field("child_name", "姓名", required=True, width=2),
    Field("child_sex", "性别", "choice", vocab.SEXES, width=1),
    Field("child_birth_date", "出生日期", "date", width=3),
    Field("child_id_number", "身份证号", "id_number", required=True, width=3),
    Field("child_school", "就读学校及年级", width=3),
))

PERIOD = Section("一、委托事项和期限", (
    Field("starts_on", "委托照护起始日期", "date", required=True),
    Field("ends_on", "委托照护截止日期", "date", required=True, not_before="starts_on"),
), text=(
    ("甲方因外出务工等原因，在一定期限内不能完全履行对上述儿童的监护职责。根据《中华人民共和国"
    "未成年人保护法》第二十二条、第二十三条的规定，甲方在综合考虑乙方的道德品质、家庭状况、身心"
    "健康状况、与儿童生活情感上的联系等情况，并听取儿童意见后，委托乙方照护上述儿童。经双方协商"
    "一致，订立本协议。"),
    "委托照护期限自{starts_on}起至{ends_on}止。",
), kind="text")

CARER_DUTIES = Section("二、乙方的照护职责", text=(
    "（一）照料儿童的日常生活，保障儿童饮食、穿衣、住宿和就医，不得让儿童脱离监护单独生活。",
    "（二）做好儿童安全防护，教育和看护儿童预防溺水、用电用火、交通等安全事故。",
    "（三）督促儿童按时上学，关心儿童学业，保障儿童接受并完成义务教育，配合学校做好教育工作。",
    "（四）关注儿童心理和情感需求，多与儿童交流谈心，给予亲情关爱。",
    ("（五）儿童患病、发生意外或出现心理、行为异常等情况时，立即告知甲方和村（居）民委员会，"
    "必要时及时送医或报警。"),
    "（六）配合儿童主任入户走访，如实反映儿童生活情况。",
), kind="text")

ENTRUSTOR_DUTIES = Section("三、甲方的责任", text=(
    "（一）承担儿童的生活、教育、医疗等费用，按时提供给乙方。",
    "（二）至少每周与儿童和乙方联系一次，了解儿童的生活、学习和心理状况，给予亲情关爱。",
    "（三）将委托照护情况书面告知儿童就读的学校（幼儿园）和所在村（居）民委员会。",
    "（四）联系方式、务工地点发生变化时，及时告知乙方、学校和村（居）民委员会。",
    "（五）发现乙方不能履行或怠于履行照护职责的，及时另行委托或返回照护儿童。",
), kind="text")

OTHER_TERMS = Section("四、其他约定", (
    Field("other_terms", "其他约定事项", "multiline", lines=2),
), text=(
    ("（一）本协议不改变甲方的监护人身份，儿童的监护权不转移给乙方，甲方仍依法履行监护职责；"
    "乙方受甲方委托履行日常照护职责。"),
    ("（二）乙方因身体、家庭等原因不能继续照护的，应提前告知甲方和村（居）民委员会，"
    "甲方应当及时另行委托符合条件的照护人。"),
))

DECLARATION = Section("六、乙方声明", text=(
    ("乙方声明：本人具有完全民事行为能力和照护能力，并且不存在《中华人民共和国未成年人保护法》"
    "第二十二条规定的下列不得作为被委托人的情形："),
) + tuple(f"{i}．{item}；" for i, item in enumerate(vocab.CARER_EXCLUSIONS, 1)) + (
    "如有隐瞒，愿承担相应法律责任。",
), kind="text")

CHILD_OPINION = Section("五、儿童意见", (
    Field("child_opinion", "儿童的意见", "multiline", lines=2),
    Field("child_signature", "儿童（签名）", width=3),
    Field("child_signed_on", "日期", "date", width=3, not_future=True),
), text=("依照《中华人民共和国未成年人保护法》第二十二条，委托前已听取有表达意愿能力的儿童的意见"
         "（儿童不满八周岁或无法表达的，注明情况）。",), kind="signatures")

SIGNATURES = Section("签名", (
    Field("entrustor_signature", "甲方（签名并按手印）", width=3),
    Field("entrustor_signed_on", "日期", "date", width=3, not_future=True),
    Field("entrustor2_signature", "甲方另一方父母（签名并按手印）", width=3),
    Field("entrustor2_signed_on", "日期", "date", width=3, not_future=True),
    Field("carer_signature", "乙方（签名并按手印）", width=3),
    Field("carer_signed_on", "日期", "date", width=3, not_future=True),
), kind="signatures")

VILLAGE = Section("村（居）民委员会见证/备案意见", (
    Field("village_opinion", "见证/备案意见", "multiline", lines=2),
    Field("village_name", "村（居）民委员会（盖章）", width=3),
    Field("village_signed_on", "日期", "date", width=3, not_future=True),
    Field("child_director", "儿童主任（签名）", width=3),
    Field("child_director_signed_on", "日期", "date", width=3, not_future=True),
), kind="signatures")

ENTRUSTMENT = FormSpec(
    "entrustment",
    "农村留守儿童委托照护协议书",
    (ENTRUSTOR, ENTRUSTOR_2, CARER, CHILD, PERIOD, CARER_DUTIES, ENTRUSTOR_DUTIES, OTHER_TERMS,
     CHILD_OPINION, DECLARATION, SIGNATURES, VILLAGE),
    copies_note="本协议一式三份，甲方、乙方、村（居）民委员会各执一份，自双方签字之日起生效。",
)
