"""Apple Podcasts' categories and their subcategories, as `itunes:category`
must name them (case and "&" as written).

Source: Apple Podcasts for Creators, "Apple Podcasts categories"
(podcasters.apple.com/support/1691-apple-podcasts-categories), the list in
force since 2019: 19 categories, 110 names in all. A list of names is a fact,
not a work: no licence applies. feedgen's podcast extension (1.0.0) checks
against the list Apple replaced in 2019 ("News & Politics"), which refuses
"News" and "Daily News": one reason the feed is written here with ElementTree.
"""
from __future__ import annotations

APPLE_CATEGORIES: dict[str, tuple[str, ...]] = {
    "Arts": ("Books", "Design", "Fashion & Beauty", "Food", "Performing Arts",
             "Visual Arts"),
    "Business": ("Careers", "Entrepreneurship", "Investing", "Management", "Marketing",
                 "Non-Profit"),
    "Comedy": ("Comedy Interviews", "Improv", "Stand-Up"),
    "Education": ("Courses", "How To", "Language Learning", "Self-Improvement"),
    "Fiction": ("Comedy Fiction", "Drama", "Science Fiction"),
    "Government": (),
    "History": (),
    "Health & Fitness": ("Alternative Health", "Fitness", "Medicine", "Mental Health",
                         "Nutrition", "Sexuality"),
    "Kids & Family": ("Education for Kids", "Parenting", "Pets & Animals", "Stories for Kids"),
    "Leisure": ("Animation & Manga", "Automotive", "Aviation", "Crafts", "Games", "Hobbies",
                "Home & Garden", "Video Games"),
    "Music": ("Music Commentary", "Music History", "Music Interviews"),
    "News": ("Business News", "Daily News", "Entertainment News", "News Commentary",
             "Politics", "Sports News", "Tech News"),
    "Religion & Spirituality": ("Buddhism", "Christianity", "Hinduism", "Islam", "Judaism",
                                "Religion", "Spirituality"),
    "Science": ("Astronomy", "Chemistry", "Earth Sciences", "Life Sciences", "Mathematics",
                "Natural Sciences", "Nature", "Physics", "Social Sciences"),
    "Society & Culture": ("Documentary", "Personal Journals", "Philosophy", "Places & Travel",
                          "Relationships"),
    "Sports": ("Baseball", "Basketball", "Cricket", "Fantasy Sports", "Football", "Golf",
               "Hockey", "Rugby", "Running", "Soccer", "Swimming", "Tennis", "Volleyball",
               "Wilderness", "Wrestling"),
    "Technology": (),
    "True Crime": (),
    "TV & Film": ("After Shows", "Film History", "Film Interviews", "Film Reviews",
                  "TV Reviews"),
}


def category_problem(category: str, subcategory: str | None) -> str | None:
    """Why Apple would not take this category pair, or None when it would."""
    if category not in APPLE_CATEGORIES:
        return (f"{category!r} is not an Apple Podcasts category (one of: "
                f"{', '.join(APPLE_CATEGORIES)})")
    if subcategory is not None and subcategory not in APPLE_CATEGORIES[category]:
        subs = APPLE_CATEGORIES[category]
        return (f"{subcategory!r} is not a subcategory of {category!r} "
                + (f"(one of: {', '.join(subs)})" if subs else "(it has none)"))
    return None
