"""Reading tables: letter names, units, currencies, abbreviations, web words.

Data only. Dictionary spellings as in ../shared/vi_norm/NOTES.md (ki lô mét,
not kí lô; héc ta; mê ga oát).
"""
from __future__ import annotations

import csv
from pathlib import Path

from .. import chars

_HERE = Path(__file__).resolve().parent


UPPER = chars.UPPER  # capital letters, for regex classes


def read_table(name: str) -> list[list[str]]:
    """The rows of a tab-separated data file beside this module, without its
    comments and its header line."""
    with (_HERE / name).open(encoding="utf-8", newline="") as f:
        rows = [r for r in csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
                if r and not r[0].startswith("#")]
    return rows[1:]

# Letter names as read inside codes and acronyms (NĐ-CP -> nờ đê xê pê,
# USD -> u ét đê, VTV -> vê tê vê).
LETTERS = {
    "a": "a", "ă": "á", "â": "ớ", "b": "bê", "c": "xê", "d": "đê", "đ": "đê", "e": "e",
    "ê": "ê", "f": "ép", "g": "gờ", "h": "hát", "i": "i", "j": "giê", "k": "ca",
    "l": "lờ", "m": "mờ", "n": "nờ", "o": "ô", "ô": "ô", "ơ": "ơ", "p": "pê",
    "q": "quy", "r": "rờ", "s": "ét", "t": "tê", "u": "u", "ư": "ư", "v": "vê",
    "w": "vê kép", "x": "ích", "y": "i", "z": "dét",
}


def spell(word: str) -> str:
    return " ".join(LETTERS.get(c, c) for c in word.lower() if c.isalnum())


# Units after a number, spaced or glued (10 mg, 10mg). Longest first is
# handled by the regex builder. Dictionary spellings (ki lô, mi li, mê ga).
UNITS = {
    # length, area, volume
    "km/h": "ki lô mét trên giờ", "m/s": "mét trên giây", "km/giờ": "ki lô mét trên giờ",
    "km2": "ki lô mét vuông", "km²": "ki lô mét vuông",
    "m2": "mét vuông", "m²": "mét vuông", "m3": "mét khối", "m³": "mét khối",
    "cm2": "xen ti mét vuông", "cm3": "xen ti mét khối", "cm²": "xen ti mét vuông",
    "cm³": "xen ti mét khối", "mm2": "mi li mét vuông", "mm3": "mi li mét khối", "mm³": "mi li mét khối", "mm²": "mi li mét vuông",
    "km": "ki lô mét", "Km": "ki lô mét", "cm": "xen ti mét", "mm": "mi li mét", "m": "mét",
    "dm": "đề xi mét", "nm": "na nô mét", "µm": "mi crô mét", "μm": "mi crô mét",
    "ha": "héc ta", "l": "lít", "ml": "mi li lít", "mL": "mi li lít", "lít": "lít",
    "cc": "xê xê", "inch": "inh", "hải lý": "hải lý", "dặm": "dặm",
    # mass
    "kg": "ki lô gam", "mg": "mi li gam", "g": "gam", "gr": "gam", "µg": "mi crô gam",
    "μg": "mi crô gam", "mcg": "mi crô gam", "tấn": "tấn", "tạ": "tạ", "yến": "yến",
    "ounce": "ao xơ", "oz": "ao xơ", "lượng": "lượng",
    # power and energy
    "MW": "mê ga oát", "kW": "ki lô oát", "KW": "ki lô oát", "GW": "gi ga oát",
    "MWh": "mê ga oát giờ", "kWh": "ki lô oát giờ", "KWh": "ki lô oát giờ", "Wh": "oát giờ",
    "GWh": "gi ga oát giờ", "TWh": "tê ra oát giờ", "MWp": "mê ga oát đỉnh",
    "kWp": "ki lô oát đỉnh", "W": "oát", "kV": "ki lô vôn", "KV": "ki lô vôn", "V": "vôn",
    "kVA": "ki lô vôn am pe", "MVA": "mê ga vôn am pe", "mAh": "mi li am pe giờ",
    "Ah": "am pe giờ", "mA": "mi li am pe", "kcal": "ki lô ca lo", "cal": "ca lo",
    "hp": "mã lực", "HP": "mã lực", "Nm": "niu tơn mét",
    # temperature
    "°C": "độ xê", "ºC": "độ xê", "oC": "độ xê", "độ C": "độ xê", "°F": "độ ép", "°": "độ",
    # data and frequency
    "GB": "gi ga bai", "MB": "mê ga bai", "TB": "tê ra bai", "KB": "ki lô bai", "kB": "ki lô bai",
    "Gb": "gi ga bít", "Mb": "mê ga bít",
    "Gbps": "gi ga bít trên giây", "Mbps": "mê ga bít trên giây", "Kbps": "ki lô bít trên giây",
    "kbps": "ki lô bít trên giây", "Tbps": "tê ra bít trên giây",
    "Hz": "héc", "kHz": "ki lô héc", "MHz": "mê ga héc", "GHz": "gi ga héc",
    "MP": "mê ga pích xeo", "fps": "khung hình trên giây", "dB": "đề xi ben",
    # concentration and medicine
    "ppm": "phần triệu", "ppb": "phần tỷ", "mmHg": "mi li mét thủy ngân",
    "mmol/l": "mi li mon trên lít", "mmol/L": "mi li mon trên lít", "mmol": "mi li mon",
    "IU": "đơn vị quốc tế", "UI": "đơn vị quốc tế",
    "ms": "mi li giây", "µs": "mi crô giây", "nit": "nít", "K": "ca",
}

# Unit symbols read even with no number before them ("mỗi m2", "cho kWh"):
# those with a digit or a sign are always safe; letters-only ones are listed.
# (not GB, MB, TB: "Ngân hàng MB" is a bank)
LONE_UNITS = frozenset(("km", "kg", "mg", "ml", "cm", "mm", "kWh", "MWh", "GWh", "MW", "kW",
                        "GW", "mAh", "GHz", "MHz", "Hz", "kV", "Mbps", "Gbps", "µg", "μg", "nm"))

# Words that may follow "/" meaning "per" (đồng/kg, người/km2).
PER_UNITS = {
    **UNITS, "giờ": "giờ", "h": "giờ", "ngày": "ngày", "tháng": "tháng", "năm": "năm",
    "lít": "lít", "tấn": "tấn", "con": "con", "suất": "suất",
    "hộ": "hộ", "lượt": "lượt", "cái": "cái", "chiếc": "chiếc", "phút": "phút",
    "tuần": "tuần", "lần": "lần", "km": "ki lô mét", "ca": "ca", "giây": "giây",
    "lượng": "lượng", "chỉ": "chỉ", "thùng": "thùng", "s": "giây",
    "ounce": "ao xơ", "cổ phiếu": "cổ phiếu", "cp": "cổ phiếu", "USD": "đô la Mỹ",
    "đồng": "đồng", "vé": "vé", "đêm": "đêm", "phòng": "phòng", "học sinh": "học sinh",
    "học kỳ": "học kỳ", "tín chỉ": "tín chỉ",
    "bao": "bao", "gói": "gói", "viên": "viên", "liều": "liều", "lô": "lô", "sào": "sào",
    "vụ": "vụ", "thuê bao": "thuê bao",
}
# A "/" after one of these is "per" whatever follows (triệu đồng/lượng, ca/ngày).
PER_LEFT = frozenset(
    "đồng USD usd VNĐ vnđ EUR euro yên nhân dân tệ tấn tạ kg mg g ml lít km m2 m3 ha "
    "kWh MW".split())

CURRENCY_AFTER = {  # 30.000đ, 25 USD
    "đ": "đồng", "đồng": "đồng", "VNĐ": "đồng", "VND": "đồng", "vnđ": "đồng",
    "vnd": "đồng", "USD": "đô la Mỹ", "usd": "đô la Mỹ", "EUR": "ơ rô",
    "euro": "ơ rô", "€": "ơ rô", "yên": "yên", "NDT": "nhân dân tệ",
}
CURRENCY_BEFORE = {"$": "đô la", "US$": "đô la Mỹ", "€": "ơ rô", "£": "bảng Anh"}

# Abbreviations, matched case-sensitively as whole tokens (abbreviations.tsv:
# 800+ curated entries, with their source and licence in its header). Expanded
# in lowercase except proper names.
ABBREVIATIONS = {
    **{row[0]: row[1] for row in read_table("abbreviations.tsv")},
    "Km": "ki lô mét", "Mr": "ông", "Mrs": "bà",
}
# "GD&ĐT" is also written "GD-ĐT" and "GDĐT": the same reading (not for
# one-letter sides: "M&A" must not make "MA").
ABBREVIATIONS.update({
    variant: spoken for key, spoken in list(ABBREVIATIONS.items())
    if "&" in key and all(len(side) >= 2 for side in key.split("&"))
    for variant in (key.replace("&", "-"), key.replace("&", "")) if variant not in ABBREVIATIONS})

# Letter prefixes glued to a number (QL1A): their reading there.
NUMBER_PREFIXES = {"QL": "quốc lộ", "TL": "tỉnh lộ", "ĐT": "đường tỉnh", "Q": "quận",
                   "P": "phường", "KM": "ki lô mét", "Km": "ki lô mét", "HL": "hương lộ",
                   "DT": "đường tỉnh", "CT": "cao tốc"}

# Context-dependent readings: 'CP' after 'Công ty' is cổ phần.
COMPANY_WORDS = ("công ty", "cty", "tập đoàn", "ngân hàng", "tổng công ty")

# Issuers in document numbers (15/2020/NĐ-CP): read "của <issuer>".
ISSUERS = {
    "CP": "chính phủ", "TTg": "thủ tướng chính phủ", "QH": "quốc hội",
    "UBTVQH": "ủy ban thường vụ quốc hội", "UBND": "ủy ban nhân dân",
    "HĐND": "hội đồng nhân dân", "BTC": "bộ tài chính", "BCA": "bộ công an",
    "BYT": "bộ y tế", "BGDĐT": "bộ giáo dục và đào tạo", "BGTVT": "bộ giao thông vận tải",
    "NHNN": "ngân hàng nhà nước", "BCT": "bộ công thương", "BQP": "bộ quốc phòng",
    "TW": "trung ương", "BXD": "bộ xây dựng", "BTP": "bộ tư pháp", "CTN": "chủ tịch nước",
}
DOCUMENT_TYPES = {"NĐ", "QĐ", "NQ", "TT", "CT", "KH", "CV", "TB", "BC", "HD", "L",
                  "QH", "PL", "TTLT", "TTr", "KL", "UBTVQH"}

# Words of web addresses, written without tones: read them with their tones.
WEB_WORDS = {
    "bao": "báo", "chinh": "chính", "phu": "phủ", "nhan": "nhân", "dan": "dân",
    "tuoi": "tuổi", "tre": "trẻ", "thanh": "thanh", "nien": "niên", "tri": "trí",
    "lao": "lao", "dong": "động", "tin": "tin", "tuc": "tức", "cong": "công",
    "an": "an", "quan": "quân", "doi": "đội", "suc": "sức", "khoe": "khỏe",
    "doi song": "đời sống", "giao": "giáo", "duc": "dục", "thoi": "thời", "dai": "đại",
    "phap": "pháp", "luat": "luật", "kinh": "kinh", "te": "tế", "viet": "việt",
    "nam": "nam", "ha": "hà", "noi": "nội", "moi": "mới", "tien": "tiền", "phong": "phong",
    "van": "văn", "hoa": "hóa", "the": "thể", "thao": "thao", "dien": "điện", "tu": "tử",
    "so": "số", "hanoi": "hà nội", "vietnam": "việt nam", "vietnamnet": "việt nam nét",
    "nguoi": "người", "lao dong": "lao động", "tiep": "tiếp", "thi": "thị", "xa": "xã",
    "hoi": "hội", "quoc": "quốc", "gia": "gia", "bo": "bộ", "y": "y", "so y": "sở y",
    "mat": "mặt", "tran": "trận", "dang": "đảng", "cong san": "cộng sản", "san": "sản",
    "vtv": "vê tê vê", "vov": "vê ô vê", "vtc": "vê tê xê", "vnexpress": "vi en ếch prét",
    "vnanet": "vi en a nét", "vna": "vê nờ a", "zing": "dinh", "gmail": "gờ meo",
    "yahoo": "da hu", "outlook": "ao lúc", "hotmail": "hót meo", "google": "gu gồ",
    "facebook": "phây búc", "youtube": "diu túp", "www": "vê kép vê kép vê kép",
    "gov": "gờ ô vê", "edu": "e đu", "org": "o rờ gờ", "net": "nét", "com": "com",
    "vn": "vê nờ", "info": "in phô", "mail": "meo", "email": "i meo", "online": "on lai",
    "news": "niu", "toa": "tòa", "soan": "soạn", "lien": "liên", "he": "hệ", "ho": "hỗ", "trợ": "trợ", "tv": "ti vi", "info ": "in phô", "express": "ếch prét", "plus": "plát",
}

# Words that say a d/m is a date: "ngày 17/1", "sáng 14/10", "từ 3/5".
DATE_CUES = ("ngày", "sáng", "trưa", "chiều", "tối", "đêm", "rạng sáng", "hôm", "mùng",
             "mồng", "từ", "đến", "tới", "vào", "trước", "sau", "hết", "hạn",
             "đầu", "cuối", "giữa", "khuya", "lúc")
# Only these make a d-m or d.m a date (a hyphen is otherwise a range: "từ 3-5 ngày").
STRONG_DATE_CUES = ("ngày", "sáng", "trưa", "chiều", "tối", "đêm", "rạng sáng", "hôm",
                    "mùng", "mồng", "khuya", "quốc khánh", "lễ", "dịp")
FRACTION_CUES = ("khoảng", "gần", "hơn", "chiếm", "trên", "dưới", "còn", "đạt", "tới",
                 "bằng", "được", "mất", "là", "có")
FRACTION_FOLLOWERS = ("số", "dân số", "diện tích", "tổng", "lượng", "trong số", "thời gian",
                      "các", "những", "sản lượng", "kinh phí", "nhiệm kỳ")
ADDRESS_CUES = ("số nhà", "nhà số", "ngõ", "ngách", "hẻm", "kiệt", "hẻm số", "ngõ số")
PHONE_CUES = ("gọi", "số", "tổng đài", "đường dây nóng", "hotline", "điện thoại",
              "số máy", "liên hệ", "đầu số", "gọi tới", "gọi đến", "bấm", "cảnh sát",
              "công an", "cấp cứu", "cứu hỏa", "cứu hoả", "cứu hộ", "báo cháy", "khẩn cấp",
              "trực ban", "trực")
ROMAN_CUES = ("vùng", "quý", "khóa", "khoá", "thế kỷ", "thế kỉ", "kỷ", "đại hội", "lần thứ", "thứ",
              "phần", "chương", "tập", "kỳ", "cấp", "báo động", "hạng", "mục", "phụ lục",
              "giai đoạn", "quốc hội", "hội nghị", "lớp", "điều", "khoản", "vòng", "đợt")


def _foreign() -> tuple[dict[str, str], dict[str, str]]:
    """foreign.tsv: (exact-case entries, case-insensitive entries keyed lowercase)."""
    exact: dict[str, str] = {}
    folded: dict[str, str] = {}
    for row in read_table("foreign.tsv"):
        written, spoken, match = row[0], row[1], row[2]
        if match == "i":
            folded[written.lower()] = spoken
        else:
            exact[written] = spoken
    return exact, folded


# Foreign words and brands common in Vietnamese news, read the way presenters
# say them (foreign.tsv, with its source and licence in its header).
FOREIGN_EXACT, FOREIGN_FOLDED = _foreign()
