"""Who a text is about: people and organisations named in it, found without a model.

Event grouping needs them (two leaders' inspections on one evening are two events) and so
does the checker (a name in a heading must be in that section's sources). Both read the same
rules, here.

- **Organisations** end in a body word (部, 局, 委员会, 数据局, 集团, 公司…), optionally after a
  national or provincial prefix: 国家数据局, 工业和信息化部, 浙江省经信厅 is not matched (厅 is
  not listed) — the list favours precision. A name starts after the words that stand before
  one in a sentence (记者从, 会同, 据, 的 …), and 部署, 办法, 格局, 干部 … are no bodies.
- **People** are a common surname and one or two more characters, standing where Chinese news
  puts a name: after a post (总书记, 部长, 院士, 负责人…) or before an act (在…调研, 出席, 主持,
  强调, 表示…). A name anywhere else is not guessed at.

    >>> persons("丁薛祥在北京调研时强调，国家数据局局长刘烈宏表示…")
    {'丁薛祥', '刘烈宏'}
"""

from __future__ import annotations

import re

__all__ = ["organisations", "persons", "principal_persons"]

_ORG = re.compile(
    r"(?:国家|中央|国务院|全国|中国|[\u4e00-\u9fff]{2,4}(?:省|市|自治区))?"
    r"[\u4e00-\u9fff]{2,10}?(?:数据局|网信办|发展改革委|委员会|管理局|统计局|能源局|监管局|"
    # A body word, not the start of 部门, 部署, 办法, 局面, 委托, 院士 …
    r"部(?![门分署件位队落级属])|局(?![面势限部])|委(?![托屈婉派员])|办(?![法理公事学好成实案结件])|"
    r"院(?![士校线子落])|署(?![名理期])|总台|集团|公司|协会|联合会)"
)
# What stands before a name in a sentence (记者从…, 会同…, …的): the name starts after it.
_LEFT_CUT = re.compile(
    r".*(?:记者从|来自|以及|会同|联合|现将|关于|根据|依据|走进|来到|前往|参观|"
    r"(?<!数)据|从|由|在|对|向|将|把|被|与|及|的|了|等|是|们|赴|到)"
)
# Words that end like a body but are none (格局, 部署, 举办, 干部, 外部 …).
_NOT_ORG_ENDINGS = (
    "格局", "布局", "大局", "全局", "结局", "变局", "开局", "时局", "政局", "棋局", "僵局", "新局",
    "部署", "签署", "干部", "全部", "内部", "外部", "局部", "头部", "底部", "顶部", "东部", "西部",
    "南部", "北部", "中部", "大部", "举办", "主办", "承办", "协办", "创办", "开办", "申办", "督办",
    "兴办", "试办", "合办", "联办", "筹办", "停办", "民办", "公办", "有关部", "相关部", "各部",
)  # fmt: skip

# The most common Chinese surnames (covering the great majority of people in the news).
_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝"
    "龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞"
    "左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕"
    "屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧"
    "闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝"
)
_DOUBLE_SURNAMES = ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙")
_NAME = (
    "(?:" + "|".join(_DOUBLE_SURNAMES) + f"|[{_SURNAMES}])" + r"[\u4e00-\u9fff]{1,2}?"
)
_POSTS = (
    "总书记|国家主席|主席|总理|副总理|委员长|国务委员|部长|副部长|局长|副局长|主任|副主任|书记|"
    "省长|副省长|市长|副市长|区长|县长|院长|所长|校长|董事长|总经理|总裁|首席执行官|理事长|会长|"
    "秘书长|院士|教授|研究员|专家|发言人|负责人|代表|委员|厂长|总工程师|工程师"
)
_ACTS = (
    "在|出席|主持|会见|会晤|调研|考察|视察|强调|指出|表示|介绍|说|认为|称|致信|致贺信|宣读|参加|"
    "同志|总书记|主席|总理|副总理|部长|局长|院士|教授|等"
)
_AFTER_POST = re.compile(rf"(?:{_POSTS})({_NAME})(?=[，,、在出主会调考视强指表介说认称致宣参等和与同（(]|$)")
_BEFORE_ACT = re.compile(rf"(?<![\u4e00-\u9fff])({_NAME})(?={_ACTS})")
_LEADING = re.compile(rf"^({_NAME})(?={_ACTS})")
# Words that look like "surname + 1–2 characters" in front of an act but are not names.
_NOT_NAMES = {
    "全国", "国家", "中国", "会议", "会上", "会议在", "方面", "我国", "记者", "他们", "双方",
    "有关", "相关", "各方", "高质量", "新华社", "项目", "企业", "工作", "文件", "同时", "王牌",
    "明确", "安全", "金融", "石油", "黄金", "钱塘", "高新区", "高校", "常务", "司法", "龙头",
    "周期", "周边", "万家", "时代", "时期", "成果", "成员", "成都", "武汉", "温州", "长沙",
    "江苏", "江西", "湖北", "湖南", "广东", "广西", "山东", "山西", "海南", "云南", "贵州",
    "福建", "安徽", "浙江", "河北", "河南", "陕西", "甘肃", "宁夏", "青海", "新疆", "西藏",
    "吉林", "辽宁", "黑龙江", "上海", "天津", "重庆", "北京", "香港", "澳门", "台湾", "内蒙古",
}


def organisations(text: str) -> set[str]:
    """Organisation-like names (国家数据局, 工业和信息化部 …) in ``text``."""
    found = set()
    for m in _ORG.finditer(text):
        name = _LEFT_CUT.sub("", m.group(0))
        if len(name) >= 3 and not name.endswith(_NOT_ORG_ENDINGS):
            found.add(name)
    return found


# A "name" ending like a body, a place or a function word is a phrase (商务部, 宁夏将, 关于加).
_NOT_LAST = set("部局委办院署厅会党国省市县区将并加正要于重某方面宫盟")
_NOT_FIRST_TWO = {"关于", "全面", "全党", "文化", "文章", "武器", "农药", "农食", "农耕", "农家", "高度"}


def _names(pattern: re.Pattern[str], text: str) -> set[str]:
    return {
        name
        for m in pattern.finditer(text)
        if (name := m.group(1)) not in _NOT_NAMES
        and name[-1] not in _NOT_LAST
        and name[:2] not in _NOT_FIRST_TWO
    }


def persons(text: str) -> set[str]:
    """People named in ``text`` (2–3 character names in a post or act context)."""
    return _names(_AFTER_POST, text) | _names(_BEFORE_ACT, text)


def principal_persons(title: str) -> set[str]:
    """The people a headline is about: a name opening it, or one named after a post in it.

    "李强在浙江调研时强调…" → {"李强"}; a headline about a meeting names nobody.
    """
    title = title.strip()
    return _names(_LEADING, title) | _names(_AFTER_POST, title)
