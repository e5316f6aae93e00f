"""Replies an agent would actually send: properties of the composed reply that must hold for
realistic messages in both languages, whatever the phrase chosen (variants 1 to 3).

Each row is a customer message and the mood it is written in; the checks are about what the
customer would read: a greeting without a raw {{name}}, five real steps, no sentence said
twice, no apology to someone who is calm or thankful, no cheerful sign-off to someone who is
grieving or angry, "vous" and never "tu" in French.
"""

from __future__ import annotations

import re

import pytest

from empathy_cli.analysis import analyze
from empathy_cli.composer import Reply, address, compose
from empathy_cli.models import Banks

# (id, language, mood, message). The mood is what the message is written in; `bereavement`
# is a sad message about someone who died.
MESSAGES = [
    (
        "en-angry-late",
        "en",
        "angry",
        "This is the third time I'm writing. Order 55120 was supposed to arrive last Monday "
        "and it's STILL not here. Absolutely unacceptable.",
    ),
    (
        "en-frustrated-refund",
        "en",
        "frustrated",
        "Hi, I returned the jacket on the 2nd and I still haven't seen my refund. It's been "
        "18 days. Can someone please tell me what's going on?",
    ),
    (
        "en-confused-invoice",
        "en",
        "confused",
        "Hello, my invoice this month says £42.99 but my plan is £29.99. I don't understand "
        "where the extra comes from?",
    ),
    (
        "en-worried-locked-out",
        "en",
        "worried",
        "I can't log in to my account and I have bills due tomorrow that are paid from it. "
        "Please help, I'm really worried.",
    ),
    (
        "en-bereavement-cancel",
        "en",
        "bereavement",
        "Hello, my husband passed away last month and I need to cancel his subscription. "
        "I'm not sure how to do this.",
    ),
    (
        "en-disappointed-gift",
        "en",
        "disappointed",
        "The birthday present for my daughter arrived two days after her party. She was so "
        "disappointed, and so am I.",
    ),
    (
        "en-grateful",
        "en",
        "grateful",
        "Thanks so much for replacing my broken kettle so quickly, the new one works "
        "perfectly. Really appreciate it!",
    ),
    ("en-calm-hours", "en", "neutral", "Hi, what are your opening hours on Saturday?"),
    (
        "fr-angry-no-reply",
        "fr",
        "angry",
        "Votre service client est une honte. Trois semaines, cinq mails, zéro réponse. "
        "J'en ai assez de votre société.",
    ),
    (
        "fr-worried-locked-out",
        "fr",
        "worried",
        "Je n'arrive plus à me connecter à mon compte et je dois payer mon loyer demain. "
        "Je suis très inquiet, aidez-moi s'il vous plaît.",
    ),
    (
        "fr-bereavement",
        "fr",
        "bereavement",
        "Bonjour, mon père est décédé le mois dernier et je dois résilier son abonnement. "
        "Je ne sais pas quelles pièces fournir.",
    ),
    (
        "fr-confused-renewal",
        "fr",
        "confused",
        "Bonjour, je ne comprends pas bien si mon abonnement se renouvelle automatiquement "
        "chaque année ou si je dois faire quelque chose.",
    ),
    (
        "fr-disappointed-gift",
        "fr",
        "disappointed",
        "Le cadeau d'anniversaire de ma fille est arrivé deux jours après sa fête. Elle était "
        "très déçue, et moi aussi.",
    ),
    (
        "fr-grateful",
        "fr",
        "grateful",
        "Un grand merci à Julien qui a réglé mon problème en cinq minutes la semaine "
        "dernière. Service au top !",
    ),
    ("fr-calm-hours", "fr", "neutral", "Bonjour, quels sont vos horaires d'ouverture le samedi ?"),
]

APOLOGY = {
    "en": re.compile(r"\b(sorry|apologi[sz]e|apologies)\b", re.IGNORECASE),
    "fr": re.compile(r"\b(désolée?|excuses|pardon|je regrette|nous regrettons)\b", re.IGNORECASE),
}
# Sign-offs that wish a nice day or sound delighted: fine for thanks and questions, out of
# place for someone grieving or furious.
CHEERFUL = {
    "en": re.compile(r"!|\b(lovely|great|good) (rest of your )?day\b|\bpleasure\b", re.IGNORECASE),
    "fr": re.compile(
        r"!|\b(belle|bonne|excellente) (fin de )?journée\b|\bau plaisir\b", re.IGNORECASE
    ),
}
CONDOLENCES = {
    "en": re.compile(r"\b(condolences|your loss|going through)\b", re.IGNORECASE),
    "fr": re.compile(r"\b(condoléances|de tout cœur|compatis)", re.IGNORECASE),
}
INFORMAL_FR = re.compile(r"\b(tu|te|toi|ton|ta|tes|t')\b", re.IGNORECASE)
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
VARIANTS = (1, 2, 3)


def _replies(banks: Banks, language: str, text: str) -> list[Reply]:
    analysis = analyze(text, banks, lang=language)
    return [compose(analysis, banks, variant=v) for v in VARIANTS]


def _sentences(text: str) -> list[str]:
    return [s.strip().casefold() for s in SENTENCE_END.split(text.replace("\n", " ")) if s.strip()]


def _agent_text(reply: Reply) -> str:
    """The reply without the parts that restate the customer's own words."""
    return "\n".join(
        [
            reply.greeting.text,
            *(s.text for s in reply.steps if s.id != "listen"),
            reply.closing.text,
        ]
    )


@pytest.mark.parametrize(
    ("language", "mood", "text"), [m[1:] for m in MESSAGES], ids=[m[0] for m in MESSAGES]
)
def test_every_reply_is_complete_and_sendable(
    banks: Banks, language: str, mood: str, text: str
) -> None:
    for reply in _replies(banks, language, text):
        assert reply.language == language
        assert [s.id for s in reply.steps] == [
            "listen",
            "validate",
            "perspective",
            "compassion",
            "collaborate",
        ]
        assert all(s.text.strip() for s in reply.steps), reply.reply
        # no customer name was given or found: the first line must not show a raw slot
        assert "{{name}}" not in reply.reply.splitlines()[0], reply.reply
        sentences = _sentences(reply.reply)
        repeated = {s for s in sentences if sentences.count(s) > 1}
        assert not repeated, reply.reply
        ids = [p.phrase_id for p in (reply.greeting, *reply.steps, reply.closing)]
        assert len(ids) == len(set(ids)), ids


@pytest.mark.parametrize(
    ("mood", "text"),
    [(m[2], m[3]) for m in MESSAGES if m[1] == "fr"],
    ids=[m[0] for m in MESSAGES if m[1] == "fr"],
)
def test_french_replies_say_vous_and_never_tu(banks: Banks, mood: str, text: str) -> None:
    for reply in _replies(banks, "fr", text):
        body = _agent_text(reply)
        assert "vous" in reply.reply.lower(), reply.reply
        assert not INFORMAL_FR.search(body), body


CALM_OR_THANKFUL = [m for m in MESSAGES if m[2] in ("neutral", "grateful")]


@pytest.mark.parametrize(
    ("language", "text"),
    [(m[1], m[3]) for m in CALM_OR_THANKFUL],
    ids=[m[0] for m in CALM_OR_THANKFUL],
)
def test_calm_and_thankful_customers_get_no_apology(banks: Banks, language: str, text: str) -> None:
    for reply in _replies(banks, language, text):
        body = _agent_text(reply)
        assert not APOLOGY[language].search(body), body


GRIEVING_OR_ANGRY = [m for m in MESSAGES if m[2] in ("bereavement", "angry")]


@pytest.mark.parametrize(
    ("language", "text"),
    [(m[1], m[3]) for m in GRIEVING_OR_ANGRY],
    ids=[m[0] for m in GRIEVING_OR_ANGRY],
)
def test_no_cheerful_greeting_or_sign_off_for_grief_or_anger(
    banks: Banks, language: str, text: str
) -> None:
    for reply in _replies(banks, language, text):
        assert not CHEERFUL[language].search(reply.closing.text), reply.closing.text
        assert "!" not in reply.greeting.text, reply.greeting.text
        assert not reply.greeting.text.lower().startswith(("hi there", "hey")), reply.greeting.text
        assert "merci" not in reply.greeting.text.lower(), reply.greeting.text


BEREAVEMENT = [m for m in MESSAGES if m[2] == "bereavement"]


@pytest.mark.parametrize(
    ("language", "text"), [(m[1], m[3]) for m in BEREAVEMENT], ids=[m[0] for m in BEREAVEMENT]
)
def test_bereavement_gets_sympathy_not_a_sales_pitch(
    banks: Banks, language: str, text: str
) -> None:
    reply = _replies(banks, language, text)[0]
    compassion = reply.steps[3].text
    assert CONDOLENCES[language].search(compassion), compassion
    # nobody who has lost someone should be told their cancellation is "their decision"
    # or be offered another plan first
    body = _agent_text(reply).lower()
    for cold in ("your decision", "talk through", "votre décision", "autre solution"):
        assert cold not in body, body


def test_a_worried_customer_is_not_told_to_take_their_time(banks: Banks) -> None:
    text = next(m[3] for m in MESSAGES if m[0] == "en-worried-locked-out")
    for reply in _replies(banks, "en", text):
        body = _agent_text(reply).lower()
        assert "whenever you're ready" not in body, body
        assert "take whatever time" not in body, body


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "My card was declined at the supermarket even though I have money on it. "
               "Really embarrassing."),
        ("en", "My bank transfer to my landlord failed twice today and I don't know why."),
        ("fr", "Ma carte a été refusée à la caisse alors que j'ai de l'argent sur le compte."),
        ("fr", "Mon virement vers mon propriétaire a échoué deux fois aujourd'hui."),
    ],
)  # fmt: skip
def test_a_refused_card_or_transfer_is_not_answered_as_a_faulty_purchase(
    banks: Banks, language: str, text: str
) -> None:
    # the customer already said what went wrong and bought nothing: no "something you paid
    # for", no "tell me what's wrong", no repair or exchange
    for reply in _replies(banks, language, text):
        body = _agent_text(reply).lower()
        for wrong in ("paid for", "what's wrong", "what's going wrong", "repair", "avez payé",
                      "ce qui ne va pas", "réparation", "échange"):  # fmt: skip
            assert wrong not in body, body


def test_french_phrases_never_give_the_agent_a_gender(banks: Banks) -> None:
    # the same bank serves every agent: "je suis désolé" or "je suis ravie" would be wrong
    # for half of them ("je regrette", "nous sommes ravis" are right for all)
    gendered = re.compile(
        r"\bje suis (?:\w+ )?(?:désolée?|navrée?|ravie?|contente?|heureuse|heureux|certaine?)\b",
        re.IGNORECASE,
    )
    found = [p.id for p in banks.phrases if p.language == "fr" and gendered.search(p.text)]
    assert found == []


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "I was on hold for 45 minutes and then the call dropped. Third time this week."),
        ("fr", "J'ai appelé 4 fois, on me dit qu'on va me rappeler et rien. Je suis à bout."),
    ],
)
def test_a_customer_who_called_is_not_told_they_wrote(
    banks: Banks, language: str, text: str
) -> None:
    for reply in _replies(banks, language, text):
        body = _agent_text(reply).lower()
        for wrong in ("writing to us", "write to us", "your previous messages", "vos messages",
                      "plusieurs messages", "vous nous écrivez"):  # fmt: skip
            assert wrong not in body, body


@pytest.mark.parametrize(
    ("name", "language", "expected"),
    [
        ("Priya Shah", "en", "Priya"),
        ("Mr Jones", "en", "Mr Jones"),  # a title: the whole name
        ("Dr. Anna Berg", "en", "Dr. Anna Berg"),
        ("Priya", "en", "Priya"),
        ("Marie Lefèvre", "fr", "Marie Lefèvre"),  # French writes the whole name
    ],
)
def test_how_the_reply_addresses_the_customer(name: str, language: str, expected: str) -> None:
    assert address(name, language) == expected


def test_an_english_reply_greets_the_customer_by_first_name(banks: Banks) -> None:
    text = "Hello,\n\nThe engineer never came and nobody called.\n\nRegards,\nPriya Shah\n"
    replies = _replies(banks, "en", text)
    assert all("Priya Shah" not in reply.reply for reply in replies)
    assert replies[0].greeting.text == "Hello Priya,"  # other variants may not use the name


@pytest.mark.parametrize(
    ("language", "text", "curt"),
    [
        ("en", "you people are useless. absolute clowns. fix it.", '"fix it"'),
        ("en", "I got an email saying my data was leaked. What data? Should I be worried?",
         '"What data"'),
        ("fr", "Vous êtes des incapables. Réglez ça.", "« Réglez ça »"),
    ],
)  # fmt: skip
def test_a_two_word_fragment_is_not_quoted_back(
    language: str, text: str, curt: str, banks: Banks
) -> None:
    for reply in _replies(banks, language, text):
        assert curt not in reply.reply


def test_a_two_word_problem_is_still_quoted(banks: Banks) -> None:
    reply = _replies(banks, "en", "Charged twice!!")[0]
    assert '"Charged twice"' in reply.steps[0].text


def test_a_request_that_ends_with_thanks_is_not_answered_as_praise(banks: Banks) -> None:
    text = "Hi! Can I change the delivery address on order 55812? I'm moving. Thanks so much!"
    for reply in _replies(banks, "en", text):
        assert "kind words" not in reply.reply and "lovely note" not in reply.reply


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "I'm writing to complain about your staff member at the Leeds branch. She rolled "
               "her eyes and told me to read the sign. I've been a customer for 12 years."),
        ("fr", "Le conseiller m'a répondu sur un ton méprisant et m'a raccroché au nez. Je suis "
               "cliente depuis huit ans."),
    ],
)  # fmt: skip
def test_a_complaint_about_staff_is_not_answered_as_a_hassle(
    banks: Banks, language: str, text: str
) -> None:
    # "Sorry for the hassle" shrinks being treated with contempt into an inconvenience
    replies = _replies(banks, language, text)
    for reply in replies:
        body = reply.reply.lower()
        for small in ("hassle", "inconvenience", "désagrément", "contretemps"):
            assert small not in body, body
    assert "respect" in replies[0].reply.lower()
