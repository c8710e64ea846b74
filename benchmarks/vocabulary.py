"""Fixed word lists for the synthetic archive: people, places, organisations, tags, phrasing.

The people are invented; places and organisations are real so that natowatch's built-in lists
(countries, capitals, well-known organisations) meet them as they would in real coverage.
Changing any list changes every generated archive: keep them stable.
"""

from __future__ import annotations

FIRST_NAMES = (
    "Anna", "Henrik", "Marta", "Tomas", "Elena", "Pieter", "Sofia", "Jonas", "Ingrid", "Mehmet",
    "Claire", "Dmitri", "Agnieszka", "Lars", "Beatriz", "Olivier", "Katarina", "Stefan", "Aylin",
    "Giorgos", "Hanna", "Marek", "Laura", "Viktor", "Nadia", "Rasmus", "Ilona", "Paolo", "Yael",
    "Andrius",
)  # fmt: skip

LAST_NAMES = (
    "Lindqvist", "Olsen", "Kowalczyk", "Brandt", "Moreau", "Jansen", "Petrova", "Kaya", "Novak",
    "Virtanen", "Costa", "Fischer", "Dumitru", "Haugen", "Szabo", "Ricci", "Berger", "Andersen",
    "Kovac", "Laine", "Vasquez", "Horvath", "Meier", "Ozturk", "Nielsen", "Ferreira", "Zielinski",
    "Aaltonen", "Marchetti", "Dvorak",
)  # fmt: skip

TITLES = (
    "Secretary General", "Defence Minister", "Foreign Minister", "Prime Minister", "President",
    "General", "Admiral", "Ambassador", "Deputy Secretary General", "spokesperson",
    "Colonel", "Chief of Defence", "Senator", "analyst",
)  # fmt: skip

PLACES = (
    "Brussels", "Vilnius", "Warsaw", "Ankara", "Tallinn", "Riga", "Oslo", "Helsinki", "Stockholm",
    "Berlin", "Paris", "London", "Washington", "Madrid", "Rome", "Bucharest", "Sofia", "Athens",
    "Kyiv", "Tbilisi", "Jerusalem", "Amman", "Rabat", "Tunis", "Istanbul", "Wales", "Lisbon",
    "the Baltic Sea", "the Black Sea", "the Mediterranean", "the Arctic", "Poland", "Lithuania",
    "Estonia", "Latvia", "Norway", "Finland", "Sweden", "Germany", "France", "Turkey", "Romania",
    "Bulgaria", "Greece", "Ukraine", "Georgia", "Israel", "Jordan", "Morocco", "Canada",
)  # fmt: skip

ORGANISATIONS = (
    "NATO", "the North Atlantic Council", "the European Union", "the United Nations",
    "the OSCE", "the Pentagon", "the Ministry of Defence", "the European Commission",
    "the Mediterranean Dialogue", "the Atlantic Council", "the Kremlin", "the State Department",
    "the European Parliament", "NATO's Military Committee", "the Council of Europe",
    "the International Monetary Fund", "Reuters", "the Red Cross", "the World Bank",
    "the Allied Command Transformation",
)  # fmt: skip

PUBLISHERS = (
    ("The Atlantic Ledger", "atlanticledger.example.com"),
    ("Baltic Times Online", "baltictimes.example.org"),
    ("Defence Wire", "defencewire.example.net"),
    ("Mediterranean Post", "medpost.example.com"),
    ("Northern Herald", "northernherald.example.com"),
    ("Capital Observer", "capitalobserver.example.org"),
)

CREDITS = (
    "NATO", "Reuters", "AFP", "Associated Press", "Ministry of Defence", "EPA",
    "Wikimedia Commons", "Getty Images",
)  # fmt: skip

TAG_REGIONS = (
    "Baltic", "Arctic", "Black Sea", "Mediterranean", "Nordic", "Balkan", "Atlantic", "Eastern",
    "Southern", "Western", "Central European", "Caucasus", "Middle East", "North African",
    "Transatlantic", "European", "Ukrainian", "Turkish", "Polish", "Global",
)  # fmt: skip

TAG_TOPICS = (
    "defence", "security", "diplomacy", "energy", "cyber", "exercises", "spending", "summits",
    "enlargement", "partnerships",
)  # fmt: skip

TAGS = tuple(f"{region} {topic}" for region in TAG_REGIONS for topic in TAG_TOPICS)

SPEECH_VERBS = (
    "said", "told reporters", "announced", "warned", "confirmed", "stressed", "argued",
    "noted", "insisted", "added",
)  # fmt: skip

GENERIC_SUBJECTS = (
    "Officials", "Diplomats", "Analysts", "The alliance", "The government", "Military planners",
    "Observers", "Critics", "Several members", "The delegation",
)  # fmt: skip

# Clauses: {p} person, {g} place, {o} organisation. Each slot is one name in the sentence.
CLAUSES = (
    "the talks would continue despite the disagreement over funding",
    "the new rotation of troops would arrive before the winter",
    "the budget for the coming year had finally been agreed",
    "more air defence systems were needed along the eastern flank",
    "the exercise had tested how quickly forces could be moved",
    "the agreement signed in {g} remained in force",
    "{o} would open a permanent office in {g}",
    "troops from {g} would join the multinational battalion",
    "{p} had asked for a review of the procurement plans",
    "the delegation from {o} met officials in {g}",
    "cooperation with {o} had grown steadily",
    "{p} and {p} had discussed the situation in {g}",
    "the decision by {o} surprised many in {g}",
    "a naval patrol near {g} had been extended",
    "{o} expected a formal request from {g}",
    "the veto that had blocked the upgrade was lifted",
    "cyber attacks on government networks had increased",
    "the pipeline project was under review by {o}",
    "the partnership programme with {g} would be expanded",
    "{p} would travel to {g} to meet {p}",
    "the two sides had failed to agree on a timetable",
    "the summit in {g} would focus on deterrence and resilience",
    "the contribution of {g} to the mission had doubled",
    "{o} had not been consulted before the announcement",
    "the new command in {g} would be fully staffed within two years",
    "the sanctions imposed by {o} were starting to bite",
    "a joint statement would be issued after the meeting",
    "parliament in {g} still had to ratify the accession protocol",
    "{p} had been briefed on the incident near {g}",
    "the reinforcements requested by {g} would be sent in stages",
    "the report by {o} had been leaked to the press",
    "spending on defence would rise to two per cent of output",
    "intelligence sharing with {o} had improved",
    "the drills near {g} were purely defensive",
    "{p} had rejected the proposal put forward by {o}",
    "the costs of the operation were still being calculated",
    "an inquiry into the accident would report by the end of the year",
    "{o} and {o} had agreed to hold further consultations",
    "the border crossing near {g} had been closed for three days",
    "the vote had been postponed until after the elections",
)  # fmt: skip

# Tails that lengthen a clause without naming anyone.
TAILS = (
    "according to two people familiar with the matter", "after weeks of negotiations",
    "despite strong objections", "as expected", "for the first time in a decade",
    "without giving further details", "in a closed session", "amid growing concern",
)  # fmt: skip

HEADLINE_PATTERNS = (
    "{g} to host talks on {topic}",
    "{o} backs new plan for {topic}",
    "{t} {p} visits {g} amid {topic} concerns",
    "Allies weigh {topic} after meeting in {g}",
    "{g} and {g2} sign {topic} agreement",
    "{o} report raises questions over {topic}",
    "What the {g} summit means for {topic}",
    "{p} calls for more {topic} funding",
)  # fmt: skip

BIO_ROLES = (
    "a senior correspondent covering European security",
    "a defence analyst with two decades of reporting from the region",
    "a Brussels-based journalist who writes about the alliance",
    "an editor on the foreign desk",
    "a former diplomat who now writes about international affairs",
)  # fmt: skip

COMMENT_OPENERS = (
    "This is long overdue.", "I doubt this will change anything.", "Good news for the region.",
    "Who is paying for all of this?", "Interesting article, thanks.",
    "The real story is being ignored here.", "History repeats itself.",
    "Finally some common sense.",
)  # fmt: skip

COMMENT_BODIES = (
    "{g} has been asking for this for years and {o} kept delaying it.",
    "Remember what {p} promised last time? Nothing happened.",
    "The taxpayers in {g} will end up paying for it, as always.",
    "If {o} cannot agree on this, what can it agree on?",
    "Everyone in {g} knows the situation is more complicated than this.",
    "{p} should resign over this.",
)  # fmt: skip

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip
