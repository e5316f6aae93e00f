"""`analyze`: every reading rule, in English and French, from examples written for these tests.

One table per rule: emotions, negation, typos, grievances without a feeling word, situations,
emoji, calm requests, intensity, offsets into the text as given, quoted history and
signatures, order number and name, the concern sentence, determinism; then one test per
reading improvement (general affect words, negated failures, praise against faint hints,
hashtags, French "ne ... pas" around a verb...).
"""

from __future__ import annotations

import pytest

from empathy_cli.analysis import Analysis, analyze
from empathy_cli.models import NEGATIVE_EMOTIONS, Banks


def read(text: str, banks: Banks, lang: str = "auto") -> Analysis:
    return analyze(text, banks, lang=lang)


def emotion_names(analysis: Analysis) -> list[str]:
    return [r.name for r in analysis.emotions]


# --- emotions -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "language", "emotion"),
    [
        ("I am absolutely furious about the way I was treated.", "en", "angry"),
        ("This is so frustrating, I have had enough of it.", "en", "frustrated"),
        ("I'm really disappointed with the quality of this jacket.", "en", "disappointed"),
        ("I don't understand this bill at all, it makes no sense.", "en", "confused"),
        ("I'm worried that someone used my card without me knowing.", "en", "worried"),
        ("My mother passed away last month and I need to close her account.", "en", "sad"),
        ("Thank you so much, you saved my day!", "en", "grateful"),
        ("Je suis furieux, c'est inadmissible.", "fr", "angry"),
        ("J'en ai marre de relancer votre service.", "fr", "frustrated"),
        ("Je suis très déçue par cette commande.", "fr", "disappointed"),
        ("Je ne comprends pas cette facture, ça n'a aucun sens.", "fr", "confused"),
        ("Je suis inquiet, j'ai peur d'avoir perdu mon argent.", "fr", "worried"),
        ("Mon père est décédé et je dois résilier son contrat.", "fr", "sad"),
        ("Merci beaucoup, c'est vraiment très gentil de votre part.", "fr", "grateful"),
        # a date the customer is afraid to miss, with words in between
        ("The blender hasn't come. I need it for my daughter's birthday on Saturday.", "en",
         "worried"),
        ("Le colis n'est pas arrivé, il me le faut absolument pour l'anniversaire de mon fils.",
         "fr", "worried"),
        # spoken French drops the "ne" and often the final s
        ("je comprend pas pourquoi ma facture a augmenté", "fr", "confused"),
    ],
)  # fmt: skip
def test_emotion_words_in_both_languages(
    text: str, language: str, emotion: str, banks: Banks
) -> None:
    analysis = read(text, banks)
    assert analysis.language == language
    assert analysis.emotion == emotion
    assert analysis.emotions[0].cues, "an emotion always points at its cues"


# --- negation -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected", "absent"),
    [
        ("I'm not happy with the repair.", "disappointed", None),
        ("I would not recommend this shop to anyone.", "disappointed", None),
        ("I'm not angry, just curious about the delay.", None, "angry"),
        ("Je ne suis pas satisfait du service.", "disappointed", None),
        ("Je ne suis pas du tout content de cette commande.", "disappointed", None),
        ("Pas du tout content de la livraison.", "disappointed", None),
        ("Je ne suis pas en colère, je voudrais juste comprendre.", None, "angry"),
        # a comma ends the negation's reach
        ("Not today, I am furious.", "angry", None),
    ],
)
def test_negation(text: str, expected: str | None, absent: str | None, banks: Banks) -> None:
    analysis = read(text, banks)
    if expected:
        assert expected in emotion_names(analysis)
        assert analysis.emotion == expected
    if absent:
        assert absent not in emotion_names(analysis)


def test_a_negated_feeling_is_reported_as_a_negation(banks: Banks) -> None:
    text = "I'm not angry about it."
    analysis = read(text, banks)
    assert [s.text for s in analysis.negations] == ["angry"]


# --- typos --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "emotion", "typo", "read_as"),
    [
        ("This is so frustrting, nobody calls back.", "frustrated", "frustrting", "frustr"),
        ("I am dissapointed with the delivery.", "disappointed", None, None),
        ("Je suis tres decu par votre service.", "disappointed", None, None),
    ],
)
def test_typos_and_missing_accents(
    text: str, emotion: str, typo: str | None, read_as: str | None, banks: Banks
) -> None:
    analysis = read(text, banks)
    assert analysis.emotion == emotion
    if typo:
        assert [t.span.text for t in analysis.typos] == [typo]
        assert read_as is not None and analysis.typos[0].read_as.startswith(read_as)


@pytest.mark.parametrize(
    "text",
    [
        "I spoke to Maria on the phone yesterday about my order.",
        "The agent was resolving another case when I called.",
        "The courier was reliable and friendly.",
    ],
)
def test_real_words_and_names_are_not_read_as_typos(text: str, banks: Banks) -> None:
    analysis = read(text, banks)
    assert analysis.typos == ()
    assert not set(emotion_names(analysis)) & set(NEGATIVE_EMOTIONS)


# --- grievances without a feeling word ----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        ("Hi, my order is late.", "order is late"),
        ("Still no refund after three weeks.", "Still no"),
        ("You charged me twice for the same order.", "charged me twice"),
        ("Three weeks and nothing.", "weeks and nothing"),
        ("My card was declined at the checkout again.", None),
        ("Bonjour, ma commande est en retard.", None),
        ("Toujours pas de remboursement.", "Toujours pas"),
        ("Vous m'avez débité deux fois.", None),
    ],
)
def test_a_grievance_without_a_feeling_word_reads_as_frustrated(
    text: str, cue: str | None, banks: Banks
) -> None:
    analysis = read(text, banks)
    assert analysis.emotion == "frustrated"
    top = analysis.emotions[0]
    assert top.score < 0.7, "a grievance alone reads weaker than a feeling word"
    assert analysis.grievances
    if cue:
        assert cue in [s.text for s in top.cues]


# --- calm requests ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "What time do you close?",
        "How do I change my address?",
        "Can I pay by card when the courier comes?",
        "Do you deliver to Belgium?",
        "Can you help me change my delivery address?",
        "How do I get a refund if the shoes do not fit?",
        "Quels sont vos horaires d'ouverture ?",
        "Comment modifier mon adresse de livraison ?",
        "Est-ce que je peux payer en trois fois ?",
        "Pouvez-vous m'envoyer la facture, s'il vous plaît ?",
    ],
)
def test_a_request_with_no_grievance_has_no_emotion(text: str, banks: Banks) -> None:
    assert read(text, banks).emotions == ()


# --- situations ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "situation"),
    [
        ("Where is my parcel? It should have arrived on Monday.", "late_delivery"),
        ("I was charged twice for one subscription.", "billing"),
        ("My card was declined at the shop this morning.", "defect"),
        ("I want my money back for the broken kettle.", "refund"),
        ("I can't log in to my account since yesterday.", "account_access"),
        ("Please cancel my subscription.", "cancellation"),
        ("Mon colis n'est toujours pas arrivé.", "late_delivery"),
        ("Je voudrais annuler mon abonnement.", "cancellation"),
        ("I took the morning off and the engineer never turned up.", "missed_appointment"),
        ("Nobody came, nobody called. I waited in all day for nothing.", "missed_appointment"),
        ("Le technicien n'est jamais venu, j'avais posé ma matinée.", "missed_appointment"),
        # "came back to me" is a reply, not a visit
        ("Nobody came back to me after my complaint.", "no_response"),
    ],
)
def test_situations(text: str, situation: str, banks: Banks) -> None:
    assert read(text, banks).situation == situation


def test_cancelling_is_a_request_not_a_grievance(banks: Banks) -> None:
    analysis = read("Please cancel my subscription.", banks)
    assert analysis.emotions == ()


# --- emoji, intensity -----------------------------------------------------------------------


def test_emoji_only_reads_as_angry(banks: Banks) -> None:
    analysis = read("😡😡", banks)
    assert analysis.emotion == "angry"
    assert [c.text for c in analysis.emotions[0].cues] == ["😡", "😡"]


@pytest.mark.parametrize(
    ("calm", "strong"),
    [
        ("I am a bit annoyed.", "I AM SO ANNOYED!!!"),
        ("My parcel is late.", "My parcel is late and I am really furious!!"),
        ("Je suis un peu agacé.", "Je suis vraiment très agacé !!!"),
    ],
)
def test_intensity_follows_capitals_exclamations_and_intensifiers(
    calm: str, strong: str, banks: Banks
) -> None:
    assert read(strong, banks).intensity > read(calm, banks).intensity


def test_intensifiers_and_diminishers_scale_the_score(banks: Banks) -> None:
    plain = read("I am annoyed.", banks).emotions[0].score
    assert read("I am really annoyed.", banks).emotions[0].score > plain
    assert read("I am a bit annoyed.", banks).emotions[0].score < plain


# --- offsets ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "cue", "line"),
    [
        ("Bonjour,\r\nje suis très déçu.\r\nMerci", "déçu", 2),
        ("Hello\n\nI am so ANGRY about this", "ANGRY", 3),
        # combining accents (NFD): the span still covers the text as given
        ("Je suis de\u0301c\u0327u.", "de\u0301c\u0327u", 1),
        ("😀 ok\r\n\r\nstill no refund", "still no", 3),
    ],
)
def test_spans_point_into_the_text_as_given(text: str, cue: str, line: int, banks: Banks) -> None:
    analysis = read(text, banks)
    spans = [s for r in analysis.emotions for s in r.cues]
    match = next(s for s in spans if s.text.lower().startswith(cue.lower()))
    assert text[match.start : match.end] == match.text
    assert match.line == line
    before = text[: match.start]
    last_break = max(before.rfind("\n"), before.rfind("\r"))
    assert match.column == match.start - last_break


# --- message structure --------------------------------------------------------------------


def test_quoted_history_is_set_aside(banks: Banks) -> None:
    text = (
        "Any news on my case?\n\n"
        "On Tue, 4 Mar 2025 at 10:12, Support <help@example.com> wrote:\n"
        "> We understand you are furious and we apologise.\n"
    )
    analysis = read(text, banks)
    assert "angry" not in emotion_names(analysis)
    assert analysis.concern is None or "furious" not in analysis.concern


def test_quoted_lines_and_french_history_are_set_aside(banks: Banks) -> None:
    text = (
        "Merci pour votre réponse.\n\n"
        "Le 3 mars 2025 à 09:00, Service client a écrit :\n"
        "> Nous comprenons votre colère.\n"
    )
    assert "angry" not in emotion_names(read(text, banks))


def test_signature_is_set_aside_and_gives_the_name(banks: Banks) -> None:
    text = "My order 55120 never arrived.\n\nKind regards,\nPriya Shah\n"
    analysis = read(text, banks)
    assert analysis.entities.order == "55120"
    assert analysis.entities.name == "Priya Shah"


@pytest.mark.parametrize(
    ("text", "order", "name"),
    [
        ("Hi, this is Tom. Order #48213 still hasn't shipped.", "48213", "Tom"),
        ("Bonjour, ma commande n° 77120 est arrivée cassée.\nMerci,\nCamille", "77120", "Camille"),
        ("Where is my order?", None, None),
    ],
)
def test_order_number_and_name(
    text: str, order: str | None, name: str | None, banks: Banks
) -> None:
    entities = read(text, banks).entities
    assert (entities.order, entities.name) == (order, name)


@pytest.mark.parametrize(
    ("text", "concern"),
    [
        (
            "Hello. I ordered a lamp on 2 May. It still hasn't arrived and nobody answers. Thanks.",
            "It still hasn't arrived and nobody answers.",
        ),
        (
            "Bonjour. J'ai commandé une lampe le 2 mai. Elle n'est toujours pas arrivée.",
            "Elle n'est toujours pas arrivée.",
        ),
        ("What time do you close?", "What time do you close?"),
    ],
)
def test_concern_sentence(text: str, concern: str, banks: Banks) -> None:
    analysis = read(text, banks)
    assert analysis.concern == concern
    assert analysis.concern_span is not None
    span = analysis.concern_span
    assert text[span.start : span.end] == span.text


def test_the_same_message_reads_the_same_way_every_time(banks: Banks) -> None:
    text = "I'm SO annoyed!!! My parcel is 3 weeks late, order #99812. Je suis déçu. 😡"
    first = read(text, banks)
    for _ in range(100):
        assert read(text, banks) == first


# --- language -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Hello, I would like a refund for my order please.", "en"),
        ("Bonjour, je voudrais un remboursement pour ma commande.", "fr"),
        ("Colis pas reçu, toujours rien !", "fr"),
        ("Parcel not received, still nothing!", "en"),
    ],
)
def test_language(text: str, language: str, banks: Banks) -> None:
    assert read(text, banks).language == language


# --- reading improvements (one test each) ---------------------------------------------------


@pytest.mark.parametrize(
    ("text", "emotion"),
    [
        ("Shut up and give me my money back.", "angry"),
        ("I have a bad feeling about this transfer.", "worried"),
        ("I miss my old account so much, it hurts.", "sad"),
        ("Fichez-moi la paix avec vos relances !", "angry"),
        ("J'ai un mauvais pressentiment pour ce virement.", "worried"),
        ("Ça fait mal de voir ça, tout est fini.", "sad"),
        ("C'est horrible, le pire service que je connaisse.", "angry"),
    ],
)
def test_general_affect_words_beyond_support_phrasing(
    text: str, emotion: str, banks: Banks
) -> None:
    assert read(text, banks).emotion == emotion


@pytest.mark.parametrize(
    "text",
    [
        "I can't log in to the app since the update.",
        "It still won't load on my phone.",
        "Can't sign in, keeps saying error.",
        "Vous ne répondez jamais à mes messages.",
        "Je ne peux pas me connecter depuis hier.",
    ],
)
def test_a_negated_failure_is_a_weak_grievance(text: str, banks: Banks) -> None:
    analysis = read(text, banks)
    assert analysis.emotion in NEGATIVE_EMOTIONS


@pytest.mark.parametrize(
    "text",
    [
        "No problem at all, thanks for the quick fix!",
        "Pas de souci, merci pour votre aide.",
        "Great service, I never had an issue with you.",
    ],
)
def test_a_negated_grievance_or_praise_outweighs_a_faint_hint(text: str, banks: Banks) -> None:
    analysis = read(text, banks)
    assert not set(emotion_names(analysis)) & set(NEGATIVE_EMOTIONS)


@pytest.mark.parametrize(
    "text",
    ["I have an issue with my last invoice.", "J'ai un problème avec ma dernière facture."],
)
def test_a_named_problem_is_a_grievance(text: str, banks: Banks) -> None:
    assert read(text, banks).emotion == "frustrated"


@pytest.mark.parametrize(
    ("text", "emotion"),
    [
        ("Third week waiting #verydisappointed", "disappointed"),
        ("Your app again #worstservice", "angry"),
    ],
)
def test_cue_words_inside_hashtags(text: str, emotion: str, banks: Banks) -> None:
    analysis = read(text, banks)
    assert emotion in emotion_names(analysis)


@pytest.mark.parametrize(
    ("text", "expected", "absent"),
    [
        ("Je n'aime pas cette nouvelle version.", "disappointed", None),
        ("Je ne recommande plus votre boutique.", "disappointed", None),
        ("Ça ne m'énerve plus, c'est réglé.", None, "frustrated"),
    ],
)
def test_french_ne_verb_pas_negates_the_verb(
    text: str, expected: str | None, absent: str | None, banks: Banks
) -> None:
    analysis = read(text, banks)
    if expected:
        assert analysis.emotion == expected
    if absent:
        assert absent not in emotion_names(analysis)


@pytest.mark.parametrize(
    "text", ["No internet since Monday morning.", "Any update on my ticket from last week?"]
)
def test_services_still_missing_and_chasers_are_grievances(text: str, banks: Banks) -> None:
    assert read(text, banks).emotion == "frustrated"


def test_help_me_opens_a_request_not_fear(banks: Banks) -> None:
    assert read("Could you help me find my invoice?", banks).emotions == ()


@pytest.mark.parametrize(
    ("text", "emotion"),
    [
        ("Sorry to bother you, how do I change my address?", None),
        ("Désolé de vous déranger, comment modifier mon adresse ?", None),
        ("I'm sorry, I can't do this any more, it's all too much.", "sad"),
        ("Désolé, mais j'en ai marre de relancer.", "frustrated"),
    ],
)
def test_polite_apologies_carry_no_feeling(text: str, emotion: str | None, banks: Banks) -> None:
    assert read(text, banks).emotion == emotion


@pytest.mark.parametrize(
    "text",
    [
        "N'hésitez pas à me rappeler demain matin.",
        "Je ne sais pas comment changer mon adresse de livraison.",
        "Pas de souci, je peux attendre lundi.",
        "Don't hesitate to call me back tomorrow.",
        "I can't wait to try the new model.",
    ],
)
def test_calm_set_phrases_built_on_a_negation_are_no_grievance(text: str, banks: Banks) -> None:
    assert read(text, banks).emotions == ()


@pytest.mark.parametrize(
    "text",
    ["Ça ne s'affiche toujours pas sur mon téléphone.", "Ne me raccrochez plus au nez."],
)
def test_french_negated_statements_are_weak_grievances(text: str, banks: Banks) -> None:
    assert read(text, banks).emotion == "frustrated"


@pytest.mark.parametrize(
    "text",
    [
        "@SadPanda_Help hello, what time do you open?",
        "See https://example.com/angry-birds-refund for the terms.",
    ],
)
def test_handles_and_links_are_not_read_as_words(text: str, banks: Banks) -> None:
    analysis = read(text, banks)
    assert analysis.emotions == ()
    assert analysis.typos == ()


def test_an_answer_written_below_the_quote_is_read(banks: Banks) -> None:
    text = (
        "Bonjour,\n\n"
        "Le 3 mai, Service client a écrit :\n"
        "> Un conseiller vous rappellera sous 24 h.\n\n"
        "Nous sommes le 20 mai et toujours rien, aucun appel.\n"
    )
    analysis = read(text, banks)
    assert analysis.emotion == "frustrated"
    assert analysis.concern is not None and "toujours rien" in analysis.concern
    assert all("rappellera" not in s.text for r in analysis.emotions for s in r.cues)


@pytest.mark.parametrize(
    "text",
    [
        "Just wanted to say thank you to Sam, the parcel arrived today. Small thing: the "
        "receipt is missing, could you send it?",
        "Je tenais à remercier Inès : grâce à elle tout est réglé. Une question quand même, "
        "la facture n'est pas arrivée, c'est normal ?",
    ],
)
def test_explicit_thanks_outweigh_a_small_leftover_problem(text: str, banks: Banks) -> None:
    assert read(text, banks).emotion == "grateful"


@pytest.mark.parametrize(
    ("text", "emotion"),
    [
        ("I want to close my account but I can't find where to do it.", "confused"),
        ("Je veux résilier mais je trouve pas où on fait ça.", "confused"),
        ("My husband was taken into hospital last night, I need to move the booking.", "worried"),
    ],
)
def test_being_stuck_and_life_events(text: str, emotion: str, banks: Banks) -> None:
    assert read(text, banks).emotion == emotion


@pytest.mark.parametrize(
    ("text", "emotion"),
    [
        ("I do not totally understand the new tariff.", "confused"),
        ("Je ne comprends absolument pas cette facture.", "confused"),
        ("I'm not really happy with the repair.", "disappointed"),
    ],
)
def test_one_adverb_inside_an_expression_does_not_break_it(
    text: str, emotion: str, banks: Banks
) -> None:
    assert read(text, banks).emotion == emotion


@pytest.mark.parametrize(
    "text",
    [
        "My transfer to my landlord still hasn't arrived and he's threatening to kick me out.",
        "Mon virement n'est toujours pas arrivé, mon propriétaire menace de me mettre dehors.",
    ],
)
def test_fear_of_losing_a_home_reads_as_worry(text: str, banks: Banks) -> None:
    assert "worried" in emotion_names(read(text, banks))


@pytest.mark.parametrize(
    "text",
    [
        "Bonjour, j'ai commandé un canapé il y a 6 semaines, on m'avait dit 3 semaines. Personne "
        "ne répond au téléphone. Je commence à m'inquiéter, j'ai payé 1200 euros.",
        "Ordered 6 weeks ago, they said 3. Nobody answers the phone, third email this week. "
        "I'm getting worried, I paid $1,200 for it.",
    ],
)
def test_a_feeling_the_customer_names_outranks_one_read_from_grievances(
    text: str, banks: Banks
) -> None:
    names = emotion_names(read(text, banks))
    assert names[:2] == ["worried", "frustrated"]  # the grievances still count, second


@pytest.mark.parametrize(
    "text",
    [
        "I got an email about a data breach. Should I be worried? I'm not very good with tech.",
        "I'm not good at this online banking stuff, how do I add a payee?",
    ],
)
def test_not_being_good_with_something_is_not_disappointment(text: str, banks: Banks) -> None:
    assert "disappointed" not in emotion_names(read(text, banks))


@pytest.mark.parametrize(
    ("text", "concern"),
    [
        (
            "Je vous écris pour la troisième fois concernant le prélèvement injustifié de 49,90 €. "
            "Sans réponse de votre part sous 8 jours, je saisirai le médiateur.",
            "Je vous écris pour la troisième fois concernant le prélèvement injustifié de 49,90 €.",
        ),
        (
            "You charged me twice for October. If I don't hear back by Friday I'll dispute it "
            "with my bank, nobody answers anyway.",
            "You charged me twice for October.",
        ),
    ],
)
def test_a_conditional_threat_is_not_the_concern_when_a_problem_is_stated(
    text: str, concern: str, banks: Banks
) -> None:
    assert read(text, banks).concern == concern


def test_naming_confusion_outranks_frustration_read_from_a_bug(banks: Banks) -> None:
    text = "i bought the premium plan but i dont see the features?? is it a bug. confused"
    assert read(text, banks).emotion == "confused"


@pytest.mark.parametrize(
    ("text", "grateful"),
    [
        ("Hi! Quick question - can I change the delivery address on order 55812? I'm moving "
         "next week. Thanks so much!", False),
        ("Bonjour, pouvez-vous changer l'adresse de livraison ? Merci infiniment !", False),
        # thanks that are the point of the message stay, even beside a question
        ("Thank you so much, Sam sorted it in minutes! Can I leave a review somewhere?", True),
    ],
)  # fmt: skip
def test_warm_thanks_that_close_a_request_are_politeness(
    text: str, grateful: bool, banks: Banks
) -> None:
    assert ("grateful" in emotion_names(read(text, banks))) is grateful


@pytest.mark.parametrize(
    ("text", "sad"),
    [
        ("Je viens de perdre mon mari et je dois fermer son compte.", True),
        ("Depuis la perte de ma mère, je reçois encore ses factures.", True),
        ("We just lost our dad and need to close his account.", True),
        ("Since losing my wife I can't face the paperwork.", True),
        # someone's belongings, not someone
        ("I lost my son's bank card, can you block it?", False),
        ("J'ai perdu ma carte et celle de mon fils.", False),
    ],
)
def test_losing_someone_reads_as_grief(text: str, sad: bool, banks: Banks) -> None:
    assert ("sad" in emotion_names(read(text, banks))) is sad


def test_a_grievance_inside_a_feeling_expression_is_not_counted_twice(banks: Banks) -> None:
    # « ne sais pas » is a negated verb, but here it is part of "not knowing where to start"
    reading = read("Je dois fermer le compte de ma mère et je ne sais pas par où commencer.", banks)
    assert "frustrated" not in emotion_names(reading)
    assert "worried" in emotion_names(reading)


@pytest.mark.parametrize(
    ("text", "doubt"),
    [
        ("Ça ne s'affiche pas sur mon téléphone.", False),  # a place
        ("Je ne suis pas sur que ce soit le bon code.", True),  # doubt, typed without accent
    ],
)
def test_pas_sur_without_its_accent_is_doubt_only_about_something(
    text: str, doubt: bool, banks: Banks
) -> None:
    from empathy_cli.matching import cue_index
    from empathy_cli.text import tokenize

    index = cue_index(banks, "fr")
    found = index.matcher.find(tokenize(text), text)
    assert any(index.cues[m.entry].emotion == "confused" for m in found) is doubt


@pytest.mark.parametrize(
    ("text", "wrong_item"),
    [
        ("I ordered the wrong size by mistake, can I swap it for a medium?", False),
        ("J'ai commandé la mauvaise taille, est-ce que je peux l'échanger ?", False),
        ("You sent me the wrong size, I ordered a medium.", True),
        ("Vous m'avez envoyé la mauvaise taille, j'avais commandé du M.", True),
    ],
)
def test_the_customers_own_mistake_is_no_complaint(
    text: str, wrong_item: bool, banks: Banks
) -> None:
    reading = read(text, banks)
    assert ("wrong_item" in [s.name for s in reading.situations]) is wrong_item
    if not wrong_item:
        assert reading.emotions == ()  # an exchange to ask for, calmly


@pytest.mark.parametrize(
    ("text", "staff"),
    [
        ("The woman at the counter was so rude to me, she rolled her eyes and walked off.", True),
        ("Your agent hung up on me when I asked for a manager.", True),
        ("Le conseiller m'a raccroché au nez quand j'ai demandé des explications.", True),
        ("La vendeuse a été très désagréable, elle m'a parlé sur un ton méprisant.", True),
        # staff mentioned, no complaint about how they behaved
        ("The staff member at the branch helped me open my account, thanks.", False),
        ("Le conseiller m'a rappelé hier, tout est réglé.", False),
    ],
)
def test_how_a_member_of_staff_behaved_is_its_own_situation(
    text: str, staff: bool, banks: Banks
) -> None:
    situations = [s.name for s in read(text, banks).situations]
    assert ("staff_conduct" in situations) is staff


@pytest.mark.parametrize(
    ("text", "concern"),
    [
        ("The heater I bought in October stopped heating last week. I want a refund.",
         "The heater I bought in October stopped heating last week."),
        ("Le radiateur acheté en octobre ne chauffe plus depuis une semaine. Je veux être "
         "remboursé.", "Le radiateur acheté en octobre ne chauffe plus depuis une semaine."),
        # a request alone is still the concern
        ("Please cancel my subscription.", "Please cancel my subscription."),
    ],
)  # fmt: skip
def test_what_went_wrong_is_the_concern_before_what_is_asked(
    text: str, concern: str, banks: Banks
) -> None:
    assert read(text, banks).concern == concern


def test_a_statement_ending_in_a_rhetorical_question_is_not_a_question(banks: Banks) -> None:
    text = "My refund still hasn't arrived after 3 weeks, are you kidding me?"
    assert read(text, banks).concern_is_question is False
    assert read("Where is my refund?", banks).concern_is_question is True


@pytest.mark.parametrize(
    ("text", "situation"),
    [
        ("Last month my internet was down for 9 days.", "technical_issue"),
        ("The service has been out since Monday and I work from home.", "technical_issue"),
        ("Nobody from your team called me back despite 4 promises.", "no_response"),
        ("Je suis sans internet depuis trois jours et je télétravaille.", "technical_issue"),
        ("Plus de connexion depuis hier soir, la box clignote.", "technical_issue"),
    ],
)
def test_an_outage_and_a_missing_call_back(text: str, situation: str, banks: Banks) -> None:
    assert read(text, banks).situation == situation
