"""Reading tables: letter names, units, currencies, abbreviations, web words.

Data only. Dictionary spellings as in ../shared/vi_norm/NOTES.md (ki lô mét,
not kí lô; héc ta; mê ga oát).
"""
from __future__ import annotations

# Letter names as read inside codes and acronyms (NĐ-CP -> nờ đê xê pê,
# USD -> u ét đê, VTV -> vê tê vê).
LETTERS = {
    "a": "a", "ă": "á", "â": "ớ", "b": "bê", "c": "xê", "d": "đê", "đ": "đê", "e": "e",
    "ê": "ê", "f": "ép", "g": "gờ", "h": "hát", "i": "i", "j": "giây", "k": "ca",
    "l": "lờ", "m": "mờ", "n": "nờ", "o": "ô", "ô": "ô", "ơ": "ơ", "p": "pê",
    "q": "quy", "r": "rờ", "s": "ét", "t": "tê", "u": "u", "ư": "ư", "v": "vê",
    "w": "vê kép", "x": "ích", "y": "i", "z": "dét",
}


def spell(word: str) -> str:
    return " ".join(LETTERS.get(c, c) for c in word.lower() if c.isalnum())


# Units after a number. Longest first is handled by the regex builder.
UNITS = {
    "km/h": "ki lô mét trên giờ", "m/s": "mét trên giây",
    "km2": "ki lô mét vuông", "km²": "ki lô mét vuông",
    "m2": "mét vuông", "m²": "mét vuông", "m3": "mét khối", "m³": "mét khối",
    "cm2": "xen ti mét vuông", "cm3": "xen ti mét khối",
    "km": "ki lô mét", "Km": "ki lô mét", "cm": "xen ti mét", "mm": "mi li mét", "m": "mét",
    "kg": "ki lô gam", "mg": "mi li gam", "g": "gam",
    "ha": "héc ta", "l": "lít", "ml": "mi li lít",
    "MW": "mê ga oát", "kW": "ki lô oát", "KW": "ki lô oát", "GW": "gi ga oát",
    "MWh": "mê ga oát giờ", "kWh": "ki lô oát giờ", "KWh": "ki lô oát giờ",
    "W": "oát", "kV": "ki lô vôn", "V": "vôn",
    "°C": "độ xê", "ºC": "độ xê", "oC": "độ xê", "°F": "độ ép", "°": "độ",
    "GB": "gi ga bai", "MB": "mê ga bai", "TB": "tê ra bai",
    "Hz": "héc", "MHz": "mê ga héc", "GHz": "gi ga héc",
    "ppm": "phần triệu",
}

# Words that may follow "/" meaning "per" (đồng/kg, người/km2).
PER_UNITS = {
    **UNITS, "giờ": "giờ", "h": "giờ", "ngày": "ngày", "tháng": "tháng", "năm": "năm",
    "người": "người", "lít": "lít", "tấn": "tấn", "con": "con", "suất": "suất",
    "hộ": "hộ", "lượt": "lượt", "cái": "cái", "chiếc": "chiếc", "phút": "phút",
    "tuần": "tuần", "lần": "lần", "km": "ki lô mét", "ca": "ca",
}

CURRENCY_AFTER = {  # 30.000đ, 25 USD
    "đ": "đồng", "đồng": "đồng", "VNĐ": "đồng", "VND": "đồng", "vnđ": "đồng",
    "vnd": "đồng", "USD": "đô la Mỹ", "usd": "đô la Mỹ", "EUR": "ơ rô",
    "euro": "ơ rô", "€": "ơ rô", "yên": "yên", "NDT": "nhân dân tệ",
}
CURRENCY_BEFORE = {"$": "đô la", "US$": "đô la Mỹ", "€": "ơ rô", "£": "bảng Anh"}

# Abbreviations, matched case-sensitively as whole tokens. Expanded in lowercase
# except proper names.
ABBREVIATIONS = {
    "TP.HCM": "thành phố Hồ Chí Minh", "TP HCM": "thành phố Hồ Chí Minh",
    "TP. HCM": "thành phố Hồ Chí Minh", "TPHCM": "thành phố Hồ Chí Minh",
    "Tp.HCM": "thành phố Hồ Chí Minh", "HCM": "Hồ Chí Minh", "HN": "Hà Nội",
    "PGS.TS": "phó giáo sư tiến sĩ", "PGS. TS": "phó giáo sư tiến sĩ",
    "GS.TS": "giáo sư tiến sĩ", "GS. TS": "giáo sư tiến sĩ", "GS.TSKH": "giáo sư tiến sĩ khoa học",
    "PGS": "phó giáo sư", "GS": "giáo sư", "TS": "tiến sĩ", "ThS": "thạc sĩ",
    "ThS.": "thạc sĩ", "TS.": "tiến sĩ", "BS": "bác sĩ", "BS.": "bác sĩ",
    "ThS.BS": "thạc sĩ bác sĩ", "TS.BS": "tiến sĩ bác sĩ", "BSCKII": "bác sĩ chuyên khoa hai",
    "BSCKI": "bác sĩ chuyên khoa một", "KS": "kỹ sư", "LS": "luật sư", "NSƯT": "nghệ sĩ ưu tú",
    "NSND": "nghệ sĩ nhân dân",
    "UBND": "ủy ban nhân dân", "HĐND": "hội đồng nhân dân", "MTTQ": "mặt trận tổ quốc",
    "UBMTTQ": "ủy ban mặt trận tổ quốc", "TAND": "tòa án nhân dân",
    "VKSND": "viện kiểm sát nhân dân", "CAND": "công an nhân dân", "QĐND": "quân đội nhân dân",
    "ĐBQH": "đại biểu quốc hội", "QH": "quốc hội", "TW": "trung ương", "T.Ư": "trung ương",
    "TƯ": "trung ương", "BCH": "ban chấp hành", "BCĐ": "ban chỉ đạo", "BQL": "ban quản lý",
    "GD&ĐT": "giáo dục và đào tạo", "GDĐT": "giáo dục đào tạo",
    "LĐ-TB&XH": "lao động thương binh và xã hội", "LĐTB&XH": "lao động thương binh và xã hội",
    "LĐTBXH": "lao động thương binh xã hội",
    "KH&CN": "khoa học và công nghệ", "KHCN": "khoa học công nghệ",
    "KH&ĐT": "kế hoạch và đầu tư", "KHĐT": "kế hoạch đầu tư",
    "NN&PTNT": "nông nghiệp và phát triển nông thôn", "TN&MT": "tài nguyên và môi trường",
    "TNMT": "tài nguyên môi trường", "VH-TT&DL": "văn hóa thể thao và du lịch",
    "VHTTDL": "văn hóa thể thao du lịch", "GTVT": "giao thông vận tải",
    "TT&TT": "thông tin và truyền thông", "TTTT": "thông tin truyền thông",
    "CSGT": "cảnh sát giao thông", "PCCC": "phòng cháy chữa cháy", "ATGT": "an toàn giao thông",
    "THPT": "trung học phổ thông", "THCS": "trung học cơ sở", "ĐH": "đại học",
    "CĐ": "cao đẳng", "ĐHQG": "đại học quốc gia", "HS": "học sinh", "SV": "sinh viên",
    "BHXH": "bảo hiểm xã hội", "BHYT": "bảo hiểm y tế", "BHTN": "bảo hiểm thất nghiệp",
    "KT-XH": "kinh tế xã hội", "KTXH": "kinh tế xã hội", "XHCN": "xã hội chủ nghĩa",
    "CNH-HĐH": "công nghiệp hóa hiện đại hóa", "ĐBSCL": "đồng bằng sông Cửu Long",
    "TNHH": "trách nhiệm hữu hạn", "MTV": "một thành viên", "CLB": "câu lạc bộ", "HLV": "huấn luyện viên",
    "VĐV": "vận động viên", "ĐT": "đội tuyển", "BTC": "ban tổ chức", "LHQ": "Liên Hợp Quốc",
    "NĐ-CP": "nghị định chính phủ", "NQ-CP": "nghị quyết chính phủ", "QĐ-TTg": "quyết định thủ tướng",
    "NĐ": "nghị định", "QĐ": "quyết định", "NQ": "nghị quyết", "TTg": "Thủ tướng",
    "CP": "chính phủ", "QL": "quản lý", "ĐT.": "đường tỉnh",
    "VN": "Việt Nam", "v.v.": "vân vân", "v.v": "vân vân", "vv.": "vân vân",
    "TP.": "thành phố", "TP": "thành phố", "Tp.": "thành phố", "TX.": "thị xã", "TT.": "thị trấn",
    "Q.": "quận", "P.": "phường", "H.": "huyện", "X.": "xã", "KP.": "khu phố",
    "GDP": "gờ đê pê", "CPI": "xê pê i", "FDI": "ép đê i", "ODA": "ô đê a",
    "COVID-19": "cô vít mười chín", "Covid-19": "cô vít mười chín", "COVID": "cô vít",
    "Covid": "cô vít", "WHO": "tổ chức y tế thế giới", "ASEAN": "a xê an",
    "Km": "ki lô mét", "Mr": "ông", "Mrs": "bà", "USD": "đô la Mỹ", "VNĐ": "đồng", "VND": "đồng",
}

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
                    "mùng", "mồng", "khuya")
FRACTION_CUES = ("khoảng", "gần", "hơn", "chiếm", "trên", "dưới", "còn", "đạt", "tới",
                 "bằng", "được", "mất", "là", "có")
FRACTION_FOLLOWERS = ("số", "dân số", "diện tích", "tổng", "lượng", "trong số", "thời gian",
                      "các", "những", "sản lượng", "kinh phí", "nhiệm kỳ")
ADDRESS_CUES = ("số nhà", "nhà số", "ngõ", "ngách", "hẻm", "kiệt", "hẻm số", "ngõ số")
PHONE_CUES = ("gọi", "số", "tổng đài", "đường dây nóng", "hotline", "điện thoại",
              "số máy", "liên hệ", "đầu số", "gọi tới", "gọi đến", "bấm", "cảnh sát",
              "công an", "cấp cứu", "cứu hỏa", "cứu hoả", "cứu hộ", "báo cháy", "khẩn cấp",
              "trực ban", "trực")
ROMAN_CUES = ("quý", "khóa", "khoá", "thế kỷ", "thế kỉ", "kỷ", "đại hội", "lần thứ", "thứ",
              "phần", "chương", "tập", "kỳ", "cấp", "báo động", "hạng", "mục", "phụ lục",
              "giai đoạn", "quốc hội", "hội nghị", "lớp", "điều", "khoản", "vòng", "đợt")
