"""What a record's search entry holds, and how the plugin finishes Material's index entries."""

from __future__ import annotations

import json

from generator.derive.facts import RegistryFacts
from generator.plugin.search import WORDS, finish_entry
from generator.render.site.search import center_text, document_numbers, notice_text

ZW = "\u200b"


def test_a_center_is_found_by_what_people_type(facts: RegistryFacts) -> None:
    for c in facts.centers:
        text = center_text(c)
        assert c.id in text and c.center.data["location"] in text and c.status_label in text
        for unit in (c.center.first_host_unit, *c.center.co_building_units):
            assert unit["name"] in text
            assert unit.get("credit_code", "") in text
        for number in document_numbers(c):
            assert number in text
        for old, _ in c.center.former_names:
            assert old in text
        if c.ratings.annual:
            assert c.ratings.annual[-1].grade in text
        overdue = any(d.state == "overdue" for d in c.deadlines)
        assert ("逾期" in text) == overdue, c.id
        assert ("应予撤销" in text) == any(f.kind == "revocation" for f in c.flags), c.id
    assert any("逾期" in center_text(c) for c in facts.centers), "the sample has an overdue center to search for"


def test_a_center_entry_stays_small(facts: RegistryFacts) -> None:
    # UTF-8 JSON of title + text, before Material adds U+200B between words (3 bytes each)
    sizes = [len(json.dumps([c.center.name, center_text(c)], ensure_ascii=False).encode()) for c in facts.centers]
    assert max(sizes) < 700, sizes


def test_a_notice_is_found_by_its_number_and_list() -> None:
    from types import SimpleNamespace

    notice = SimpleNamespace(
        data={"subject": "拟批准建设", "document_number": "忻科函〔2025〕9号"},
        entries=[{"name": "忻州市示例技术创新中心"}],
        issue_date="2025-11-10",
    )
    text = notice_text(SimpleNamespace(notice=notice))  # type: ignore[arg-type]
    assert text.startswith("忻科函〔2025〕9号，拟批准建设") and "忻州市示例技术创新中心" in text


def test_finished_entries_have_whole_titles_and_number_words() -> None:
    entry = {
        "location": "centers/x/",
        "title": f"忻州市{ZW}示例{ZW}中心",
        "text": f"忻科发{ZW}〔2025〕31{ZW}号{ZW}、{ZW}第{ZW}3{ZW}年",
    }
    finish_entry(entry)
    assert entry["title"] == "忻州市示例中心"
    assert entry[WORDS] == f"忻州市{ZW}示例{ZW}中心"
    assert entry["text"] == f"忻科发{ZW}〔2025〕31号{ZW}、{ZW}第{ZW}3{ZW}年"
    plain = {"location": "a/", "title": "FAQ", "text": "x"}
    assert finish_entry(dict(plain)) == plain  # nothing to take apart: no words field
