"""Restate a customer's concern from the agent's side: "my order" -> "your order",
"you charged me" -> "we charged you", "mon colis" -> "votre colis", "vous m'avez facturé" ->
"nous vous avons facturé".

`paraphrase` returns None whenever a safe rewrite is not possible (a question, an order
given to the agent, a verb it cannot conjugate, "tu"...); the caller then quotes the
customer instead. It never invents words: it only swaps pronouns, possessives and the
verb forms that agree with them.
"""

from __future__ import annotations

import re
from collections.abc import Container

from .lazy_re import lazy
from .text import fold, without_rhetorical_tail

MAX_WORDS = 35

_TOKEN_RE = lazy(r"[^\W\d_](?:[\w\u0300-\u036f]|['’](?=[^\W\d_]))*|\d+|\S", re.UNICODE)
_EMOJI_RE = lazy(r"[\U0001f300-\U0001faff\u2600-\u27bf\ufe0f]|[:;][-']?[()DPp/]")
_QUOTES = set('"«»“”')

# --- English ------------------------------------------------------------------------------

_EN_CUSTOMER = {  # the customer's words about themselves -> the agent speaking to them
    "i": "you",
    "im": "you're",
    "ive": "you've",
    "me": "you",
    "my": "your",
    "mine": "yours",
    "myself": "yourself",
    "i'm": "you're",
    "i've": "you've",
    "i'll": "you'll",
    "i'd": "you'd",
    "we": "you",
    "our": "your",
    "ours": "yours",
    "ourselves": "yourselves",
    "we're": "you're",
    "we've": "you've",
    "we'll": "you'll",
    "we'd": "you'd",
}
_EN_COMPANY = {  # the customer's words about the company -> the agent's "we"
    "your": "our",
    "yours": "ours",
    "yourself": "ourselves",
    "yourselves": "ourselves",
    "you're": "we're",
    "you've": "we've",
    "you'll": "we'll",
    "you'd": "we'd",
}
_EN_SUBJECT_CONTEXT = {
    "and", "but", "or", "so", "because", "that", "if", "when", "since", "as", "why", "how",
    "what", "where", "unless", "until", "before", "after", "while", "then", "though",
    "although", "yet", "nor", "cause", "cuz", "once", "now", "still", "also", "even", "just",
}  # fmt: skip
_EN_IMPERATIVE = {
    "please", "fix", "give", "refund", "send", "cancel", "call", "tell", "stop", "help",
    "explain", "sort", "answer", "respond", "reply", "contact", "let", "get", "make", "do",
    "don't", "dont", "check", "look", "hurry", "change", "update", "unlock", "reset",
}  # fmt: skip
# words that may come before an imperative without making it a statement
_EN_SOFTENERS = frozenset(
    {"just", "simply", "kindly", "please", "pls", "plz", "now", "so", "then", "and", "also",
     "seriously", "honestly", "ok", "okay", "right", "someone", "somebody", "guys"}
)  # fmt: skip
_EN_DISCOURSE = lazy(r"\b(?:you know|you see|if you ask me|mind you|thank you|thanks)\b", re.I)


def _en(words: list[str]) -> list[str] | None:
    out: list[str] = []
    lower = [w.lower().replace("’", "'") for w in words]
    first = next((w for w in lower if w[:1].isalpha() and w not in _EN_SOFTENERS), "")
    if first in _EN_IMPERATIVE:  # "just cancel it", "please sort this out"
        return None
    for i, (w, low) in enumerate(zip(words, lower, strict=True)):
        prev = lower[i - 1] if i else ""
        if low in ("you", "u"):
            nxt = lower[i + 1] if i + 1 < len(lower) else ""
            if nxt in ("guys", "people", "lot", "all"):
                words[i + 1] = ""
            subject = (not prev or not prev[0].isalpha() or prev in _EN_SUBJECT_CONTEXT) and nxt[
                :1
            ].isalpha()
            out.append(_case(w, "we" if subject else "us"))
            continue
        if low == "us" and prev and prev[0].isalpha():
            out.append(_case(w, "you"))
            continue
        if low in ("am", "was", "are", "were", "'m"):
            subj = _last_word(out)
            if subj in ("you", "You") and prev in ("i", "we"):
                out.append(_case(w, "are" if low in ("am", "are") else "were"))
                continue
            if subj in ("we", "We") and prev in ("you",):
                out.append(_case(w, "are" if low in ("am", "are") else "were"))
                continue
        if low in ("wasn't", "weren't") and prev in ("i", "we", "you"):
            out.append(_case(w, "weren't"))
            continue
        if low in _EN_CUSTOMER:
            # "I" is always capitalised: its capital says nothing about sentence case
            new = _EN_CUSTOMER[low]
            out.append(new if low.startswith("i") else _case(w, new))
            continue
        if low in _EN_COMPANY:
            out.append(_case(w, _EN_COMPANY[low]))
            continue
        out.append(w)
    return out


def _last_word(out: list[str]) -> str:
    for w in reversed(out):
        if w and w[0].isalpha():
            return w
    return ""


# --- French -------------------------------------------------------------------------------

_FR_1SG_TO_2PL = {
    "suis": "êtes", "ai": "avez", "vais": "allez", "fais": "faites", "dis": "dites",
    "peux": "pouvez", "veux": "voulez", "dois": "devez", "sais": "savez", "vois": "voyez",
    "crois": "croyez", "reçois": "recevez", "viens": "venez", "tiens": "tenez",
    "prends": "prenez", "comprends": "comprenez", "apprends": "apprenez", "attends": "attendez",
    "réponds": "répondez", "rends": "rendez", "entends": "entendez", "perds": "perdez",
    "vends": "vendez", "descends": "descendez", "mets": "mettez", "pars": "partez",
    "sors": "sortez", "sens": "sentez", "dors": "dormez", "écris": "écrivez", "lis": "lisez",
    "bois": "buvez", "connais": "connaissez", "reconnais": "reconnaissez",
    "parais": "paraissez", "apparais": "apparaissez", "disparais": "disparaissez",
    "plais": "plaisez", "tais": "taisez", "finis": "finissez", "choisis": "choisissez",
    "remplis": "remplissez", "réussis": "réussissez", "reçu": "reçu", "obtiens": "obtenez",
    "deviens": "devenez", "reviens": "revenez", "souhaite": "souhaitez",
    "achète": "achetez", "amène": "amenez", "emmène": "emmenez", "lève": "levez",
    "mène": "menez", "répète": "répétez", "espère": "espérez", "préfère": "préférez",
    "considère": "considérez", "complète": "complétez", "règle": "réglez",
    "possède": "possédez", "appelle": "appelez", "rappelle": "rappelez", "jette": "jetez",
    "paie": "payez", "paye": "payez", "envoie": "envoyez", "renvoie": "renvoyez",
    "essaie": "essayez", "essaye": "essayez", "nettoie": "nettoyez", "emploie": "employez",
}  # fmt: skip
_FR_1PL_TO_2PL_IRREGULAR = {"sommes": "êtes", "faisons": "faites", "disons": "dites"}
_FR_2PL_TO_1PL_IRREGULAR = {"êtes": "sommes", "faites": "faisons", "dites": "disons"}
_FR_CLITICS = {"ne", "n'", "me", "m'", "te", "t'", "se", "s'", "le", "la", "les", "l'", "lui",
               "leur", "y", "en", "vous", "nous"}  # fmt: skip
_FR_PRONOUNS = {
    "je",
    "j'",
    "il",
    "elle",
    "on",
    "ils",
    "elles",
    "tu",
    "ce",
    "c'",
    "ça",
    "qui",
    "que",
    "qu'",
}
_FR_BLOCKERS = {"tu", "t'", "te", "toi", "ton", "ta", "tes", "tien", "tienne"}
_FR_IMPERATIVE = lazy(
    r"^(?:(?:juste|simplement|alors|donc|bref|maintenant)[ \t]+)?"
    r"(?:merci de|je vous remercie de|je vous prie de|veuillez|pourriez|pouvez|remboursez|"
    r"envoyez|rappelez|répondez|annulez|"
    r"faites|donnez|dites|expliquez|réglez|arrêtez|corrigez|débloquez|s'il vous plaît)\b",
    re.I,
)


def _fr_1sg(verb: str) -> str | None:
    low = verb.lower()
    if low in _FR_1SG_TO_2PL:
        return _FR_1SG_TO_2PL[low]
    if low.endswith("ais"):
        return low[:-3] + "iez"  # imparfait / conditionnel: étais -> étiez, aimerais -> aimeriez
    if low.endswith("rai"):
        return low[:-2] + "ez"  # futur: commanderai -> commanderez
    if low.endswith("e") and len(low) > 2 and "è" not in low:
        return low[:-1] + "ez"  # commande -> commandez, oublie -> oubliez
    return None


def _fr_1pl(verb: str) -> str | None:
    low = verb.lower()
    if low in _FR_1PL_TO_2PL_IRREGULAR:
        return _FR_1PL_TO_2PL_IRREGULAR[low]
    if low.endswith("ions"):
        return low[:-4] + "iez"
    if low.endswith("geons"):
        return low[:-5] + "gez"
    if low.endswith("çons"):
        return low[:-4] + "cez"
    if low.endswith("ons"):
        return low[:-3] + "ez"
    return None


def _fr_2pl(verb: str) -> str | None:
    low = verb.lower()
    if low in _FR_2PL_TO_1PL_IRREGULAR:
        return _FR_2PL_TO_1PL_IRREGULAR[low]
    if low.endswith("iez"):
        return low[:-3] + "ions"
    if low.endswith("gez"):
        return low[:-2] + "eons"
    if low.endswith("cez"):
        return low[:-3] + "çons"
    if low.endswith("ez"):
        return low[:-2] + "ons"
    return None


def _is_2pl(word: str) -> bool:
    low = word.lower()
    return low in ("êtes", "faites", "dites") or (low.endswith("ez") and len(low) > 3)


def _fr(words: list[str]) -> list[str] | None:
    lower = [w.lower().replace("’", "'") for w in words]
    if any(w in _FR_BLOCKERS for w in lower):
        return None
    out: list[str] = list(words)
    pending: str | None = None  # conjugation due on the next verb: "1sg", "1pl" or "2pl"
    i = 0
    while i < len(words):
        low = lower[i]
        w = words[i]
        if pending and low in _FR_PRONOUNS:
            return None  # "je" with no verb before the next subject: not a clause we know
        if pending and low not in _FR_CLITICS and w[:1].isalpha():
            converter = {"1sg": _fr_1sg, "1pl": _fr_1pl, "2pl": _fr_2pl}[pending]
            new = converter(w)
            if new is None:
                return None
            out[i] = _case(w, new)
            pending = None
            i += 1
            continue
        if low in ("je", "j'", "j"):  # "j attends", typed without the apostrophe
            out[i] = _case(w, "vous")
            pending = "1sg"
        elif low == "nous":
            subject = _fr_next_verb_is(lower, i, lambda v: v.endswith("ons") or v == "sommes")
            out[i] = _case(w, "vous")
            if subject:
                pending = "1pl"
        elif low == "vous":
            subject = _fr_next_verb_is(lower, i, _is_2pl)
            out[i] = _case(w, "nous")
            if subject:
                pending = "2pl"
        elif low in ("me", "m'", "moi"):
            out[i] = _case(w, "vous")
        elif low in ("mon", "ma"):
            out[i] = _case(w, "votre")
        elif low == "mes":
            out[i] = _case(w, "vos")
        elif low == "notre":
            out[i] = _case(w, "votre")
        elif low == "nos":
            out[i] = _case(w, "vos")
        elif low == "votre":
            out[i] = _case(w, "notre")
        elif low == "vos":
            out[i] = _case(w, "nos")
        i += 1
    if pending:
        return None
    return out


def _fr_next_verb_is(lower: list[str], i: int, test: object) -> bool:
    j = i + 1
    while j < len(lower) and lower[j] in _FR_CLITICS and lower[j] not in ("vous", "nous"):
        j += 1
    if j < len(lower) and lower[j] in ("vous", "nous"):  # "vous nous avez", reflexive
        j += 1
    return j < len(lower) and bool(test(lower[j]))  # type: ignore[operator]


# --- shared -------------------------------------------------------------------------------


def _case(original: str, new: str) -> str:
    if original[:1].isupper() and len(original) > 1 and not original.isupper():
        return new[:1].upper() + new[1:]
    return new


_ELISION_RE = lazy(r"^(?i:(j|m|t|s|l|d|n|c|qu|jusqu|lorsqu|puisqu)['’])(.+)$")


def _split(text: str) -> tuple[list[str], list[bool]]:
    """Words and punctuation, and whether a space came before each one in the original.

    Elided French words keep their apostrophe: "m'avez" -> "m'", "avez".
    """
    parts: list[str] = []
    spaced: list[bool] = []
    for m in _TOKEN_RE.finditer(text):
        tok = m.group()
        gap = m.start() > 0 and text[m.start() - 1].isspace()
        e = _ELISION_RE.match(tok)
        if e:
            parts.extend([tok[: len(e.group(1)) + 1].replace("’", "'"), e.group(2)])
            spaced.extend([gap, False])
        else:
            parts.append(tok)
            spaced.append(gap)
    return parts, spaced


def _join(words: list[str], spaced: list[bool]) -> str:
    """Rebuild the text with the original spacing; a swapped elision ("j'" -> "vous")
    gets the space it now needs."""
    text = ""
    for w, gap in zip(words, spaced, strict=True):
        if not w:
            continue
        if text and (gap or (not text.endswith("'") and text[-1:].isalpha() and w[:1].isalpha())):
            text += " "
        text += w
    return text


_LEAD_RE = lazy(
    r"^(?:(?:hi|hello|hey|dear \w+|well|so|ok(?:ay)?|honestly|seriously|look|listen|no|yes|yeah|"
    r"sorry|please|bonjour|salut|alors|bon|bref|franchement|sérieusement|écoutez|non|oui|"
    r"madame|monsieur|messieurs|mesdames|"
    r"désolée?|svp|my (?:bad|fault|mistake)|ma faute|mea culpa|oops|oups|"
    r"[A-ZÀ-Ý][\w'-]+ here|ici [A-ZÀ-Ý][\w'-]+)[ \t]*[,!.:;]+[ \t]*)+",
    re.IGNORECASE,
)
# "Hey @BeatsSupport my headphones...", "@FC_Help @Acme I ordered...": who the post is
# addressed to, not part of the concern
_HANDLES_RE = lazy(
    r"^(?:(?:hey|hi|hello|yo|dear|bonjour|salut)[ \t]+)?(?:@\w+[ \t]*[,:]?[ \t]*)+", re.IGNORECASE
)
# a greeting with no comma after it ("bonjour je comprends pas..."): left out when what
# follows starts a sentence of its own
_BARE_GREETING_RE = lazy(
    r"^(?:(?:hi|hello|hey)(?: there)?|bonjour|bonsoir|salut|coucou)[ \t]+(?=(?:i|i'm|i've|"
    r"i’m|i’ve|im|ive|my|we|our|you|your|it|this|the|since|je|j['’]|mon|ma|mes|nous|notre|"
    r"on|il|elle|ça|c['’]est|depuis|vous|votre|le|la|les)\b)",
    re.IGNORECASE,
)


# "I'm writing because ...", "je vous écris car ...": the reason is the concern
_WRITING_RE = lazy(
    r"^(?:i(?:'m| am) (?:writing|contacting you|getting in touch|emailing)(?: to you)?"
    r"(?: (?:because|as|since|to say that|to tell you that|to let you know that))"
    r"|i(?:'m| am) (?:following up|chasing this|writing again)(?: because| as| since)"
    r"|je vous (?:écris|contacte|relance|recontacte) (?:car|parce que|pour vous dire que)"
    r"|je me permets de vous (?:écrire|relancer|recontacter) (?:car|parce que))"
    r"[ \t]*,?[ \t]*",
    re.IGNORECASE,
)


# "I am writing to complain about the rudeness of...": what they are unhappy about is the
# concern, restated as "you're unhappy about the rudeness of our staff member..." (the quote
# keeps the customer's own words)
_COMPLAINING_RE = lazy(
    r"^i(?:['’]m| am| wish| want| would like|['’]d like)(?: to)?(?: writing to)?[ \t]+"
    r"(?:complain|make a complaint|raise a complaint|lodge a complaint|file a complaint)[ \t]+"
    r"(?:about|regarding|concerning|over)[ \t]+",
    re.IGNORECASE,
)


# final punctuation and spaces
_TRAILING_RE = lazy(r"(?<![\s.!?…,;:])[\s.!?…,;:]+$")


# spoken fillers before the subject, without a comma: "ok so I've been on hold..."
_FILLER_RE = lazy(
    r"^(?:(?:ok(?:ay)?|so|well|alright|um+|uh+|euh+|donc|bref|honestly|frankly|seriously|"
    r"franchement|sérieusement|honnêtement)[ \t]+)+"
    r"(?=(?:i|i['’]m|i['’]ve|i['’]d|we|my|our|je|j['’]|nous|on|mon|ma|mes)\b)",
    re.IGNORECASE,
)
# contractions typed without their apostrophe ("i dont understand"): restated properly
_EN_BARE = {
    "dont": "don't", "cant": "can't", "wont": "won't", "didnt": "didn't", "doesnt": "doesn't",
    "isnt": "isn't", "wasnt": "wasn't", "arent": "aren't", "werent": "weren't",
    "havent": "haven't", "hasnt": "hasn't", "hadnt": "hadn't", "couldnt": "couldn't",
    "wouldnt": "wouldn't", "shouldnt": "shouldn't", "im": "I'm", "ive": "I've",
    "youre": "you're", "theyre": "they're", "thats": "that's",
    # chat spellings an agent would not write back
    "tho": "though", "altho": "although", "thru": "through", "cuz": "because", "coz": "because",
    "ppl": "people", "msg": "message", "acct": "account",
}  # fmt: skip
_EN_BARE_RE = lazy(r"\b(?:" + "|".join(_EN_BARE) + r")\b", re.IGNORECASE)
# "its" is a word of its own ("its lid"); before these words it can only mean "it's"
_EN_ITS_RE = lazy(
    r"\b(i)ts(?=[ \t]+(?:still|not|been|a|an|the|so|very|really|just|already|too|never|"
    r"always|only|now|over|gone|going|getting|supposed|literally|almost|impossible|"
    r"ridiculous|unacceptable)\b)",
    re.IGNORECASE,
)


def _with_apostrophe(match: re.Match[str]) -> str:
    word = match.group()
    fixed = _EN_BARE[word.lower()]
    return fixed if fixed[0] == "I" or not word[0].isupper() else fixed[0].upper() + fixed[1:]


_PLEASE = r"(?:s['’]il (?:vous|te) pla[iî]t|svp|stp|please|pls|plz)"
_PLEASE_END_RE = lazy(r"(?:[ \t]*,)?[ \t]+" + _PLEASE + r"$", re.IGNORECASE)
_PLEASE_MID_RE = lazy(r"[ \t]*,[ \t]*" + _PLEASE + r"[ \t]*,[ \t]*", re.IGNORECASE)


# "..., or I'm calling my bank", "... sinon je vais voir ailleurs": an ultimatum is heard,
# not said back (neither restated nor quoted)
_ULTIMATUM_RE = lazy(
    r"(?:(?:[ \t]*[,;])?[ \t]+(?:or(?: else)?|otherwise)[ \t]+"
    r"(?:i'm|i’m|im|i'll|i’ll|ill|i will|i am going|we'll|we will)"
    r"|(?:[ \t]*[,;])?[ \t]+(?:sinon|ou bien|ou alors)[ \t]+(?:je|j['’]|on)"
    r"|[ \t]*[,;][ \t]+ou[ \t]+(?:je|j['’]|on))\b"
    r"(?![ \t]+(?:ne|n['’]|can't|cannot|never|peux|pourrai|pourrais)\b)",
    re.IGNORECASE,
)


# "..., this is unacceptable", "..., c'est n'importe quoi": the customer's verdict on us is
# heard, but an agent saying it back ("your order is late, which is ridiculous") sounds odd
_VERDICT_RE = lazy(
    r"[ \t]*[,;:–—-][ \t]*(?:(?:and|et)[ \t]+)?"
    r"(?:(?:this|that|it|which)(?:[ \t]+is|['’]s|[ \t]+was)|c['’]est|ce qui est|cela est|"
    r"c['’]était|ça c['’]est|ce n['’]est|c['’]est vraiment)[ \t]+"
    r"(?:(?:just|really|absolutely|totally|completely|so|simply|frankly|honestly|vraiment|"
    r"franchement|totalement|complètement|carrément|juste|tout simplement|absolument|"
    r"quand même)[ \t]+){0,2}"
    r"(?:unacceptable|not acceptable|ridiculous|a joke|beyond a joke|outrageous|disgraceful|"
    r"a disgrace|shocking|pathetic|insane|crazy|absurd|scandalous|a scandal|appalling|"
    r"disgusting|terrible|awful|not ok|not okay|unbelievable|a nightmare|a shambles|"
    r"laughable|inadmissible|inacceptable|pas acceptable|scandaleux|honteux|une honte|"
    r"un scandale|n['’]importe quoi|du grand n['’]importe quoi|lamentable|pathétique|"
    r"incroyable|dingue|abusé|du vol|minable|intolérable|insupportable|pas normal|"
    r"pas sérieux|une blague|une plaisanterie|ridicule|aberrant|hallucinant|révoltant|"
    r"déplorable|inouï)"
    r"(?:[ \t]+(?:honestly|frankly|really|tbh|now|franchement|vraiment|quand même|hein)){0,2}"
    r"[ \t]*$",
    re.IGNORECASE,
)


# "... and this is how you treat me", « ... et c'est comme ça que vous traitez vos clients »
_TREATMENT_RE = lazy(
    r"(?:[ \t]*[,;:–—-])?[ \t]+(?:(?:and|but|et|mais)[ \t]+)?"
    r"(?:(?:this|that)(?:[ \t]+is|['’]s) how you treat|"
    r"(?:c['’]est|voilà) (?:comme ça|comment|ainsi) (?:que )?vous traitez)"
    r"[^.!?]{0,60}$",
    re.IGNORECASE,
)


def _without_tails(text: str, sentence: str) -> str:
    """`text` without what ends it but is not said back: an ultimatum ("..., or I'm calling
    my bank"), a verdict on the company ("..., this is unacceptable", "... and this is how
    you treat me")."""
    if sentence.rstrip(" \t\n!").endswith("?"):
        return text  # "Should I wait, or I'll order again?" asks, it does not threaten
    # only the last stretch without . ! or ? can end the clause: search there, once (a
    # pattern running to the end from every "or I'm" would be quadratic on a long text)
    last = max(text.rfind("."), text.rfind("!"), text.rfind("?")) + 1
    found = _ULTIMATUM_RE.search(text, last)
    if found is not None and text[: found.start()].strip():
        text = text[: found.start()]
    found = _VERDICT_RE.search(text, last)  # bounded at each comma: linear
    if found is None:
        found = _TREATMENT_RE.search(text, last)
    if found is not None and text[: found.start()].strip():
        text = text[: found.start()]
    return text


def _without_please(text: str) -> str:
    """The clause without its "please" / « s'il vous plaît »: a restatement does not say it
    back ("you would like to cancel your subscription", not "... s'il nous plaît")."""
    return _PLEASE_MID_RE.sub(" ", _PLEASE_END_RE.sub("", text))


_BULLET_RE = lazy(r"^[-–—•*·>]+[ \t]*")  # a list dash, a dialogue dash, a bullet


def prepare_clause(sentence: str) -> str:
    """Strip final punctuation, emoji, spaces and leading interjections ("Well, ...",
    "Honestly, ...", "Maria here, ...") from a sentence."""
    text = _BULLET_RE.sub("", _EMOJI_RE.sub("", sentence).strip())
    # the lookbehind starts a match only at the start of a run: linear, not quadratic
    text = _TRAILING_RE.sub("", text)
    text = " ".join(text.split())
    stripped = _LEAD_RE.sub("", _HANDLES_RE.sub("", text))
    stripped = _WRITING_RE.sub("", _FILLER_RE.sub("", _BARE_GREETING_RE.sub("", stripped)))
    if stripped and stripped != text:
        text = stripped[0].upper() + stripped[1:] if text[:1].isupper() else stripped
    return text


_EN_CLAUSE_WORDS = frozenset(
    [
        "i",
        "you",
        "he",
        "she",
        "it",
        "we",
        "they",
        "me",
        "my",
        "your",
        "our",
        "their",
        "this",
        "that",
        "there",
        "nobody",
        "nothing",
        "someone",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "am",
        "has",
        "have",
        "had",
        "do",
        "does",
        "did",
        "will",
        "would",
        "can",
        "could",
        "should",
        "shall",
        "may",
        "might",
        "must",
        "isn",
        "aren",
        "wasn",
        "weren",
        "hasn",
        "haven",
        "hadn",
        "doesn",
        "don",
        "didn",
        "won",
        "wouldn",
        "can't",
        "cannot",
        "couldn",
        "shouldn",
        "keeps",
        "kept",
        "got",
        "gets",
    ]
)
_FR_CLAUSE_WORDS = frozenset(
    [
        "je",
        "j",
        "il",
        "elle",
        "on",
        "nous",
        "vous",
        "ils",
        "elles",
        "c",
        "ça",
        "cela",
        "ce",
        "personne",
        "rien",
        "est",
        "sont",
        "était",
        "étaient",
        "sera",
        "seront",
        "a",
        "ont",
        "avait",
        "avaient",
        "ai",
        "avez",
        "avons",
        "as",
        "fait",
        "font",
        "peut",
        "peux",
        "pouvez",
        "veut",
        "veux",
        "voulez",
        "doit",
        "dois",
        "devez",
        "va",
        "vais",
        "allez",
        "semble",
        "reste",
        "manque",
        "marche",
        "fonctionne",
    ]
)


def looks_like_clause(words: list[str], language: str) -> bool:
    """A subject or a finite verb somewhere: "your parcel is late", not a fragment like
    "Third email and still no refund", which would read badly after "I understand that"."""
    lowered = [w.lower().replace("’", "'").split("'")[0] for w in words]
    if language == "fr":
        if any(w in _FR_CLAUSE_WORDS for w in lowered):
            return True
        # determiner, noun, verb: "votre application plante", "le colis arrive"
        return any(
            lowered[i] in _FR_DETERMINERS
            and lowered[i + 2].endswith(("e", "ent", "it", "é", "ée", "és", "ées"))
            and lowered[i + 2] not in _FR_DETERMINERS
            for i in range(len(lowered) - 2)
        )
    return any(w in _EN_CLAUSE_WORDS or (len(w) > 4 and w.endswith("ed")) for w in lowered)


_FR_DETERMINERS = frozenset(
    [
        "le",
        "la",
        "les",
        "l",
        "mon",
        "ma",
        "mes",
        "ton",
        "ta",
        "tes",
        "votre",
        "vos",
        "notre",
        "nos",
        "son",
        "sa",
        "ses",
        "ce",
        "cet",
        "cette",
        "ces",
        "un",
        "une",
    ]
)


_QUESTION_WORDS = frozenset(
    {"why", "how", "what", "when", "where", "which", "who", "whose", "pourquoi", "comment",
     "quand", "où", "ou", "quel", "quelle", "quels", "quelles", "qui", "combien", "est-ce"}
)  # fmt: skip
_EN_ASKING_RE = lazy(
    r"^\W*(?:do|does|did|is|isn't|are|aren't|was|were|can|could|should|would|will|have|has)"
    r"[ \t]+(?:i|you|we|it|this|that|they|there|my|your|the|anyone|someone|somebody)\b",
    re.IGNORECASE,
)
_EN_SUBJECTLESS_STARTS = frozenset(
    {"can't", "cant", "cannot", "couldn't", "couldnt", "didn't", "didnt", "don't", "dont",
     "doesn't", "doesnt", "won't", "wont", "haven't", "havent", "hasn't", "hasnt", "not",
     "never", "been", "got", "had", "need", "want", "tried", "keep", "keeps"}
)  # fmt: skip
_EN_ING_NOUNS = frozenset(
    {"during", "morning", "evening", "building", "wedding", "ceiling", "clothing", "spring",
     "string", "booking", "banking", "shipping", "billing", "pricing", "setting", "settings",
     "packaging", "heating", "parking", "training", "meeting", "listing", "housing"}
)  # fmt: skip
_EN_STILL_FRAGMENT_RE = lazy(r"^\W*still[ \t]+(?:no|not|nothing|waiting|[^\W\d_]+ing)\b", re.I)


def _en_fragment(first_word: str, text: str) -> bool:
    """An English clause that cannot follow "It sounds like": no subject ("Charged twice!",
    "cant login since yesterday", "still waiting on this"), or a question without its mark
    ("did i do something wrong or is it a bug.")."""
    return (
        (len(first_word) > 4 and first_word.endswith("ed"))
        or (
            len(first_word) > 5
            and first_word.endswith("ing")
            and not first_word.endswith("thing")
            and first_word not in _EN_ING_NOUNS
        )
        or first_word in _EN_SUBJECTLESS_STARTS
        or (first_word == "still" and _EN_STILL_FRAGMENT_RE.match(text) is not None)
        or _EN_ASKING_RE.match(text) is not None
    )


_THIRD_PERSON = frozenset({"he", "she", "they", "il", "elle", "ils", "elles"})
# whole words of letters only: "2nd", "48h" or "1er" are not misspelt words
_LETTERS_RE = lazy(r"\b[^\W\d_]+\b")
WORDS_PER_UNKNOWN = 10  # one word unknown to the dictionary is allowed per this many words


def unknown_words(text: str, known: Container[str]) -> list[str]:
    """Words of `text` that are not in `known` (folded): typos, SMS spellings, names."""
    return [
        word
        for word in _LETTERS_RE.findall(text)
        if len(word) > 1 and fold(word) not in known and not word[:1].isupper()
    ]


def too_messy(text: str, known: Container[str]) -> bool:
    """Whether `text` has too many words unknown to `known` to be restated or quoted back.

    One unknown word is allowed per `WORDS_PER_UNKNOWN` words (at least one): a product the
    word list lacks ("blender") is fine, SMS spelling ("jsuis tjrs pas livré") is not.
    """
    unknown = unknown_words(text, known)
    if len(unknown) <= 1:
        return False
    return len(unknown) > len(_LETTERS_RE.findall(text)) // WORDS_PER_UNKNOWN


def paraphrase(sentence: str, language: str, known: Container[str] | None = None) -> str | None:
    """Return the concern restated from the agent's point of view, or None.

    The result starts in lower case (unless it starts with a name or an acronym) and has no
    final punctuation, ready for a `{{concern}}` slot. With `known` (the dictionary of the
    language), a sentence with misspelt or SMS words ("jsuis", "tjrs") is not restated:
    rewriting half of it would read worse than not restating it at all.
    """
    sentence = without_rhetorical_tail(sentence)
    text = _without_please(_without_tails(prepare_clause(sentence), sentence))
    if language == "en":
        text = _COMPLAINING_RE.sub("I'm unhappy about ", text)  # restated, never quoted so
    if not text or sentence.rstrip().endswith("?") or any(q in text for q in _QUOTES):
        return None
    if language == "en":
        text = _EN_ITS_RE.sub(r"\1t's", _EN_BARE_RE.sub(_with_apostrophe, text))
    if known is not None and too_messy(text, known):
        return None
    words, spaced = _split(text)
    if len([w for w in words if w[:1].isalpha()]) > MAX_WORDS:
        return None
    if not looks_like_clause(words, language):
        return None
    first_word = next((w.lower() for w in words if w[:1].isalpha()), "")
    if first_word in _QUESTION_WORDS or first_word in _THIRD_PERSON:
        # "Where is my parcel" (a question without its mark) cannot follow "It sounds like";
        # "She had a subscription" needs the sentence before it to say who "she" is
        return None
    if language == "en" and _en_fragment(first_word, text):
        return None
    letters = text if text.isalpha() else "".join([c for c in text if c.isalpha()])
    if letters and sum(map(str.isupper, letters)) / len(letters) > 0.6:
        words = [w.lower() for w in words]  # shouting: restate it calmly
    elif known is not None:
        # one shouted word ("it's STILL not here") is said back calmly too; an acronym
        # ("PIN", "DHL") is short or not a dictionary word, and keeps its capitals
        words = [w.lower() if len(w) > 3 and w.isupper() and fold(w) in known else w for w in words]
    if language == "fr":
        if _FR_IMPERATIVE.match(text):
            return None
        swapped = _fr(words)
    else:
        if _EN_DISCOURSE.search(text):
            return None
        swapped = _en(words)
    if swapped is None:
        return None
    result = _join(swapped, spaced)
    if language == "fr":
        result = _FR_SPOKEN_NEGATION_RE.sub(_with_ne, _NE_BEFORE_VOWEL_RE.sub(r"\1'", result))
    first, _, rest = result.partition(" ")
    if rest[:1].isupper() and not rest.startswith(("I ", "I'")) and not _looks_common(first):
        return result  # "North Fambridge ticket machine...": a name of two words
    if known is not None and first[:1].isupper() and not first.isupper() and fold(first) in known:
        return result[0].lower() + result[1:]  # a plain word, not a name: "There are..."
    if first[:2] in ("L'", "L’", "D'", "D’"):
        return result[0].lower() + result[1:]  # "L'application plante...": an article
    if (
        first
        and first[0].isupper()
        and not first.isupper()
        and first.lower() in _LOWERABLE | set(_EN_CUSTOMER.values()) | set(_EN_COMPANY.values())
    ) or (first and first[0].isupper() and not first.isupper() and _looks_common(first)):
        result = result[0].lower() + result[1:]
    return result


# spoken French drops the "ne" ("j'ai pas reçu", "personne m'a prévenu"); an agent writing
# it back puts it in: "vous n'avez pas reçu", "personne ne vous a prévenu"
_FR_OBJECT = (
    r"(?:vous[ \t]+|nous[ \t]+|me[ \t]+|m['’]|le[ \t]+|la[ \t]+|les[ \t]+|l['’]|lui[ \t]+|"
    r"leur[ \t]+|y[ \t]+|en[ \t]+)?"
)
# what follows the verb of a negation: "pas", "rien"... ("plus de" can mean "more": not it)
_FR_NEGATION_AHEAD = r"(?=[ \t]+(?:pas|rien|jamais|aucune?|plus(?![ \t]+(?:de|d['’]|que)\b))\b)"
_FR_SPOKEN_NEGATION_RE = lazy(
    "|".join(
        [
            # "vous avez pas reçu", "ça marche pas": a pronoun subject, then the verb
            r"\b((?:vous|nous|on|il|elle|ils|elles|ça|cela)[ \t]+)(" + _FR_OBJECT + r")"
            r"([^\W\d_]+)" + _FR_NEGATION_AHEAD,
            # "personne m'a prévenu", at the start of a clause
            r"(?:^|(?<=[,;] )|(?<=\bet )|(?<=\bmais ))(personne[ \t]+)(" + _FR_OBJECT + r")"
            r"(?=(?:a|est|répond|veut|peut|sait|rappelle|prend|voit)\b)",
            # "le colis est pas arrivé": a noun subject, then a common verb
            r"(?<=[^\W\d_] )(?<!\bne )(est|a|sont|ont|était|étaient|avait|marche|marchent|"
            r"fonctionne|fonctionnent|arrive|passe|veut|peut|va|répond)" + _FR_NEGATION_AHEAD,
        ]
    ),
    re.IGNORECASE,
)


def _with_ne(match: re.Match[str]) -> str:
    """Put back the "ne" of a spoken negation, elided before a vowel or a mute h; a negation
    that has its "ne" ("vous ne m'avez pas", "il n'y avait pas") is left as it is."""
    before = match.string[max(0, match.start() - _NE_REACH) : match.start()]
    found = list(_NE_RE.finditer(before))
    last_ne = found[-1] if found else None
    if last_ne is not None and not _NEGATION_WORD_RE.search(before, last_ne.end()):
        return match.group()
    if match.group(6):  # "le colis est pas arrivé": no pronoun subject
        subject, pronoun, verb = "", "", match.group(6)
    else:
        subject = match.group(1) or match.group(4)
        pronoun = match.group(2) if match.group(1) else match.group(5)
        verb = match.group(3) or ""
    following = pronoun or verb or match.string[match.end() : match.end() + 1]
    ne = "n'" if following[:1].lower() in "aeiouyhéèêàâîôû" else "ne "
    return subject + ne + pronoun + verb


_NE_REACH = 40  # characters looked back at for the "ne" of the same negation
_NE_RE = lazy(r"\bn(?:e[ \t]|['’])", re.IGNORECASE)
_NEGATION_WORD_RE = lazy(r"\b(?:pas|rien|jamais|plus|aucune?|personne)\b|[,;:]", re.IGNORECASE)
# a "ne" left before a vowel by the swap ("je ne suis" -> "vous ne êtes"): elided
_NE_BEFORE_VOWEL_RE = lazy(r"\b([Nn])e[ \t]+(?=[aeiouyhéèêàâîôûAEIOUYHÉÈÊÀÂÎÔÛ])")

_LOWERABLE = {
    "we", "us", "our", "you", "your", "vous", "nous", "votre", "notre", "vos", "nos", "the",
    "le", "la", "les", "l'", "un", "une", "des", "it", "this", "that", "a", "an", "ce", "cette",
    "il", "elle", "ils", "elles", "on", "depuis", "since", "after", "après", "for", "pour",
    "it's", "there", "there's",
}  # fmt: skip


def _looks_common(word: str) -> bool:
    # A capitalised first word that is not a name: lower-case when it is a plain word.
    return word.lower() in _LOWERABLE or (
        word[1:].islower() and len(word) > 1 and word.lower() in _COMMON_STARTS
    )


_COMMON_STARTS = {
    "still", "again", "today", "yesterday", "toujours", "encore", "aujourd'hui", "hier",
    "nothing", "nobody", "rien", "personne", "three", "two", "trois", "deux", "every",
    "chaque", "ça", "cela", "c'est",
}  # fmt: skip


def quote(sentence: str, limit: int = 200) -> str:
    """The concern word for word, without final punctuation, cut at `limit` characters."""
    sentence = without_rhetorical_tail(sentence)
    text = _without_tails(prepare_clause(sentence), sentence)
    if len(text) > limit:
        cut = text[:limit].rsplit(" ", 1)[0]
        text = cut + "…"
    return text
