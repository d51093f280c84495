"""Where a sentence names an outcome: endpoint phrases and their codes.

One compiled alternation finds every endpoint mention in a sentence; alternatives are ordered
most specific first, so "complete response rate" is CR (not ORR) and "non-relapse mortality" is NRM
(not MORTALITY). Abbreviations are case-sensitive, long forms are not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from litmus.nlp.numbers import first_character_gate, normalise_text

# (code, pattern); codes suffixed by the grade logic below: CRS/ICANS become *_ANY or *_GE3.
_ENDPOINT_PATTERNS: list[tuple[str, str]] = [
    ("CRi", r"(?i:(?:CR|complete\s+(?:remission|response))\s+with\s+(?:an?\s+)?incomplete\s+"
            r"(?:[\w-]+\s+){0,2}recovery(?:\s+of\s+(?:[\w-]+\s+){0,2}?counts?)?)(?:\s*\(CRi\))?"),
    ("CR", r"CR\s*(?:/|\+|or)\s*CRi\b|CR/CRh\b"),
    ("CRi", r"CRi\b"),
    ("MRD_NEG", r"(?:(?i:(?:minimal|measurable)\s+residual\s+disease)(?:\s*\(MRD\))?[\s-]*(?i:negativ\w*)"
                r"|MRD[\s-]*(?i:negativ\w*)|MRD-(?![\w])|(?i:undetectable\s+MRD)"
                r"|(?i:negative\s+(?:for\s+)?(?:minimal|measurable)\s+residual\s+disease))"
                r"(?:\s+(?:CRs?|(?i:complete\s+(?:remission|response)s?))(?:\s+(?i:rates?))?)?"
                # "complete remission (CR) with negative / without detectable minimal residual disease": an MRD-negative CR
                r"|(?:CRs?|(?i:complete\s+(?:remission|response)s?))(?:\s*\(CR\))?\s+(?i:with\s+negative|without"
                r"(?:\s+(?:detectable|measurable|evidence\s+of))?)\s+(?:(?i:minimal|measurable)\s+)?(?i:residual\s+disease|MRD\b)"),
    # "VGPR or better", "at least a VGPR": the composite of every response from VGPR up
    ("VGPR", r"(?i:(?:at\s+least\s+(?:an?\s+)?|[≥>]=?\s*)(?:very\s+good\s+partial\s+(?:response|remission)|VGPR)s?)"
             r"|(?:(?i:very\s+good\s+partial\s+(?:response|remission))s?(?:\s*\(VGPR\))?|VGPR)(?:\s+(?i:or\s+better))?"),
    ("CR", r"(?i:stringent\s+complete\s+(?:response|remission))s?(?:\s*\(sCR\))?|sCR\b|(?i:stringent)\s+CRs?\b"),
    # composite endpoints ("the combined primary end point (death, ventilation or MI)") are not their parts
    ("OTHER", r"(?i:(?:combined|composite)\s+(?:primary\s+|secondary\s+)?(?:end[\s-]?points?|outcomes?))"
              r"(?:\s*\([^()]{0,80}\)|\s+(?i:of)\s+(?:[\w-]+(?:\s+[\w-]+)?(?:\s*\([^()]{0,12}\))?,?\s+){1,5}?(?i:or|and)"
              r"\s+[\w-]+(?:\s+[\w-]+)?)?"
              # clinical benefit defined in parentheses: "(CR + PR + stabilization ≥24 weeks)"
              r"|CR\s*\+\s*PR\s*\+\s*(?:SD|(?i:stabili[sz]ation|stable))"
              # disease control: "stable disease or better", "SD or better", "disease control rate"
              r"|(?:(?i:stable\s+disease)|SD)(?:\s*\([^()]{0,20}\))*\s+(?i:or\s+better)"
              r"|(?i:disease\s+control(?:\s+rates?)?)|DCR\b|(?i:clinical\s+benefit(?:\s+rates?)?)"
              r"|(?i:durable\s+response(?:\s+rates?)?)|DRR\b"
              r"|(?i:no\s+responses?|non-?respon(?:se|ders?))|DSS\b|CSS\b"
              # the survival of a thing, not of the patients: "implant survival", "graft survival"
              r"|(?i:(?:graft|allograft|implant|device|prosthes[ie]s|restoration|catheter|tooth|teeth|flap|stent|valve"
              r"|fistula|technique)\s+survival)"
              # "survival without liver transplantation": a composite (survival without progression is PFS)
              r"|(?i:survival\s+without\s+(?!(?:disease\s+|tumou?r\s+)?progression)[\w-]+(?:\s+[\w-]+)?)"
              r"|(?i:(?:distant\s+)?metastas[ie]s)"),
    # "9 patients remained in remission without further therapy": a lasting state, not a response figure (the figure
    # is not the response named before it either)
    ("OTHER", r"(?i:(?:remained|remain|remains|stayed|stays)\s+in\s+(?:an?\s+)?(?:(?:sustained|continu\w+|ongoing|durable"
              r"|persistent|complete|molecular)\s+)*(?:remission|response)s?)"),
    # "a response (stable disease, partial or complete response) in 7": defined to include stable disease, it is
    # disease control (guideline: not annotated), not a response rate
    ("OTHER", r"(?i:(?:overall\s+|objective\s+|clinical\s+|tumou?r\s+)?responses?\s*\((?:i\.e\.,?\s*|including\s+)?"
              r"(?:stable\s+disease|SD)\s*(?:,|/|or|and)\s*(?:partial(?:\s+response)?|PR)\s*,?\s*(?:or|and|/)?\s*"
              r"(?:complete\s+response|CR)\s*\))"),
    ("OTHER", r"(?i:(?:disease|relapse|recurrence|metastasis|failure|distant)[\s-]free(?:\s+survival)?)"
              r"|DFS\b|RFS\b|(?i:[\w-]+[\s-]specific\s+survival)"
              r"|(?i:survival\s+(?:from|after|following)\s+(?:the\s+)?(?:first\s+)?relapse)"  # post-relapse survival
              # time to progression is not progression-free survival (deaths are not events)
              r"|(?i:times?\s+to\s+(?:(?:tumou?r|disease)\s+)?progression)|TTP\b"
              r"|(?i:times?\s+to\s+treatment\s+failure)|TTF\b"),
    ("PFS", r"(?i:progression[\s-]free(?:\s+survival)?)|PFS\b|(?i:free\s+(?:of|from)\s+(?:disease\s+)?progression)"
            r"|(?i:survival\s+without\s+(?:disease\s+|tumou?r\s+)?progression)"),
    ("EFS", r"(?i:event[\s-]free(?:\s+survival)?)|EFS\b"),
    ("LFS", r"(?i:leuk(?:a)?emia[\s-]free(?:\s+survival)?)|LFS\b"),
    # any other "X-free survival" ("LTP free survival", "metastasis-free survival") is not OS
    ("OTHER", r"(?:[\w-]+[\s-])(?i:free\s+survival)"),
    ("NRM", r"(?i:non[\s-]?relapse[\s-]+(?:mortality|deaths?))|NRM\b|TRM\b"
            r"|(?i:(?:treatment|transplant|therapy|regimen|toxicity|procedure|drug)[\s-]related\s+(?:mortality|deaths?))"
            r"|(?i:toxic\s+deaths?)(?:\s+(?i:rates?))?"
            # deaths unrelated to the disease in patients free of it (guideline v2.1)
            r"|(?i:(?:unrelated|intercurrent|non-?cancer)\s+deaths?(?:\s+(?:while\s+)?free\s+of\s+(?:disease|relapse))?)"
            r"|(?i:deaths?\s+(?:were\s+|was\s+)?(?:attributed|attributable|related|due)\s+to\s+(?:the\s+)?(?:study\s+)?"
            r"(?:treatment|therapy|drug|toxicity|procedure|infusion|intervention|CAR[\w-]*))"
            r"|(?i:died\s+(?:of|from)\s+non[\s-]?relapse\s+causes)"
            r"|(?i:died\s+(?:of|from|due\s+to)\s+(?:treatment|transplant|therapy)[\s-]related\s+(?:causes|complications"
            r"|toxicit(?:y|ies)|adverse\s+events|events))"),
    # composite endpoints of death and another event are not deaths ("MI or death", "death or stroke")
    ("OTHER", r"(?i:(?:[\w-]+,\s+){0,4}[\w-]+\s+or\s+(?:(?:cardiovascular|cardiac|vascular|all-cause)\s+)?death|deaths?(?:\s*,\s*[\w-]+){0,4},?\s+(?:or|and)\s+[\w-]+"
              r"|composite\s+of\s+(?:[\w-]+\s+){0,2}?deaths?(?:\s*,\s*[\w-]+(?:\s+[\w-]+)?){0,4},?\s+(?:or|and)\s+[\w-]+)"),
    # deaths of a named cause, the disease itself included, are deaths (guideline v2.1): "fatal bleeding" too
    ("MORTALITY", r"(?i:(?:cardiovascular|cardiac|vascular|non-vascular|cancer|coronary|stroke|infection|sepsis"
                  r"|disease|[\w-]+-related|[\w-]+-specific)[\s-]+(?:mortalit(?:y|ies)|deaths?))"
                  r"|(?i:fatal\s+(?:bleeding|haemorrhage|hemorrhage|infections?|events?|adverse\s+events?))"
                  # "mortality from fungal infection": the cause belongs to the deaths
                  r"|(?i:(?:mortality|deaths?)\s+(?:from|of|due\s+to)\s+(?:[\w-]+\s+)?(?:infections?|sepsis))"),
    ("DOR", r"(?i:duration[\s-]+of[\s-]+(?:the\s+)?(?:overall\s+|disease\s+|complete\s+)?(?:response|remission)s?)"
            r"|(?i:duration[\s-]+of[\s-]+)(?:CR|sCR|PR|VGPR|ORR)\b"
            r"|(?i:response\s+duration)|DOR\b|DoR\b"
            # "responses lasted a median of 11 months": how long the responses lasted is their duration
            r"|(?i:(?:responses?|remissions?)\s+(?:had\s+)?lasted)"),
    # "at least a partial response", "partial response or better", "CR or PR": every responder, the ORR
    ("ORR", r"(?i:at\s+least\s+(?:an?\s+)?(?:partial\s+(?:response|remission)|PR)\b)"
            r"|CR\s*(?:\+|or|/)\s*PR\b(?!\s*\+)|(?i:complete\s+(?:response\s+)?(?:\[CR\]\s+)?or\s+partial\s+responses?)"
            r"|(?i:(?:partial\s+(?:response|remission)|PR)\s+or\s+better)"),
    # "the CNS disease went into remission in 85%": remission entered, the complete one (a partial remission is named)
    ("CR", r"(?i:(?:went|go|goes|going|came)\s+into\s+(?:(?:a\s+)?complete\s+)?remission)"),
    ("CR", r"(?i:complete\s+(?:(?:metabolic|cytogenetic|molecular|hematologic|haematologic|clinical|disease)\s+)?"
           r"(?:remission|response|responder)s?(?:\s+rates?)?)|CRs?\b"
           # "complete and partial responses": the adjective alone, its noun shared with the next one
           # ("five complete and 11 partial remissions": each adjective with its own count)
           r"|(?i:complete)(?=\s*(?:,|/|and|or)\s*(?:[\w-]+\s+)?(?i:partial|very\s+good\s+partial)\s+(?i:remission|response))"),
    # "ER and PR", "PR-positive": the progesterone receptor
    ("PR", r"(?i:partial\s+(?:remission|response)s?(?:\s+rates?)?)|PRs?\b(?![\s-]*(?:positiv|negativ|status|express|\+|-\w))"
           r"|(?i:partial)(?=\s*(?:,|/|and|or)\s*(?:[\w-]+\s+)?(?i:complete)\s+(?i:remission|response))"),
    # "objective and complete response rates": the adjective alone, its noun shared with the next one
    ("ORR", r"(?i:overall|objective)(?=\s*(?:,|/|and|or)\s*(?i:complete|partial)\s+(?i:remission|response))"),
    ("ORR", r"(?i:(?:overall|objective|best\s+overall|total|clinical|tumou?r)\s+(?:remission|response)s?"
            r"(?:\s+rates?)?)(?:\s*\((?:ORR|OR|OS)\))?|ORR\b|(?i:response\s+rates?)|(?i:responders?)"
            r"|(?i:responded)"
            # "Responses were seen in 7 of 12", "produced a response in 43%": responses counted in patients
            r"|(?i:responses?)(?=\s+(?:were|was)\s+(?:seen|observed|recorded|noted|achieved|documented)\s+in\b|\s+in\s+\d)"
            r"|(?i:responses)(?=\s+occurred\s+in\b)"),
    ("SD", r"(?i:stable\s+disease)|SD\b"),
    ("PD", r"(?i:progressive\s+disease)|PD\b(?!-\w)"),  # not PD-1, PD-L1
    # "overall and event-free survival": "overall" alone, when a coordinated survival phrase completes it
    ("OS", r"(?i:overall\s+survival)|OS\b|MST\b|(?i:survival(?:\s+rates?)?)|(?i:(?:still\s+)?alive(?!\s+and\s+(?:free|without|(?:disease|event|progression|relapse|recurrence)[\s-]free)))"
           r"|(?i:overall)(?=\s*(?:,|/|and|or)\s*(?i:[\w-]+[\s-]free|event|progression|disease|leuk\w*|relapse)"
           r"[\w\s-]{0,25}?(?i:survival))"),
    # "CRS-associated encephalopathy (CRES)": the older name of ICANS, not CRS
    ("ICANS", r"(?i:(?:CRS|cytokine[\s-]+release[\s-]+syndrome)[\s-]+(?:associated|related)[\s-]+encephalopathy"
              r"(?:[\s-]+syndrome)?)(?:\s*\(CRES\))?"),
    ("CRS", r"(?i:cytokine[\s-]+release[\s-]+syndromes?)(?:\s*\(CRS\))?|CRS\b"),
    ("ICANS", r"(?i:immune[\s-]+effector[\s-]+cell[\s-]+associated[\s-]+neurotoxicity[\s-]+syndrome)"
              r"(?:\s*\(ICANS\))?|ICANS\b|CRES\b|(?i:CAR[\s-]*T?[\s-]*cell[\s-]+related[\s-]+encephalopathy)"
              r"|(?i:neuro(?:logic(?:al)?)?[\s-]?toxicit(?:y|ies))|(?i:neurotoxic\s+(?:symptoms|events|effects|complications))"
              r"|(?i:neurologic(?:al)?\s+(?:adverse\s+)?(?:events?|toxicit(?:y|ies)))"),
    # "relapsed mantle cell lymphoma", "relapsed and/or refractory", "relapsed/refractory (r/r) disease":
    # relapse as an adjective of the disease or the population is not an outcome
    ("RELAPSE", r"(?i:(?:cumulative\s+)?incidences?\s+of\s+(?:(?:local|locoregional|distant|disease)\s+)?"
                r"(?:relapse|recurrence)(?:\s*/\s*progression)?)|(?i:relapse\s*/\s*progression)"
                r"|(?i:(?:(?:local|locoregional|loco-regional|distant|tumou?r|disease)\s+)?recurrences?|recurred)\b(?![\s-]*free)"
                r"|(?i:relapse[sd]?|relapsing)\b(?![\s-]*(?:free|/|(?:and\s+|or\s+|and/or\s+)?refractory"
                r"|(?:(?!(?i:in|at|on|of|after|before|was|were|is|are|had|has|occurred|among|with|within|during|by|rates?"
                r"|and|to|from|for|who|than|the|a|an|\d+)\b)[\w/()-]+\s+){0,4}?(?:B-|T-)?(?:ALL|AML|CLL|MM|NHL|DLBCL|MCL|HL|(?i:disease|leuk\w*|lymph\w*"
                r"|myelo\w*|Hodgkin|cancers?|tumou?rs?|malignanc\w*|carcinoma|patients|subjects|cases|sarcoma"
                r"|neuroblastoma|glioblastoma|melanoma))\b|or\b))"),
    ("MORTALITY", r"(?i:(?:all[\s-]cause\s+|overall\s+|early\s+)?mortalit(?:y|ies)(?:\s+rates?)?)|(?i:deaths?)"
                  r"|(?i:died)"),
    ("FOLLOW_UP", r"(?i:followed(?:[\s-]up)?\s+for)|(?i:follow[\s-]?up)"),
    # "the full ITT population (n = 637)": an analysis set sized in a parenthesis (guideline v2.2)
    ("N_EVALUABLE", r"(?i:(?:full\s+|modified\s+)?(?:ITT|mITT|intention[\s-]to[\s-]treat|per[\s-]protocol|safety|efficacy"
                    r"|full\s+analysis)\s+(?:population|set|analysis\s+set)(?=\s*\(\s*n\s*=))"),
    ("N_EVALUABLE", r"(?i:evaluable|assessable|evaluated\s+for\s+(?:response|efficacy)"
                    # "All 10 patients completed the efficacy assessment"
                    r"|completed\s+(?:the\s+)?(?:[\w-]+\s+){0,2}?(?:assessments?|evaluations?)"
                    r"|(?:eligible|available)\s+for\s+(?:the\s+)?(?:[\w-]+\s+){0,2}?(?:analys[ie]s|evaluation|assessment))"),
    # "analysed for KRAS mutation" describes a laboratory test, "we evaluated 7,216 men" a study population
    ("N_EVALUABLE", r"(?i:analy[sz]ed(?!\s+for\s+(?!(?:response|efficacy|safety|toxicity|outcomes?|survival"
                    r"|the\s+primary|the\s+(?:main|final)|intention)\b))|evaluated(?!\s+\d)|(?:included|entered)\s+in\s+(?:the|this|these)\s+(?:[\w-]+\s+){0,2}analys[ie]s"
                    # "were included in the per-protocol group": an analysis set (guideline v2.2)
                    r"|(?:(?<=were\s)|(?<=was\s))assessed(?!\s+for\s+eligibility)"
                    r"|(?:included|entered)\s+in\s+the\s+(?:per[\s-]protocol|intention[\s-]to[\s-]treat|ITT|mITT|safety|efficacy)"
                    r"\s+(?:group|population|set|cohort)"
                    r"|analysis\s+(?:was\s+)?(?:conducted|performed|done)\s+on)"),
    # "28 received TanCAR7", "35 received axicabtagene ciloleucel", "received CTL019": a product is a
    # word with CAR in it, a "-cel" name or an alphanumeric code.
    ("N_TREATED", r"(?i:infused|treated|vaccinated|immuni[sz]ed|(?:were|was|been)\s+given"
                  r"|went\s+on\s+to\s+(?:receive\s+)?(?:an?\s+|the\s+)?(?:[\w-]+\s+){0,3}?(?:infusions?|treatment|therapy|transplant\w*)"
                  r"|(?:received|underwent)\s+(?:[\w-]+\s+){0,3}?"
                  r"(?:infusions?|[\w-]*CAR[\w-]*|cells|treatment|therapy|doses?|[\w-]*cel\b|transplant\w*|surgery"
                  r"|resection)|received\s+(?=(?:[A-Za-z][\w-]*\s+){0,2}?\d[\d.,]*(?:\s*(?:,\s*(?:or|and)?|or|and|to|-)\s*\d[\d.,]*)*\s*(?:mg|µg|μg|g|Gy|IU)\b))"
                  r"|(?i:received)\s+[A-Z]{2,}[A-Za-z-]*\d[\w-]*"),
    # ("Treatments included RP and RT": "included" enrols only people: "were included", "included in the study")
    ("N_ENROLLED", r"(?i:enrolled|enroled|recruited|randomi[sz]ed|(?:(?<=were\s)|(?<=was\s)|(?<=been\s))included"
                   r"|included(?=\s+(?:in|into)\b)|registered|accrued|participated"
                   r"|underwent\s+randomi[sz]ation"
                   # "Group 2 (control group) consisted of 20 individuals"
                   r"|(?:consisted|consists|comprised)\s+of(?=\s+\d[\d,]*\s+(?:\(|[A-Za-z]))"
                   # "The study population comprised 93 patients"
                   r"|(?:comprised|comprises)(?=\s+(?:a\s+total\s+of\s+)?\d[\d,]*\s+[A-Za-z])"
                   # "a randomised trial with 148 patients", "a phase III study of 806 patients"
                   r"|(?:trial|study|cohort|sample|series)\s+(?:with|of|in|including|involving|enrolling)"
                   r"(?=\s+(?:a\s+total\s+of\s+)?\d)"
                   r"|randomly\s+(?:assigned|allocated|divided|received|treated|given)"
                   # "allocated alternately to", "assigned to either"; "entered the study"; in CAR-T trials the
                   # intention-to-treat population is the one that "underwent leukapheresis" (guideline v2.1)
                   r"|(?:allocated|assigned)(?=\s+(?:[\w-]+\s+){0,2}?(?:to|into|at\s+random)\b)"
                   r"|(?:(?<=were\s)|(?<=was\s))(?:allocated|assigned|studied|divided(?=\s+into\b))|volunteered"
                   # "in 275 patients allocated EOC": the participle right after the counted noun
                   r"|(?:(?<=patients\s)|(?<=participants\s)|(?<=subjects\s)|(?<=women\s)|(?<=men\s))(?:allocated|assigned)\b"
                   r"|included(?=\s+(?:a\s+total\s+of\s+)?\d)"
                   r"|entered\s+(?:the|this|an?)\s+(?:[\w-]+\s+){0,4}?(?:study|trial)\b|(?:underwent|undergone)\s+(?:leuk|lymph)?apheresis|(?:leuk)?apheresed)"
                   r"(?!\s*(?:,\s*)?(?:double|controlled|placebo|trial|study|clinical|open|phase|multi|cross))"),
    # MRD positivity (a molecular recurrence, or a remission that is not MRD-negative) is not relapse nor MRD
    # negativity; "an MRD-positive CR" stays a CR
    ("OTHER", r"(?:(?i:MRD|(?:minimal|measurable)\s+residual\s+disease)[\s-]*(?i:positiv\w*)"
              r"|(?i:(?:turned|became|were|was|remained)\s+positive\s+for\s+(?:MRD|(?:minimal|measurable)\s+residual\s+disease"
              r"(?:\s*\(MRD\))?)))(?![\w-])(?!\s+(?:CRs?\b|(?i:complete)))"),
    # adverse events outside the inventory (guideline: not annotated), named so that the figures listed after them
    # are not read as the CRS or neurotoxicity named before ("grade 1 ICANS in 5 (9%), GVHD in 21 (38%)")
    ("OTHER_AE", r"(?i:(?:acute\s+|chronic\s+)?graft[\s-]+versus[\s-]+host\s+disease|a?GVHD\b|GvHD\b"
                 r"|(?:febrile\s+)?neutropenias?\b|thrombocytopenias?\b|an(?:a)?emias?\b|lymphopenias?\b|leukopenias?\b"
                 r"|(?:prolonged\s+)?cytopenias?\b|pancytopenias?\b|infections?\b|pyrexia\b|fevers?\b|hypogammaglobulin(?:a)?emia\b"
                 r"|tumou?r\s+lysis\s+syndrome|thrombotic\s+microangiopath(?:y|ies)|(?:hepatic|liver|renal)\s+failure)"),
    ("OTHER_RATE", r"(?i:(?:rates?|incidences?|proportions?|percentages?|frequency|prevalence|risk)\s+of\s+"
              r"(?!(?:the|patients|subjects|participants)\b)(?:grade\s*[≥>]?\s*\d(?:\s*(?:-|or|/)\s*\d)?\s+)?[a-z][\w/-]*(?:\s+(?!was\b|were\b|in\b|at\b|of\b|"
              r"is\b|and\b|with\b|decreased\b|increased\b|did\b)[a-z][\w/-]*){0,3})"),
    # any other "X rate" ("major complication rate", "readmission rate") is its own outcome, not the last one named
    # ("its 6- and 12-month rates": a landmark's rates are those of the endpoint in hand)
    ("OTHER", r"(?i:(?!(?:days?|weeks?|months?|years?)\s)[a-z][\w-]{3,}\s+rates?)\b"),
    # adverse events outside the inventory are outcomes of their own: "and 9% had infections of grade ≥3" is not the
    # figure of the toxicity named before it
    ("OTHER", r"(?i:(?:febrile\s+)?neutropenia|thrombocytopenia|an(?:a)?emia|cytopenias?|infections?"
              r"|hypogammaglob\w+)\b"),
]

# Mentions start words; the gate lets the engine skip the middle of words cheaply.
_COMBINED = re.compile(
    r"(?<!\w)(?=\w)(?:"
    + "|".join(f"{first_character_gate(pattern)}(?P<e{i}>{pattern})" for i, (_, pattern) in enumerate(_ENDPOINT_PATTERNS))
    + ")"
)
_CODES = {f"e{i}": code for i, (code, _) in enumerate(_ENDPOINT_PATTERNS)}
_STANDARD_DEVIATION = re.compile(r"±|\+/-|(?i:standard\s+deviation|\bmean\b)")
_COMPOSITE_CR = re.compile(r"CR\s*[/+]\s*CR[ih]\b")
_RATE_OF = re.compile(r"\s+of\s+", re.IGNORECASE)
_WORD_CHAR_BEFORE = re.compile(r"\w")
_CAUSE_OF_DEATHS = re.compile(r"\b(?:(?:due|attributed|attributable)\s+to|caused\s+by)\s+(?:the\s+)?$", re.IGNORECASE)
_CAUSE_BEFORE = re.compile(r"\b(?:of|from|to|by)\s+(?:(?:an?|the)\s+)?(?:[\w-]+\s+)?$", re.IGNORECASE)
_ABBREVIATION_AFTER = re.compile(r"\s*\(\s*[A-Za-z][\w/-]{0,9}\s*\)")
# "Response rate" means a survey's in trials of questionnaires, unless tumours are in sight.
_SURVEY = re.compile(r"(?i:\bsurveys?\b|questionnaires?|\brespondents?\b|non-?respon)")
_SURVEY_WORDS = ("survey", "questionnaire", "respondent", "nonrespon", "non-respon")
_TUMOUR = re.compile(r"(?i:tumou?r|cancer|leuk|lymphoma|myeloma|remission|RECIST|metasta|carcinoma)")

# Grade qualifiers near a CRS or neurotoxicity mention.
_GRADE_RE = re.compile(
    r"(?i:(?P<above>(?:above|over|beyond|exceeding|(?:higher|greater|more)\s+than)\s+)?"
    r"grades?\s*(?P<cmp>≥|>=|>|≤|<=|<)?\s*(?P<lo>[1-5]|I{1,3}V?|IV)"
    r"(?:\s*(?:-|to|/|or|and|,)\s*(?P<hi>[1-5]|I{1,3}V?|IV))?"
    r"(?P<plus>\s*(?:or|and)\s*(?:higher|greater|above|more|worse)|\+)?"
    r"|(?P<severe>severe|serious|high[\s-]grade)|(?P<any>any[\s-]grade|all[\s-]grades?)"
    # "mild", "low-grade", "mild to moderate": grades 1-2 only, a part of the events when higher grades occurred
    r"|(?P<mild>(?:mild(?:\s+(?:to|or)\s+moderate)?|low[\s-]grade|moderate)(?![\w-])))"
)
_COORDINATED = re.compile(r"\s*(?:,\s*)?(?:and|or|,)\s*")
_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5}


@dataclass(frozen=True, slots=True)
class EndpointMention:
    code: str
    start: int  # offsets into the sentence
    end: int
    label: str  # the phrase as written
    composite: str | None = None  # a composite response: "CR/CRi", "CR/CRh", "sCR", "≥VGPR"


def _grade_floor(match: re.Match) -> tuple[int, bool]:
    """(lowest grade the qualifier admits, whether it is an upper bound); "any grade" is (0, False)."""
    if match.group("severe"):
        return 3, False
    if match.group("any"):
        return 0, False
    if match.group("mild"):
        return 1, True
    low = _grade_number(match.group("lo"))
    if match.group("above"):
        return low + 1, False  # "severe (above grade 2)"
    cmp = match.group("cmp")
    if cmp in ("≤", "<=", "<"):
        return low, True
    return (low + 1 if cmp == ">" else low), False


def _grade_number(text: str) -> int:
    return int(text) if text.isdigit() else _ROMAN[text.upper()]


def grade_qualifiers(text: str) -> list[str]:
    """Every grade qualifier written in `text`, in order ("of any grade", "grade ≥3", "severe")."""
    return [m.group(0) for m in _GRADE_RE.finditer(text)]


def grade_range(qualifier: str) -> tuple[int, int] | None:
    """The grades the last qualifier in `qualifier` admits, (lowest, highest): "grade 1-2" (1, 2), "mild" (1, 2),
    "grade 3 or higher" (3, 5), "grade 2-4" (2, 4); None when it names no grade or every grade."""
    matches = list(_GRADE_RE.finditer(qualifier))
    if not matches or matches[-1].group("any"):
        return None
    match = matches[-1]
    if match.group("severe"):
        return 3, 5
    if match.group("mild"):
        return 1, 2
    low, cmp = _grade_number(match.group("lo")), match.group("cmp")
    if cmp in ("≤", "<=", "<"):
        return 1, low - 1 if cmp == "<" else low
    if cmp in ("≥", ">=", ">") or match.group("above") or match.group("plus"):
        return low + 1 if cmp == ">" or match.group("above") else low, 5
    return low, _grade_number(match.group("hi")) if match.group("hi") else low


_ANALYSIS_BEFORE = re.compile(r"\banalys[ie]s\s+(?:(?:has|have|had)\s+)?$", re.IGNORECASE)
_HEAD_COUNTS = {"N_ENROLLED", "N_TREATED", "N_EVALUABLE"}
_NOT_BEFORE = re.compile(r"\b(?:not|never)\s+$", re.IGNORECASE)
_STATE_BEFORE = re.compile(
    r"(?:\bin\s+(?:a\s+)?(?:first|second|third|1st|2nd|3rd)\s+|\bwho\s+(?:were|was|are|is)\s+in\s+(?:a\s+)?"
    # "Seven patients in CR went on to transplant", "69% for all patients in CR": the remission names who is counted;
    # "10 remained in CR", "stayed in remission": a state that lasts, not a response rate
    r"|\b(?:patients|children|adults|subjects|responders|those|them|ones|cases)\s+in\s+(?:a\s+)?"
    r"|\b(?:remained|remain|remains|remaining|stayed|stays|stay)\s+in\s+(?:an?\s+)?"
    r"(?:(?:sustained|continu\w+|ongoing|durable|persistent)\s+)?)$",
    re.IGNORECASE)
_RELAPSE_HISTORY = re.compile(r"\bhad\s+(?:\w+\s+)?relapsed\s+(?:after|following|post)\s+(?:an?\s+|the\s+|their\s+)?"
                              r"(?:earlier|prior|previous|first|second|allogeneic|autologous|allo|auto|transplant|HSCT|SCT)",
                              re.IGNORECASE)
_GRADE_WINDOW_END = re.compile(r"[;,.(]|\d\s*%|\bin\s+\d")


def _toxicity_code(base: str, sentence: str, start: int, end: int) -> tuple[str, str | None]:
    """CRS/ICANS with the grade written next to it: *_GE3, *_ANY, or OTHER for mild grades only."""
    # "CRS of grade 3 or higher in 6%" grades the mention; "CRS developed in 84% (grade 3-4 in 8%)" grades a
    # breakdown after the mention's own figure, so the look ahead stops at a parenthesis or a figure
    after = _GRADE_WINDOW_END.split(sentence[end:end + 30])[0]
    # ("80% had AEs of grade ≥3, 40% had CRS": a figure or a comma between a grade and the mention ends the grade's reach)
    before = re.split(r"[;.,]|\band\b|\bwith\b|\d\s*%", sentence[max(0, start - 40):start])[-1]
    nearest = next(_GRADE_RE.finditer(after), None)
    if nearest is None:
        before_matches = list(_GRADE_RE.finditer(before))
        nearest = before_matches[-1] if before_matches else None
    if nearest is None:
        return f"{base}_ANY", None
    low, upper_bound = _grade_floor(nearest)
    if low >= 3 and not upper_bound:
        return f"{base}_GE3", None
    # any grade, or mild grades only ("grade 1 neurotoxicity"; adjudicated gold): the grade stays in the label, so
    # that a part of the events ("grade 1-2 in 17" beside "grade 4 in 1") can be told from their whole
    return f"{base}_ANY", None if nearest.group("any") else nearest.group(0)


@dataclass(frozen=True, slots=True)
class TextContext:
    """What the whole abstract is about, for words whose meaning depends on it."""

    survey: bool = False  # "response rate" is a survey's
    oncology: bool = True  # responses, remissions and relapses are tumour outcomes (v2.1: not in depression, Crohn's…)
    cell_therapy: bool = True  # neurotoxicity is ICANS only after immune-effector-cell therapy (v2.1)


# Read only when the abstract is long enough to show its field (a lone sentence keeps the default reading).
_CONTEXT_MIN_LENGTH = 400
_ONCOLOGY_WORDS = ("cancer", "tumor", "tumour", "carcinom", "lymphom", "leuk", "myelom", "melanom", "sarcom", "gliom",
                   "blastom", "neoplas", "metasta", "oncolog", "malignan", "chemotherap", "recist", "hodgkin",
                   "myelodysplas", "mesotheliom", "car-t", "car t", "chimeric antigen", "radiotherap",
                   # tumour endpoints and treatments name the field when the disease is not named
                   "progression-free", "overall survival", "partial response", "stable disease", "complete remission",
                   "transplant", "graft-versus-host", "gvhd", "platin", "taxel", "rubicin", "fludarabine",
                   "cyclophosphamide", "cytarabine", "nivolumab", "pembrolizumab", "rituximab", "ipilimumab",
                   "atezolizumab", "durvalumab")
_ONCOLOGY_ABBREVIATIONS = re.compile(r"\b(?:AML|ALL|CLL|CML|MDS|NHL|DLBCL|MCL|NSCLC|SCLC|HCC|RCC|GIST|CRC)\b")
_CELL_THERAPY_WORDS = ("car-t", "car t", "car-nk", "chimeric antigen", "cel ", "cel)", "cel,", "cel.", "t-cell engager",
                       "t cell engager", "bispecific", "blinatumomab", "bite", "cell therap", "icans", "ctl019",
                       "cytokine release")


def text_context(text: str) -> TextContext:
    """The field of an abstract: survey, oncology, immune-effector-cell therapy (substring tests: cheap)."""
    survey = is_survey_text(text)
    if len(text) < _CONTEXT_MIN_LENGTH:
        return TextContext(survey=survey)
    lowered = text.lower().replace("tumor necrosis", "").replace("tumour necrosis", "")  # TNF is immunology
    oncology = any(word in lowered for word in _ONCOLOGY_WORDS) or bool(_ONCOLOGY_ABBREVIATIONS.search(text))
    cell_therapy = any(word in lowered for word in _CELL_THERAPY_WORDS)
    return TextContext(survey=survey, oncology=oncology, cell_therapy=cell_therapy)


_TUMOUR_RESPONSE_CODES = {"ORR", "CR", "CRi", "PR", "SD", "PD", "VGPR", "MRD_NEG", "DOR", "RELAPSE"}
_NAMED_ICANS = re.compile(r"ICANS|CRES|(?i:immune[\s-]+effector)")


def is_survey_text(text: str) -> bool:
    """Whether "response rate" in this text means survey returns rather than tumour response."""
    lowered = text.lower()  # substring tests first: a case-blind regex over a whole abstract is slow
    if not any(word in lowered for word in _SURVEY_WORDS):
        return False
    return bool(_SURVEY.search(text)) and not _TUMOUR.search(text)


def find_endpoints(sentence: str, *, survey: bool = False, context: TextContext | None = None) -> list[EndpointMention]:
    """Every endpoint mention in `sentence`, left to right, non-overlapping.

    `survey`: the document is a survey trial, so response rates are OTHER. `context`: what the whole abstract is
    about (`text_context`); outside oncology responses and relapses are OTHER, outside cell therapy neurotoxicity is.
    """
    mentions = _find_endpoints(sentence, survey=survey or bool(context and context.survey))
    if context is None or (context.oncology and context.cell_therapy):
        return mentions
    return [_in_context(m, context) for m in mentions]


def _in_context(mention: EndpointMention, context: TextContext) -> EndpointMention:
    if not context.oncology and mention.code in _TUMOUR_RESPONSE_CODES:
        return replace(mention, code="OTHER", composite=None)
    if not context.cell_therapy and mention.code.startswith("ICANS") and not _NAMED_ICANS.search(mention.label):
        return replace(mention, code="OTHER")
    return mention


def _find_endpoints(sentence: str, *, survey: bool = False) -> list[EndpointMention]:
    text = normalise_text(sentence)
    mentions = []
    for match in _COMBINED.finditer(text):
        start, end = match.span()
        if start > 0 and _WORD_CHAR_BEFORE.match(text[start - 1]) or (mentions and start < mentions[-1].end):
            continue  # inside a longer word, or inside the abbreviation that ends the previous mention
        code = _CODES[match.lastgroup]
        if code == "OTHER_AE":
            if _CAUSE_BEFORE.search(text, max(0, start - 24), start):
                continue  # "died of infection", "NRM … due to infection": the cause of a death, not an event of its own
            code = "OTHER"
        if code == "OTHER_RATE":
            inner = _named_inside(text, start, end, survey)
            if inner:  # "the rate of MRD negativity", "incidence of non-relapse mortality": the endpoint named
                mentions += inner
                continue
            code = "OTHER"
        abbreviation = _ABBREVIATION_AFTER.match(text, end)
        if abbreviation and code != "OTHER":
            end = abbreviation.end()  # "complete remission (CR)" is one mention
            if code == "CRi" and _COMPOSITE_CR.search(abbreviation.group(0)):
                code = "CR"  # "CR or CR with incomplete recovery (CR/CRi)" is the composite
        label = sentence[start:end]
        if code == "SD" and label == "SD" and _STANDARD_DEVIATION.search(text, max(0, start - 25), end + 3):
            continue  # "mean ± SD", "standard deviation (SD)"
        if code == "ORR" and survey:
            code = "OTHER"
        if code == "RELAPSE" and _RELAPSE_HISTORY.search(text, max(0, start - 12), min(len(text), end + 50)):
            continue  # "25 (66%) had relapsed after an earlier transplant": the patients' history, not an outcome
        if code == "N_ENROLLED" and _ANALYSIS_BEFORE.search(text, max(0, start - 24), start):
            code = "N_EVALUABLE"  # "The main analysis included 1948 women": an analysis set (guideline v2.2)
        if code in _HEAD_COUNTS and _NOT_BEFORE.search(text, max(0, start - 8), start):
            code = "OTHER"  # "69 patients were not randomised", "were not evaluable": the ones left out
        if code in ("CR", "CRi", "PR") and _STATE_BEFORE.search(text, max(0, start - 24), start):
            continue  # "patients in second CR", "the 7 patients who were in CR after bridging": a state at entry
        if code in ("CRS", "ICANS"):
            if _CAUSE_OF_DEATHS.search(text, max(0, start - 24), start) and any(
                    m.code in ("NRM", "MORTALITY") for m in mentions):
                continue  # "NRM was mostly due to ICANS (1.1%)": the cause of the deaths, whose figure it is
            code, grade = _toxicity_code(code, text, start, end)
            label = graded_label(label, grade)
        composite = _composite_of(code, label)
        if code == "VGPR" and composite is None and _AT_LEAST_BEFORE.search(text, max(0, start - 3), start):
            composite = "≥VGPR"  # "≥VGPR": the sign stands before the word the mention starts at
        mentions.append(EndpointMention(code, start, end, label, composite))
    return _grades_shared(text, _composites_joined(text, _elided_response_rates(text, mentions)))


# "The complete response rates were 40% and 28% …, and overall rates were 78% and 79%": the noun is elided
_ELIDED_RATE = re.compile(r"\b(?P<kind>overall|complete|partial)\s+rates?\b", re.IGNORECASE)
_RESPONSE_CODES = {"ORR", "CR", "PR"}


def _elided_response_rates(text: str, mentions: list[EndpointMention]) -> list[EndpointMention]:
    first_response = next((m.start for m in mentions if m.code in _RESPONSE_CODES), None)
    if first_response is None or "rate" not in text:
        return mentions
    added = []
    at = {m.start: m for m in mentions}
    for match in _ELIDED_RATE.finditer(text, first_response + 1):
        if match.start() in at and at[match.start()].code != "OTHER":
            continue
        code = {"overall": "ORR", "complete": "CR", "partial": "PR"}[match.group("kind").lower()]
        added.append(EndpointMention(code, match.start(), match.end(), match.group(0)))
    if not added:
        return mentions
    replaced = {m.start for m in added}
    return sorted([m for m in mentions if m.start not in replaced] + added, key=lambda m: m.start)


_COMPOSITE_WITH_RECOVERY = re.compile(r"CR\s*(?:/|\+|or|and)\s*CR(?P<kind>[ih])\b|(?i:with\s+(?:an?\s+)?(?:incomplete|partial))",
                                      re.IGNORECASE)
_STRINGENT = re.compile(r"(?i:stringent)|sCR")
_OR_BETTER = re.compile(r"(?i:or\s+better|at\s+least)|[≥>]")
_AT_LEAST_BEFORE = re.compile(r"(?:≥|>=?)\s*$")
_JOINS_A_COMPOSITE = re.compile(r"\s*(?:/|\+|\bor\b|\band\b)\s*(?:in\s+)?", re.IGNORECASE)  # "were in CR or in CRi"


def _composite_of(code: str, label: str) -> str | None:
    """Which composite a mention names: "CR/CRi rate" -> CR/CRi, "stringent CR" -> sCR, "VGPR or better" -> ≥VGPR."""
    if code == "CR":
        if _STRINGENT.search(label):
            return "sCR"
        match = _COMPOSITE_WITH_RECOVERY.search(label)
        if match is not None:
            return "CR/CRh" if (match.group("kind") or "").lower() == "h" else "CR/CRi"
    if code == "VGPR" and _OR_BETTER.search(label):
        return "≥VGPR"
    return None


def _composites_joined(text: str, mentions: list[EndpointMention]) -> list[EndpointMention]:
    """"CR or CR with incomplete count recovery": a CR and a CRi joined by "or" are one composite CR."""
    joined: list[EndpointMention] = []
    for mention in mentions:
        previous = joined[-1] if joined else None
        if (previous is not None and previous.code == "CR" and previous.composite is None
                and (mention.code == "CRi" or mention.composite == "CR/CRi")
                and _JOINS_A_COMPOSITE.fullmatch(text, previous.end, mention.start)):
            joined[-1] = EndpointMention("CR", previous.start, mention.end, text[previous.start:mention.end], "CR/CRi")
        else:
            joined.append(mention)
    return joined


def _named_inside(text: str, start: int, end: int, survey: bool) -> list[EndpointMention]:
    """Endpoints named after the "of" of a "rate of ..." phrase, when any of them is in the inventory."""
    of = _RATE_OF.search(text, start, end)
    if of is None:
        return []
    inner = [replace(m, start=m.start + of.end(), end=m.end + of.end())
             for m in find_endpoints(text[of.end():end + 40], survey=survey) if m.start < end - of.end()]
    return inner if any(m.code != "OTHER" for m in inner) else []


def _grades_shared(text: str, mentions: list[EndpointMention]) -> list[EndpointMention]:
    """"Grade 3 or higher CRS and neurologic events": a grade before a coordinated pair covers both."""
    for i in range(1, len(mentions)):
        earlier, later = mentions[i - 1], mentions[i]
        if (earlier.code.endswith("_GE3") and later.code.endswith("_ANY")
                and _COORDINATED.fullmatch(text, earlier.end, later.start)):
            mentions[i] = replace(later, code=later.code[:-len("_ANY")] + "_GE3")
    return mentions


def regrade(mention: EndpointMention, qualifier: str) -> EndpointMention:
    """A CRS/ICANS mention re-coded by the last grade written in `qualifier` (text between it and a value):
    "CRS occurred in 95% (grade 3 or higher in 4%)"."""
    base = mention.code.split("_")[0]
    if base not in ("CRS", "ICANS"):
        return mention
    grades = list(_GRADE_RE.finditer(qualifier))
    if not grades:
        return mention
    low, upper_bound = _grade_floor(grades[-1])
    if low >= 3 and not upper_bound:
        return replace(mention, code=f"{base}_GE3")
    label = mention.label if grades[-1].group("any") else graded_label(mention.label.split(" [")[0], grades[-1].group(0))
    return replace(mention, code=f"{base}_ANY", label=label)


def graded_label(label: str, grade: str | None) -> str:
    """"cytokine release syndrome [grade 1-2]": a CRS/ICANS mention restricted to some grades keeps them."""
    return f"{label} [{' '.join(grade.split())}]" if grade else label


def label_grades(label: str | None) -> tuple[int, int] | None:
    """The grade range a label written by `graded_label` carries."""
    if not label or not label.endswith("]") or " [" not in label:
        return None
    return grade_range(label[label.rindex(" [") + 2:-1])
