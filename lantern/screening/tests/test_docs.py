from lantern.screening.docs import RULES_DOC, rules_markdown
from lantern.screening.rules import RULES


def test_docs_rules_md_is_what_the_rules_say():
    written = RULES_DOC.read_text(encoding="utf-8")
    assert written == rules_markdown(), "run `lantern rules-doc` and commit docs/rules.md"


def test_every_rule_says_what_it_learned_and_what_to_do():
    for rule in RULES.values():
        assert rule.learning
        assert rule.recommended_action
        assert rule.trigger
