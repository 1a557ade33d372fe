"""A city pack without monitoring or a project list (Xiamen's) opens every page: the pages that need them say
what the pack lacks, in the reader's language, and draw nothing from another city."""

from __future__ import annotations

import pytest
from app_testkit import new_app

PAGES = ("projections", "monitoring", "targets", "pipeline")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_page_opens_for_a_pack_without_monitoring_or_projects(lang):
    said = {"zh": ("厦门市的数据包没有年内月度监测数据", "厦门市的数据包没有区市及其权重",
                   "厦门市的数据包没有项目清单"),
            "en": ("Xiamen's pack holds no in-year monthly figures", "Xiamen's pack holds no districts",
                   "Xiamen's pack holds no project list")}[lang]
    seen = []
    for page in PAGES:
        at = new_app({"city": "xiamen", "page": page, "lang": lang}).run(timeout=300)
        assert not at.exception, (page, [e.value for e in at.exception])  # these pages crashed before
        seen += [m.value for m in (*at.info, *at.markdown)]
    for text in said:  # monitoring (page and first-screen standing), the district split, the pipeline
        assert any(text in s for s in seen), (text, lang)
