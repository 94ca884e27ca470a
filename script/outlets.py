"""The page conventions of Vietnamese news outlets, as data.

Each outlet marks its articles in its own way: a dateline before the lead
("(Dân trí) -", "TTO -", "VOV.VN -"), a line crediting it ("Theo TTXVN"),
a request to follow it on Google News. structure.py drops these by named
rules; this table is what those rules know about outlets. Written for
audio-edition from the outlets' published pages (conventions as of 2025);
MIT like the project.

`datelines` are the exact marks an outlet puts before its first paragraph.
A mark that is not listed is still recognised by its shape (a short
parenthesis, or a short all-capitals name with dots, followed by a dash: see
structure.DATELINE), so the table is for the README and for the marks the
shape alone would miss or misjudge.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Outlet:
    name: str
    domain: str
    datelines: tuple[str, ...] = ()
    names: tuple[str, ...] = ()  # how "Theo …" and follow-us lines name it


OUTLETS: tuple[Outlet, ...] = (
    Outlet("VnExpress", "vnexpress.net", ("(VnExpress) -", "VNE -"), ("VnExpress", "VNE")),
    Outlet("Tuổi Trẻ", "tuoitre.vn", ("TTO -", "TT -"), ("Tuổi Trẻ", "Tuổi Trẻ Online", "TTO")),
    Outlet("Thanh Niên", "thanhnien.vn", ("TNO -", "(TNO) -"), ("Thanh Niên", "TNO")),
    Outlet("Dân trí", "dantri.com.vn", ("(Dân trí) -",), ("Dân trí", "Báo Dân trí")),
    Outlet("VietNamNet", "vietnamnet.vn", ("(VietNamNet) -", "VietNamNet -"), ("VietNamNet",)),
    Outlet("Znews", "znews.vn", ("(Znews) -", "Zing -"), ("Znews", "Zing News", "Zing")),
    Outlet("Lao Động", "laodong.vn", ("(LĐO) -", "LĐO -", "(Lao Động) -"), ("Lao Động", "LĐO")),
    Outlet("Người Lao Động", "nld.com.vn", ("(NLĐO) -", "NLĐO -"), ("Người Lao Động", "NLĐO")),
    Outlet("Pháp Luật TP.HCM", "plo.vn", ("(PLO) -", "(PLO)-"), ("Pháp Luật TP.HCM", "PLO")),
    Outlet("VOV", "vov.vn", ("VOV.VN -", "(VOV) -", "VOV -"), ("VOV", "VOV.VN")),
    Outlet("VTV", "vtv.vn", ("VTV.vn -", "(VTV) -", "VTV -"), ("VTV", "VTV.vn", "VTV News")),
    Outlet("Báo Chính phủ", "baochinhphu.vn", ("(Chinhphu.vn) -", "(Baochinhphu.vn) -"),
           ("Báo Chính phủ", "Chinhphu.vn", "Baochinhphu.vn")),
    Outlet("Nhân Dân", "nhandan.vn", ("NDO -", "NDĐT -", "(NDO) -"), ("Nhân Dân", "NDO")),
    Outlet("Tiền Phong", "tienphong.vn", ("TPO -", "(TPO) -"), ("Tiền Phong", "TPO")),
    Outlet("Công an nhân dân", "cand.com.vn", ("(CAND) -", "CAND -", "(CAND.com.vn) -"),
           ("CAND", "Công an nhân dân")),
    Outlet("VnEconomy", "vneconomy.vn", ("(VnEconomy) -", "VnEconomy -"), ("VnEconomy",)),
    Outlet("TTXVN", "vnanet.vn", ("(TTXVN) -", "(TTXVN/Vietnam+) -"), ("TTXVN", "Vietnam+")),
    Outlet("VietnamPlus", "vietnamplus.vn", ("(Vietnam+) -",), ("VietnamPlus", "Vietnam+")),
    Outlet("Sài Gòn Giải Phóng", "sggp.org.vn", ("SGGP -", "(SGGPO) -", "SGGPO -"),
           ("Sài Gòn Giải Phóng", "SGGP")),
    Outlet("Hà Nội Mới", "hanoimoi.vn", ("(HNMO) -", "HNM -"), ("Hà Nội Mới", "HNMO")),
    Outlet("Quân đội nhân dân", "qdnd.vn", ("(QĐND) -", "QĐND Online -"), ("QĐND",)),
    Outlet("VTC News", "vtcnews.vn", ("(VTC News) -",), ("VTC News", "VTC")),
    Outlet("Kinh tế & Đô thị", "kinhtedothi.vn", ("(Kinhtedothi) -",), ("Kinh tế & Đô thị",)),
    Outlet("An ninh Thủ đô", "anninhthudo.vn", ("ANTĐ -", "(ANTĐ) -"), ("An ninh Thủ đô",)),
    Outlet("Báo Quốc tế", "baoquocte.vn", ("(Baoquocte.vn) -",), ("Báo Quốc tế",)),
    Outlet("Báo Công Thương", "congthuong.vn", ("(Baocongthuong.vn) -",), ("Công Thương",)),
    Outlet("Báo Đầu tư", "baodautu.vn", ("(ĐTCK) -", "(Baodautu.vn) -"), ("Báo Đầu tư",)),
)

DATELINES: frozenset[str] = frozenset(d for o in OUTLETS for d in o.datelines)
