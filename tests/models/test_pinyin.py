"""Names are found by every reading of their characters, surnames by their surname reading."""

from models.pinyin import name_keys, name_pinyin, name_search_keys


def test_surname_reading_is_the_sort_key():
    assert name_pinyin("曾杰") == ("zengjie", "zj")
    assert name_pinyin("单丽") == ("shanli", "sl")
    assert name_pinyin("解放") == ("xiefang", "xf")
    for name, full in (("仇明", "qiuming"), ("查伟", "zhawei"), ("翟强", "zhaiqiang"),
                       ("区华", "ouhua"), ("朴敏", "piaomin")):
        assert name_pinyin(name)[0] == full
    assert name_pinyin("张三") == ("zhangsan", "zs")
    assert name_pinyin("尉迟恭")[0] == "yuchigong"


def test_every_reading_and_its_initials_are_keys():
    keys = name_search_keys("曾杰").split()
    assert {"zengjie", "cengjie", "zj", "cj"} <= set(keys)
    assert keys[0] == "zengjie"
    assert " shanli " in name_search_keys("单丽")
    assert " danli " in name_search_keys("单丽")
    assert name_keys("张三")["pinyin_keys"] == " zhangsan zs "


def test_odd_names_do_not_fail():
    assert name_search_keys("") == ""
    assert name_pinyin("  ") == ("", "")
    assert name_pinyin("李A") == ("lia", "la")
    # Many readings per character: bounded number of keys.
    assert len(name_search_keys("长行乐朴单曾").split()) <= 60
