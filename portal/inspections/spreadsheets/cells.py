"""Reading one cell: cleaning, "none" markers, dates fused with lots, agencies, outcomes,
channels, credit codes, web-store URLs and producer disputes (cells listing several items are
read by `item_lists`).

Values keep their published characters (traditional stays traditional); only comparisons go
through `fold`. Everything here is a pure function of the text, so it is tested cell by cell.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from functools import lru_cache
from urllib.parse import urlsplit

from stdnum.cn import uscc
from stdnum.exceptions import InvalidChecksum, InvalidLength, ValidationError

from portal.core.text import fold

# ---------------------------------------------------------------------------------------------
# Cleaning

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_HSPACE = re.compile(r"[^\S\n]+")
_LINE_BREAKS = re.compile(r"\r\n?|[\u2028\u2029\x0b\x0c\x85]")
# Published markers for "nothing here", compared folded: "／" "無" "散裝" "N/A" fold onto these.
_NONE_VALUES = frozenset(
    {"", "/", "//", "\\", "-", "--", "—", "——", "–", "―", "――", "─", "无", "散装", "n/a", "#n/a"}
    | {"na", "null", "none"}
)
_NONE_MAX_LENGTH = 4


def normalize(raw: str) -> str:
    """NFC, invisible characters removed, each line stripped with its spaces collapsed, blank
    lines dropped. Line breaks stay: they separate items in multi-value cells."""
    if raw.isprintable() and unicodedata.is_normalized("NFC", raw):
        # The common cell: no line breaks, invisible characters or unusual spaces.
        return raw.strip() if "  " not in raw else _HSPACE.sub(" ", raw).strip()
    text = unicodedata.normalize("NFC", raw).translate(_INVISIBLE)
    lines = (_HSPACE.sub(" ", line).strip() for line in _LINE_BREAKS.sub("\n", text).split("\n"))
    return "\n".join(line for line in lines if line)


@lru_cache(maxsize=4096)
def _fold_short(text: str) -> str:
    return fold(text)


def is_none(text: str) -> bool:
    """Whether a normalised cell means "nothing": "/", "／", "散裝", "—", "-", "无", "N/A" …"""
    if len(text) > _NONE_MAX_LENGTH or text.isdigit():
        return False
    return text in _NONE_VALUES or _fold_short(text) in _NONE_VALUES


def _is_wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in "WF"


def one_line(text: str) -> str:
    """A name wrapped inside its cell ("上海某某服饰\\n有限公司") read back on one line: no space
    between two Chinese characters, one space otherwise."""
    if "\n" not in text:
        return text
    lines = text.split("\n")
    out = [lines[0]]
    for line in lines[1:]:
        joiner = "" if _is_wide(out[-1][-1]) and _is_wide(line[0]) else " "
        out.append(joiner + line)
    return "".join(out)


# ---------------------------------------------------------------------------------------------
# Production date and lot: "2019/1/25", "2018.05.28", "2017年10月06日", "20180528",
# "2018.05.2818052803" (date fused with lot 18052803), "2018/05/28 批号:A123"

_DATE = (
    r"(?P<year>(?:19|20)\d{2})\s*[-/.．年]\s*(?P<month>\d{1,2})\s*[-/.．月]\s*(?P<day>\d{1,2})"
    r"(?:\s*日)?"
    r"|(?P<cyear>(?:19|20)\d{2})(?P<cmonth>\d{2})(?P<cday>\d{2})(?!\d)"
)
_DATE_AT_START = re.compile(
    r"(?:(?:生产|生產|加工)?(?:日期|时间|時間)(?:/批[号號])?\s*[:：]?\s*)?(?:" + _DATE + ")"
)
_LABELLED_DATE = re.compile(r"(?:生产|生產|加工)?(?:日期|时间|時間)\s*[:：]\s*(?:" + _DATE + ")")
_LOT_LABEL = re.compile(
    r"^(?:生产批号|生產批號|批次号|批次號|批号|批號|批次|lot|batch)\s*(?:no\.?|号|號)?\s*[:：]?\s*",
    re.IGNORECASE,
)
_TIME_OF_DAY = re.compile(r"\d{1,2}:\d{2}(?::\d{2})?")
_LOT_EDGES = " \t\n/／,，;；、:：-－_()（）[]【】"


def _lot_part(text: str) -> str:
    text = text.strip(_LOT_EDGES)
    return _LOT_LABEL.sub("", text, count=1).strip(_LOT_EDGES)


def parse_lot(text: str) -> tuple[date | None, str]:
    """Production date and lot number of a "生产日期/批号" cell. A cell that holds no complete,
    valid date ("2019年1月", "批号A1", "2019/13/45") gives no date and is the lot itself."""
    if not text:
        return None, ""
    match = _DATE_AT_START.match(text) or _LABELLED_DATE.search(text)
    if match is None:
        return None, _lot_part(text)
    if match["year"]:
        parts = match["year"], match["month"], match["day"]
    else:
        parts = match["cyear"], match["cmonth"], match["cday"]
    try:
        produced = date(*(int(part) for part in parts))
    except ValueError:
        return None, _lot_part(text)
    rest = (text[: match.start()] + " " + text[match.end() :]).strip(_LOT_EDGES)
    if _TIME_OF_DAY.fullmatch(rest):
        rest = ""
    return produced, _lot_part(rest)


# ---------------------------------------------------------------------------------------------
# Agencies: "初檢機構：上海市質量監督檢驗技術研究院；復檢機構：國家日用金屬製品質量監督檢驗中心"

_ROUND = r"(?P<round>初[检檢验驗测測]|[复復複][检檢验驗测測])"
_AGENCY_PREFIX = re.compile(_ROUND + r"(?:[机機][构構]|[单單]位)?(?:名[称稱])?\s*[:：]")
_AGENCY_SUFFIX = re.compile(r"[(（]\s*" + _ROUND + r"(?:[机機][构構]|[单單]位)?\s*[)）]")
_AGENCY_LABEL = re.compile(
    r"^(?:[检檢][验驗测測]|承[检檢]|[检檢]测|[检檢]定)(?:[机機][构構]|[单單]位)(?:名[称稱])?\s*[:：]\s*"
)
_EDGES = " \t\n；;，,、。"


def split_agencies(text: str) -> tuple[str, str]:
    """(initial, re-test) agency of an agency cell; a single name is the initial agency."""
    if not text:
        return "", ""
    found = {"initial": "", "retest": ""}
    prefixes = list(_AGENCY_PREFIX.finditer(text))
    if prefixes:
        for index, match in enumerate(prefixes):
            stop = prefixes[index + 1].start() if index + 1 < len(prefixes) else len(text)
            which = "initial" if match["round"][0] == "初" else "retest"
            found[which] = found[which] or text[match.end() : stop].strip(_EDGES)
        return found["initial"], found["retest"]
    if _AGENCY_SUFFIX.search(text):
        for piece in re.split(r"[；;\n，,、]", text):
            match = _AGENCY_SUFFIX.search(piece)
            name = _AGENCY_SUFFIX.sub("", piece).strip(_EDGES)
            which = "retest" if match and match["round"][0] != "初" else "initial"
            found[which] = found[which] or name
        return found["initial"], found["retest"]
    return _AGENCY_LABEL.sub("", text, count=1).strip(_EDGES), ""


# ---------------------------------------------------------------------------------------------
# Outcome, channel

PASS, FAIL, REFERRED = "pass", "fail", "referred"
_REFERRED = re.compile(r"移送|无证|未获证|未取得.{0,8}许可|无.{0,4}许可证|未办理.{0,6}许可")
_UNLICENSED = re.compile(r"无证|未获证|未取得.{0,8}许可|无.{0,4}许可证|未办理.{0,6}许可")
_PASS_DESPITE_WORDS = re.compile(r"未(发现|见|检出)不合格|无不合格")
_FAIL = re.compile(r"不合格|不符合|未通过|不通过|^fail(ed)?$|^unqualified$")
_PASS = re.compile(r"合格|符合|通过|^pass(ed)?$|^qualified$")


def parse_outcome(text: str) -> str | None:
    """The outcome "pass", "fail" or "referred" (移送, 无证: referred as unlicensed); "" for an
    empty cell; None for text that says none of these."""
    folded = fold(text)
    if not folded:
        return ""
    if _REFERRED.search(folded):
        return REFERRED
    if _PASS_DESPITE_WORDS.search(folded):
        return PASS
    if _FAIL.search(folded):
        return FAIL
    if _PASS.search(folded):
        return PASS
    return None


def mentions_unlicensed(text: str) -> bool:
    """Remarks saying the producer has no production licence ("无证生产")."""
    return bool(text) and bool(_UNLICENSED.search(fold(text)))


PRODUCTION, RETAIL, ECOMMERCE = "production", "retail", "ecommerce"
_ECOMMERCE_WORDS = re.compile(r"电商|电子商务|网络|网购|网店|网上|线上|平台")
_PRODUCTION_WORDS = re.compile(r"生产")
_RETAIL_WORDS = re.compile(r"流通|销售|零售|市场|经营|商场|超市|批发|实体")


def parse_channel(text: str) -> str:
    """The channel "production", "retail" or "ecommerce" from 抽样领域/抽样环节 text
    ("生产领域", "流通环节", "网络销售"); "" when the text names none of them."""
    folded = fold(text)
    if _ECOMMERCE_WORDS.search(folded):
        return ECOMMERCE
    if _PRODUCTION_WORDS.search(folded):
        return PRODUCTION
    if _RETAIL_WORDS.search(folded):
        return RETAIL
    return ""


# ---------------------------------------------------------------------------------------------
# Unified social credit code (统一社会信用代码)

_SCIENTIFIC = re.compile(r"\d(?:\.\d+)?E\+?\d+")


def clean_uscc(text: str) -> str:
    """The comparable form of a credit code: half width, no spaces or dashes, upper case."""
    return uscc.compact(unicodedata.normalize("NFKC", text))


def uscc_problem(code: str) -> tuple[str, str] | None:
    """Why a (cleaned) credit code is invalid, in Chinese and English; None when it is valid."""
    if _SCIENTIFIC.fullmatch(code):
        return (
            "统一社会信用代码被电子表格转换成了科学计数法，原代码已丢失；请将该列设为文本后重新填写",
            "the credit code was turned into scientific notation by a spreadsheet and is lost; "
            "format the column as text and enter the codes again",
        )
    try:
        uscc.validate(code)
    except InvalidLength:
        return (
            f"统一社会信用代码应为18位，这里是{len(code)}位",
            f"a credit code has 18 characters, this one has {len(code)}",
        )
    except InvalidChecksum:
        expected = uscc.calc_check_digit(code[:17])
        return (
            f"统一社会信用代码校验位错误：按前17位应为“{expected}”，而不是“{code[-1]}”",
            f"wrong check character: the first 17 characters call for “{expected}”, "
            f"not “{code[-1]}”",
        )
    except ValidationError:
        return (
            "统一社会信用代码格式不对：前8位应为数字，其余只能是数字和除I、O、Z、S、V外的大写字母",
            "malformed credit code: the first 8 characters are digits, the rest digits or "
            "capital letters other than I, O, Z, S, V",
        )
    return None


# ---------------------------------------------------------------------------------------------
# Web-store listings and disputed producers

# Web stores whose listings are sales: one maintained list of registrable domains (a subdomain
# such as item.taobao.com or mall.jd.com counts; m.tb.cn and 3.cn are the stores' short links).
MARKETPLACE_DOMAINS = (
    "taobao.com",
    "tb.cn",
    "tmall.com",
    "tmall.hk",
    "jd.com",
    "jd.hk",
    "3.cn",
    "yangkeduo.com",
    "pinduoduo.com",
    "1688.com",
    "alibaba.com",
    "suning.com",
    "vip.com",
    "dangdang.com",
    "kaola.com",
    "jinritemai.com",
    "douyin.com",
    "kuaishou.com",
    "xiaohongshu.com",
    "weidian.com",
    "youzan.com",
    "gome.com.cn",
    "yhd.com",
    "amazon.cn",
)
_URL = re.compile(r"https?://[!-~]+", re.IGNORECASE)
_STORE_HOST = re.compile(
    r"(?<![\w.@/])(?:[a-z0-9-]+\.)*(?:"
    + "|".join(re.escape(domain) for domain in MARKETPLACE_DOMAINS)
    + r")(?![a-z0-9.-])(?:/[!-~]*)?",
    re.IGNORECASE,
)
_URL_TAIL = ".,;:!?)]}>'\""
_URL_LABEL = re.compile(
    r"(?:网店|網店|店铺|店鋪|商品|产品|產品)?(?:网址|網址|链接|鏈接|地址|url)?\s*[:：]?\s*$",
    re.IGNORECASE,
)


def extract_url(text: str) -> tuple[str, str]:
    """(listing URL, the rest of the address). A cell holding only a web-store URL (with or
    without a "网址：" label) leaves an empty address; a real address next to it is kept."""
    match = _URL.search(text) or _STORE_HOST.search(text)
    if match is None:
        return "", text
    url = match.group().rstrip(_URL_TAIL)
    end = match.start() + len(url)
    if not url.lower().startswith(("http://", "https://")):
        url = "https://" + url
    before = _URL_LABEL.sub("", text[: match.start()]).strip(_EDGES + "(（")
    after = text[end:].strip(_EDGES + ")）")
    return url, " ".join(part for part in (before, after) if part)


def is_marketplace(url: str) -> bool:
    """Whether a URL is a listing on a known web store (`MARKETPLACE_DOMAINS`)."""
    host = (urlsplit(url).hostname or "").lower()
    return any(host == domain or host.endswith("." + domain) for domain in MARKETPLACE_DOMAINS)


_DISPUTED = re.compile(
    r"(?:并非|并不是|不是|非由|非其|非该)[^,，。;；]{0,40}?生产"
    r"|(?:不承认|否认)(?![^,，。;；]{0,12}(?:检验|检测|结果|结论))"
    r"|假冒|冒用|仿冒|未生产"
)


# Characters without which no text can deny a producer: a cheap test before folding a cell.
_DISPUTE_HINT = re.compile(r"[非认認冒]|未生")


def producer_disputed(text: str) -> bool:
    """Remarks saying the named producer did not make the sample: "經核實，該批次產品並非由某公司
    生產", "标称生产企业不承认", "假冒"."""
    return bool(text) and bool(_DISPUTE_HINT.search(text)) and bool(_DISPUTED.search(fold(text)))


# ---------------------------------------------------------------------------------------------
# Labelled parties: "生产商：上海某某有限公司；经销商：杭州某某贸易有限公司"

_PRODUCER_ROLE = (
    r"(?:标称|標稱)?(?:生[产產](?:商|者|企[业業]|厂家|廠家|[单單]位)|[制製]造(?:商|者)"
    r"|委[托託](?:方|商|[单單]位|生[产產]企[业業]))"
)
_OTHER_ROLE = (
    r"受[托託](?:方|生[产產]企[业業]|[单單]位)|被委[托託]方|[经經][销銷](?:商|[单單]位)|[总總][经經][销銷]商?"
    r"|[销銷]售(?:商|者)|代理商|[进進]口商|分装商|分裝商|出品商|[监監][制製]商?|品牌(?:商|方)"
)
_PARTY_LABEL = re.compile(
    rf"(?:(?P<producer>{_PRODUCER_ROLE})|(?P<other>{_OTHER_ROLE}))(?:名[称稱])?\s*[:：]\s*"
)


def split_parties(text: str) -> tuple[str, dict[str, str]]:
    """The producer named in a labelled enterprise cell, and the other parties by their label:
    "生产商：甲公司；经销商：乙公司" gives ("甲公司", {"经销商": "乙公司"}). An unlabelled cell is
    the producer itself."""
    labels = list(_PARTY_LABEL.finditer(text)) if "：" in text or ":" in text else []
    if not labels or labels[0].start() != 0:
        return text, {}
    producer, others = "", {}
    for index, match in enumerate(labels):
        stop = labels[index + 1].start() if index + 1 < len(labels) else len(text)
        name = text[match.end() : stop].strip(_EDGES)
        if match["producer"]:
            producer = producer or name
        else:
            label = match["other"]
            others[label] = f"{others[label]}；{name}" if label in others else name
    return producer, others


# ---------------------------------------------------------------------------------------------
# Names of organisations: agencies, authorities, enterprises

_ORGANISATION_END = re.compile(
    r"(?:院|所|中心|站|局|室|公司|厂|廠|集团|集團|协会|協會|学会|學會|大学|大學|学院|學院|委员会|委員會"
    r"|研究会|研究會|事务所|事務所|合作社|处|處|科|部|店|行|社|场|場|馆|館|坊|户|戶|商行|超市|门市|門市)"
    r"(?:[(（][^()（）]*[)）])?$"
    r"|\b(?:co\.?|ltd\.?|limited|inc\.?|corp\.?|gmbh|llc|center|centre|institute|laborator(?:y|ies)"
    r"|bureau|university|testing|inspection)\b",
    re.IGNORECASE,
)
_AGENCY_END = re.compile(
    r"(?:院|所|中心|站|局|室|实验室|實驗室|公司|协会|協會|大学|大學|学院|學院|研究会|研究會|分院|分中心)"
    r"(?:[(（][^()（）]*[)）])?$"
    r"|\b(?:co\.?|ltd\.?|limited|inc\.?|gmbh|center|centre|institute|laborator(?:y|ies)"
    r"|bureau|university|testing|inspection|services)\b",
    re.IGNORECASE,
)
_NOTE_WORDS = re.compile(
    r"^[\[【(（]|[经經](?:核|查|确|確|调|調)|否[认認]|不承[认認]|并非|並非|[见見]附|^注"
)


def looks_like_agency(name: str) -> bool:
    """Whether an agency cell names a testing body ("…研究院", "…检测中心", "SGS … Co., Ltd.")
    rather than a note ("经核查…") or a misplaced item ("[检查]（溶散时限）")."""
    return not _NOTE_WORDS.search(name) and bool(_AGENCY_END.search(name))


def looks_like_organisation(name: str) -> bool:
    """Whether a name ends like a body or business (…局, …研究院, …有限公司, …商行, …店)."""
    return bool(_ORGANISATION_END.search(name))
