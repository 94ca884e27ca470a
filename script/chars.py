"""The characters web and CMS copies are full of, in one table each: the
article reader (`article.clean_text`) and the normalizer's Unicode repair
(`normalizer.rules.unicode_cleanup`) both take them from here; and the
capital letters, for the reader's and the normalizer's patterns."""

# Soft hyphen, zero-width space/joiners, word joiner, byte-order mark.
INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
# Spaces other than the plain one (tab, no-break, en/em/thin..., narrow
# no-break, medium mathematical, ideographic), as a regex character class body.
OTHER_SPACES = "\t\u00a0\u2000-\u200a\u202f\u205f\u3000"
# Capital letters, for regex classes ("À-Ỹ" would be a range that takes in
# the lowercase letters between them).
UPPER = ("A-ZĐÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰ"
         "ỲÝỶỸỴ")
