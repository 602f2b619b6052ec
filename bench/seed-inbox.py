#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Seeds a running inbox-central with a realistic team inbox, for the benchmarks (bench/README.md).

Signs up (or logs in) an admin through the API to learn the team id and get a token, then writes
the team's contacts, conversations and messages straight into the server's database:

  * SQLite: the sqlite3 module, one transaction, executemany; the FTS5 triggers of messages and
    contacts index every row as it goes in (their cost is part of the "insert" time printed);
  * PostgreSQL: psql, COPY FROM STDIN in CSV, one transaction, then VACUUM ANALYZE. Secondary
    indexes of the three tables are dropped and rebuilt around the COPY (their definitions are
    read from the catalog, so new migrations are followed), and, for a superuser where no user
    triggers exist, foreign-key triggers are skipped (session_replication_role = replica): the
    generated rows are consistent by construction and a check query proves it afterwards.

Whatever the team had (contacts, conversations, messages, notes, calls, inboxes, jobs, events) is
deleted first, so re-running it replaces the data. Only the Python standard library (+ psql).

  bench/seed-inbox.py --base-url http://127.0.0.1:5000 --database-url sqlite:///tmp/x/inbox.db
  bench/seed-inbox.py ... --contacts 100 --conversations 500 --messages 10000
  bench/seed-inbox.py ... --shape seedstack --email bench@example.com --password benchpass123

Shapes:
  default    N contacts (default 10,000) with E.164 numbers from several countries, names, some
             emails, attributes and opt-outs; M conversations (default 50,000) spread over the
             contacts (a contact's older ones resolved, its latest open/pending/snoozed/resolved),
             sms or whatsapp through two inboxes; K messages (default 1,000,000) over the
             conversations with a long tail (a few have ~1,000), timestamps spread over the last
             year, inbound/outbound, delivery states and errors, ~2% with media, bodies from
             templates plus Zipf-distributed words (so search has rare and common words).
  seedstack  the data shape of ../shared/seed-stack/seed.js: 1,000 contacts "Contact i" with
             phone +1555XXXXXXX, 20 messages each (alternating direction, bodies of 20..159
             characters, every 10th with one media item, timestamps over the last 30 days), and
             one sms conversation per contact.

Writes --out (JSON: base URL, team, user, token, sampled conversation ids, search words with their
hit counts, counts and timings) and the same as a Lua table next to it (--lua-out) for the wrk
scripts (bench/inbox-*.lua).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

DAY = 86400.0
PREVIEW_LENGTH = 140  # server/domain/messages/messageservice.cpp kPreviewLength

# --------------------------------------------------------------------------------------------
# Word lists (made up for this file; any resemblance to real people is a coincidence)

FIRST_NAMES = """James Mary Robert Patricia John Jennifer Michael Linda David Elizabeth William Barbara
Richard Susan Joseph Jessica Thomas Sarah Carlos Karen Daniel Lisa Matthew Nancy Anthony Betty Mark
Margaret Donald Sandra Steven Ashley Paul Kimberly Andrew Emily Joshua Donna Kenneth Michelle Kevin
Carol Brian Amanda George Melissa Timothy Deborah Ronald Stephanie Jason Rebecca Edward Sharon Jeffrey
Laura Ryan Cynthia Jacob Kathleen Gary Amy Nicholas Angela Eric Shirley Jonathan Anna Stephen Brenda
Larry Pamela Justin Emma Scott Nicole Brandon Helen Benjamin Samantha Samuel Katherine Gregory
Christine Alexander Debra Frank Rachel Patrick Carolyn Raymond Janet Jack Catherine Dennis Maria Jerry
Heather Tyler Diane Aaron Ruth Jose Julie Adam Olivia Nathan Joyce Henry Virginia Zachary Victoria
Douglas Kelly Peter Lauren Kyle Christina Noah Joan Ethan Evelyn Jeremy Judith Walter Megan Christian
Andrea Keith Cheryl Roger Hannah Terry Jacqueline Austin Martha Sean Gloria Gerald Teresa Harold Ann
Lucas Sophie Mateo Camila Hiroshi Yuki Amara Kwame Priya Arjun Mei Wei Lars Ingrid Luca Giulia Omar
Fatima Ivan Olga Pierre Chloe Diego Valentina Tomasz Zofia Anders Freya Mohammed Aisha Kenji Sakura
Rafael Beatriz Hamza Leila Niko Elif Jonas Marta Finn Saoirse Malik Zara Tariq Noor Dmitri Anya""".split()

LAST_NAMES = """Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez
Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris Sanchez
Clark Ramirez Lewis Robinson Walker Young Allen King Wright Scott Torres Nguyen Hill Flores Green
Adams Nelson Baker Hall Rivera Campbell Mitchell Carter Roberts Gomez Phillips Evans Turner Diaz
Parker Cruz Edwards Collins Reyes Stewart Morris Morales Murphy Cook Rogers Gutierrez Ortiz Morgan
Cooper Peterson Bailey Reed Kelly Howard Ramos Kim Cox Ward Richardson Watson Brooks Chavez Wood James
Bennett Gray Mendoza Ruiz Hughes Price Alvarez Castillo Sanders Patel Myers Long Ross Foster Jimenez
Okafor Mensah Tanaka Sato Suzuki Yamamoto Chen Wang Liu Zhang Singh Sharma Gupta Kowalski Nowak
Muller Schmidt Schneider Fischer Weber Dubois Moreau Laurent Rossi Russo Ferrari Bianchi Silva Santos
Oliveira Costa Pereira Ivanov Petrov Novak Horvat Jensen Hansen Larsen Nielsen Berg Lindqvist
Andersson Johansson OBrien Byrne Walsh Murray Khan Ahmed Hassan Ali Haddad Yilmaz Kaya Demir""".split()

EMAIL_DOMAINS = """gmail.com yahoo.com outlook.com hotmail.com icloud.com proton.me fastmail.com
example.com example.org example.net acme-supply.test brightdental.test citybikes.test
northwind.test contoso.test fabrikam.test""".split()

CITIES = """Austin Boston Chicago Denver Houston Phoenix Portland Seattle Atlanta Miami Dallas Detroit
Nashville Orlando Raleigh Sacramento Tampa Tucson Omaha Memphis Louisville Baltimore Milwaukee
Albuquerque Fresno Mesa Oakland Minneapolis Tulsa Cleveland Wichita Arlington Bakersfield Aurora
Anaheim Honolulu Pittsburgh Cincinnati Toledo Madison Reno Lincoln Buffalo Spokane Boise""".split()

ITEMS = """sofa mattress bicycle helmet stroller laptop tablet headphones camera tripod blender toaster
kettle espresso grinder backpack suitcase jacket sneakers boots watch necklace bracelet ring glasses
lamp desk chair bookshelf rug curtains pillow duvet towels cookware knives vacuum printer monitor
keyboard router speaker projector drone scooter skateboard tent sleeping-bag kayak paddle guitar
amplifier violin keyboard-stand easel canvas paints aquarium terrarium planter""".split()

AGENTS = "Sam Alex Jordan Taylor Morgan Casey Riley Jamie".split()
DAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday tomorrow today".split()
TIMES = """9am 9:30am 10am 10:30am 11am 11:30am noon 12:30pm 1pm 1:30pm 2pm 2:30pm 3pm 3:30pm 4pm
4:30pm 5pm 6pm""".split()

# Filler vocabulary, roughly most to least frequent: drawn with Zipf weights, so the head words
# are in a good share of the messages and the tail words in a few dozen of a million.
VOCABULARY = """the to and a you i of for is it in my that we be this on can your have will
with at just please thanks me are so not get do if what when know no all there but okay out
time up need yes would they about good today some one call back how now let new day here
order see any make could like still help from should was sure soon great sorry also time
week account store ready pickup delivery appointment payment service team number price
update available again open hours tomorrow morning afternoon evening next last confirm
cancel change schedule reschedule booking reservation ticket issue problem question refund
return exchange receipt invoice bill charge card address package tracking shipped arrived
delayed missing damaged broken wrong size color quote estimate deposit balance discount
coupon code offer sale member membership renewal subscription plan upgrade downgrade trial
password login email phone text message reply photo picture link website app online form
document contract signature agreement policy warranty repair technician visit install
installation inspection cleaning maintenance checkup consultation session class lesson
course workshop event party table seats guests menu allergy vegetarian gluten dessert cake
flowers bouquet delivery-window driver courier parking entrance lobby floor suite building
gate key lockbox instructions directions map location branch downtown uptown mall plaza
airport station weekend holiday vacation travel flight hotel checkin checkout luggage
insurance claim coverage deductible prescription pharmacy refill dosage clinic doctor nurse
dentist cleaning xray vaccine results lab report form intake waiver consent minor parent
school pickup-line carpool tuition enrollment semester grade homework tutor exam
recital rehearsal costume uniform jersey practice tournament game score coach referee
gym trainer yoga pilates spin locker towel smoothie protein supplement
vet grooming kennel leash collar vaccine-record adoption foster shelter
garden lawn mowing hedge irrigation sprinkler gutter roof shingles chimney furnace boiler
thermostat plumbing leak faucet drain toilet heater outlet breaker wiring generator solar
panel battery charger inverter meter reading outage estimate-request permit
realtor listing showing openhouse offer-letter escrow closing appraisal mortgage lender
landlord tenant lease rent utilities laundry elevator concierge amenity
catering buffet canapes sommelier pairing tasting brunch patio terrace rooftop
bakery croissant sourdough baguette macarons tiramisu cannoli
bespoke tailoring alterations hem cufflinks tuxedo bridal veil corsage boutonniere
engraving monogram embroidery calligraphy origami pottery ceramics kiln glaze
telescope astronomy eclipse meteor constellation planetarium
harpsichord accordion mandolin ukulele bagpipes didgeridoo theremin
marzipan nougat praline ganache meringue souffle profiterole
gazebo pergola trellis birdbath sundial weathervane
kombucha matcha chai horchata lassi kefir
quokka axolotl pangolin narwhal capybara okapi
zeppelin gondola rickshaw funicular hovercraft
quasar nebula pulsar""".split()

INBOUND_TEMPLATES = [
    "Hi, is my order {order} ready for pickup?",
    "Hello! Can I move my appointment to {day} at {time}?",
    "Thanks {agent}, that works for me.",
    "My {item} arrived damaged, what should I do?",
    "Do you have the {item} in stock at the {city} store?",
    "What time do you open {day}?",
    "I was charged {amount} twice on my card, can you check?",
    "Yes please, confirm for {day} {time}.",
    "Can you send me the tracking number for order {order}?",
    "STOP",
    "Running about 10 minutes late, sorry!",
    "Got it, see you {day}.",
    "Is there parking near the {city} office?",
    "I'd like to cancel my reservation for {day}.",
    "Can I return the {item} without a receipt?",
    "Hi, this is {first}. Just checking on my {item} repair.",
    "ok",
    "Thank you!",
    "What's the total with the discount code?",
    "Could you text me the address again?",
]
OUTBOUND_TEMPLATES = [
    "Hi {first}, your order {order} is ready for pickup at our {city} store.",
    "Your appointment is confirmed for {day} at {time}. Reply C to cancel.",
    "Hi {first}, this is {agent} from the {city} team. How can I help?",
    "Your {item} has shipped! Tracking: {tracking}",
    "We refunded {amount} to your card; it can take 3-5 business days to show up.",
    "Your verification code is {code}.",
    "Reminder: your {item} service is {day} at {time}. See you then!",
    "Sorry about that, {first}. I have sent a replacement {item} today.",
    "We are open 9am to 6pm Monday to Saturday.",
    "Thanks for reaching out! A team member will reply shortly.",
    "You have been unsubscribed and will receive no further messages.",
    "Your invoice {invoice} for {amount} is ready: https://pay.example.test/i/{code}",
    "Great, see you {day}!",
    "Could you send a photo of the {item}? That helps us a lot.",
    "Parking is free behind the building on {city} Street.",
]
SENTENCE_ENDS = ".", ".", ".", "!", "?"

ERRORS = [("30003", "Unreachable destination handset"), ("30005", "Unknown destination handset"),
          ("30006", "Landline or unreachable carrier"), ("30007", "Message filtered")]

# Search words: which ranks of VOCABULARY (plus names) the search scenario asks for; their real
# hit counts are counted in the database after the load and written to the JSON.
SEARCH_RANKS_COMMON = (61, 83)                  # "order", "appointment": a few % of the messages
SEARCH_RANKS_MEDIUM = (111, 126, 175, 250, 330)  # "refund", "damaged", ...: ~0.1-1%
SEARCH_RANKS_RARE = (-1, -4, -9, -16, -25, -36)  # the tail: ~0.1%
SEARCH_NAMES = 4
SEARCH_NUMBERS = 2                              # order / invoice numbers: a hit or two
SEARCH_ABSENT = ("xylophonist",)                # a miss costs a query too


# --------------------------------------------------------------------------------------------
# Small helpers

def die(message: str) -> None:
    print(f"seed-inbox: {message}", file=sys.stderr)
    sys.exit(1)


def iso(ts: float) -> str:
    """UTC, milliseconds, 'Z': the server's isoUtc() form (sorts as text on SQLite)."""
    seconds = int(ts)
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds)) + ".%03dZ" % int((ts - seconds) * 1000)


class Ids:
    """UUIDv7 strings for a given time, from a seeded generator (reproducible)."""

    def __init__(self, rng: random.Random):
        self.bits = rng.getrandbits

    def at(self, ts: float) -> str:
        value = (int(ts * 1000) << 80) | (0x7 << 76) | (self.bits(12) << 64) | (0b10 << 62) | self.bits(62)
        h = "%032x" % value
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def preview_of(body: str, media_count: int) -> str:
    text = " ".join(body.split())
    if not text:
        return "[attachment]" if media_count == 1 else f"[{media_count} attachments]"
    return text if len(text) <= PREVIEW_LENGTH else text[:PREVIEW_LENGTH - 1] + "\u2026"


def api(base: str, method: str, path: str, body=None, token=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(base + path, data=data, method=method)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        raw = error.read()
        try:
            return error.code, json.loads(raw)
        except ValueError:
            return error.code, raw.decode(errors="replace")
    except urllib.error.URLError as error:
        die(f"{method} {base}{path}: {error.reason}")


def sign_in(base: str, email: str, password: str, name: str) -> dict:
    """Logs in, or signs up when the account does not exist yet. Returns the session."""
    status, answer = api(base, "POST", "/api/v1/auth/login", {"email": email, "password": password})
    if status == 200:
        return answer
    if status != 401:
        die(f"login answered {status}: {answer}")
    status, answer = api(base, "POST", "/api/v1/auth/signup",
                         {"email": email, "password": password, "name": name})
    if status != 201:
        die(f"signup answered {status}: {answer} (the first account of an empty install becomes "
            "admin of the default team; on a used install create the user with "
            "`inbox-central user create` first)")
    return answer


def admin_team(session: dict, wanted: str | None) -> str:
    teams = session.get("user", {}).get("teams", [])
    for team in teams:
        if (wanted is None or team.get("id") == wanted) and team.get("role") == "admin":
            return team["id"]
    die(f"the account is not admin of {'team ' + wanted if wanted else 'any team'}: {teams}")
    return ""


# --------------------------------------------------------------------------------------------
# The data

class Dataset:
    """Generates rows as tuples in the tables' column order (see *_COLUMNS)."""

    CONTACT_COLUMNS = ("id", "team_id", "name", "phone", "email", "attributes", "merged_into",
                       "opted_out_at", "opted_out_channel", "created_at", "updated_at")
    CONVERSATION_COLUMNS = ("id", "team_id", "inbox_id", "contact_id", "channel", "status",
                            "snoozed_until", "assignee_id", "last_message_at",
                            "last_message_preview", "unread_count", "created_at", "updated_at")
    MESSAGE_COLUMNS = ("id", "team_id", "conversation_id", "contact_id", "inbox_id", "channel",
                       "direction", "body", "media", "provider", "provider_sid", "status",
                       "error_code", "error_text", "scheduled_at", "sent_at", "delivered_at",
                       "created_by", "created_at", "updated_at", "metadata")
    INBOX_COLUMNS = ("id", "team_id", "name", "channel", "provider", "address",
                     "messaging_service_sid", "account_sid", "credentials_ref", "owner_user_id",
                     "settings", "created_at", "updated_at")

    def __init__(self, args, team_id: str, user_id: str, now: float):
        self.args = args
        self.team = team_id
        self.user = user_id
        self.now = now
        self.rng = random.Random(args.seed)
        self.ids = Ids(self.rng)
        self.contacts: list[tuple] = []
        self.conversations: list[tuple] = []
        self.inboxes: list[tuple] = []
        self.message_count = 0
        self.conversation_sizes: list[tuple[int, str]] = []  # (messages, id)
        self.sendable: list[str] = []                         # not opted out, sms/whatsapp
        self.numbers: list[str] = []                          # a few order/invoice numbers to search
        vocabulary = list(dict.fromkeys(VOCABULARY))          # keep order, drop duplicates
        self.vocabulary = vocabulary
        weights = [1.0 / (rank + 1) ** 1.07 for rank in range(len(vocabulary))]
        self.cum_weights = []
        total = 0.0
        for w in weights:
            total += w
            self.cum_weights.append(total)

    # -- inboxes and contacts

    def make_inboxes(self) -> dict:
        created = self.now - 400 * DAY
        sms = self.ids.at(created)
        whatsapp = self.ids.at(created + 60)
        for inbox_id, name, channel, address in (
                (sms, "Bench SMS", "sms", "+15550100200"),
                (whatsapp, "Bench WhatsApp", "whatsapp", "whatsapp:+15550100201")):
            self.inboxes.append((inbox_id, self.team, name, channel, "twilio", address,
                                 None, "AC" + "0" * 31 + "1", None, None, "{}",
                                 iso(created), iso(created)))
        return {"sms": sms, "whatsapp": whatsapp}

    def phone(self, used: set) -> str:
        r = self.rng
        while True:
            country = r.random()
            if country < 0.70:
                area = r.choice((201, 202, 206, 212, 213, 214, 215, 303, 305, 310, 312, 313, 347,
                                 404, 408, 415, 469, 480, 503, 512, 602, 612, 617, 619, 646, 702,
                                 704, 713, 718, 720, 773, 786, 818, 832, 857, 917, 929, 971))
                exchange = r.randrange(200, 1000)
                if exchange % 100 == 11 or exchange == 555:
                    continue
                number = f"+1{area}{exchange}{r.randrange(10000):04d}"
            elif country < 0.80:
                number = f"+447{r.choice((400, 700, 800, 900, 500))+r.randrange(100):03d}{r.randrange(1000000):06d}"
            elif country < 0.86:
                number = f"+4915{r.choice((1, 2, 7, 9))}{r.randrange(10000000, 100000000)}"
            elif country < 0.91:
                number = f"+33{r.choice((6, 7))}{r.randrange(10000000, 100000000)}"
            elif country < 0.96:
                number = f"+55119{r.randrange(10000000, 100000000)}"
            else:
                number = f"+5255{r.randrange(10000000, 100000000)}"
            if number not in used:
                used.add(number)
                return number

    def default_contact(self, index: int, used: set, created: float) -> tuple:
        r = self.rng
        first, last = r.choice(FIRST_NAMES), r.choice(LAST_NAMES)
        name = None if r.random() < 0.08 else (first if r.random() < 0.15 else f"{first} {last}")
        email = None
        if r.random() < 0.4:
            email = f"{first}.{last}{r.randrange(100) if r.random() < 0.5 else ''}@{r.choice(EMAIL_DOMAINS)}".lower()
        attributes = "{}"
        if r.random() < 0.3:
            attributes = json.dumps({"company": f"{last} {r.choice(('LLC', 'Inc', 'GmbH', 'Ltd', 'Co'))}",
                                     "plan": r.choice(("basic", "plus", "pro")),
                                     "customerSince": 2015 + r.randrange(11)})
        opted = iso(created + r.random() * (self.now - created)) if r.random() < 0.01 else None
        return (self.ids.at(created), self.team, name, self.phone(used), email, attributes, None,
                opted, "sms" if opted else None, iso(created), iso(created))

    # -- bodies

    def filler(self, words: int) -> str:
        chosen = self.rng.choices(self.vocabulary, cum_weights=self.cum_weights, k=words)
        sentence = " ".join(chosen).replace("-", " ")
        return sentence[0].upper() + sentence[1:] + self.rng.choice(SENTENCE_ENDS)

    def body(self, inbound: bool, first: str) -> str:
        r = self.rng
        template = r.choice(INBOUND_TEMPLATES if inbound else OUTBOUND_TEMPLATES)
        text = template.format(
            first=first, agent=r.choice(AGENTS), day=r.choice(DAYS), time=r.choice(TIMES),
            item=r.choice(ITEMS).replace("-", " "), city=r.choice(CITIES),
            order=f"#{r.randrange(10000, 1000000)}", amount=f"${r.randrange(5, 900)}.{r.randrange(100):02d}",
            code=f"{r.randrange(1000000):06d}", invoice=f"INV-{r.randrange(100000, 1000000)}",
            tracking=f"1Z{r.getrandbits(40):010X}")
        if len(self.numbers) < SEARCH_NUMBERS and ("{order}" in template or "{invoice}" in template) \
                and r.random() < 0.01:
            self.numbers.append(text.split("#")[1].split(" ")[0].rstrip("?.!,") if "#" in text
                                else text.split("INV-")[1].split(" ")[0])
        x = r.random()
        sentences = 0 if x < 0.35 else 1 if x < 0.75 else 2 if x < 0.93 else 3 if x < 0.99 else 8
        for _ in range(sentences):
            text += " " + self.filler(r.randrange(4, 22))
        return text[:1600]

    # -- messages of one conversation

    def conversation_messages(self, conversation_id: str, contact: tuple, inbox_id: str,
                              channel: str, times: list[float], inbound_first: bool):
        """Yields the message rows; returns (last_at, preview, trailing_inbound) via self._last."""
        r = self.rng
        first = (contact[2] or "there").split(" ")[0]
        inbound = inbound_first
        trailing = 0
        last = None
        for at in times:
            media = "[]"
            media_count = 0
            if r.random() < 0.02:
                media_count = 1 if r.random() < 0.85 else 2
                ext, ctype = r.choice((("jpg", "image/jpeg"), ("png", "image/png"), ("pdf", "application/pdf")))
                if inbound:
                    media = json.dumps([{"url": f"https://api.twilio.example.test/media/ME{r.getrandbits(128):032x}",
                                         "contentType": ctype} for _ in range(media_count)])
                else:
                    media = json.dumps([f"https://cdn.example.test/u/{r.getrandbits(64):016x}.{ext}"
                                        for _ in range(media_count)])
            body = "" if media_count and r.random() < 0.4 else self.body(inbound, first)
            sid = ("MM" if media_count else "SM") + "%032x" % r.getrandbits(128)
            created = iso(at)
            if inbound:
                row = (self.ids.at(at), self.team, conversation_id, contact[0], inbox_id, channel,
                       "inbound", body, media, "twilio", sid, "received", None, None, None, None,
                       None, None, created, created, "{}")
                trailing += 1
            else:
                x = r.random()
                error = None
                if x < 0.80:
                    status = "delivered"
                elif x < 0.88:
                    status = "read" if channel == "whatsapp" else "delivered"
                elif x < 0.96:
                    status = "sent"
                else:
                    status = "failed" if x < 0.98 else "undelivered"
                    error = r.choice(ERRORS)
                sent = iso(at + 0.5 + r.random() * 2)
                delivered = iso(at + 2 + r.random() * 8) if status in ("delivered", "read") else None
                row = (self.ids.at(at), self.team, conversation_id, contact[0], inbox_id, channel,
                       "outbound", body, media, "twilio", sid, status,
                       error[0] if error else None, error[1] if error else None, None, sent,
                       delivered, self.user, created, delivered or sent, "{}")
                trailing = 0
            last = (created, preview_of(body, media_count))
            yield row
            # customers often send two or three in a row; agents answer
            inbound = r.random() < (0.45 if inbound else 0.6)
        self._last = (last, trailing)

    # -- the whole team

    def rows(self):
        """Yields every message row; fills self.contacts and self.conversations on the way."""
        if self.args.shape == "seedstack":
            yield from self.seedstack_rows()
        else:
            yield from self.default_rows()

    def default_rows(self):
        a, r, now = self.args, self.rng, self.now
        inboxes = self.make_inboxes()
        n_contacts, n_conversations, n_messages = a.contacts, a.conversations, a.messages
        if n_conversations and n_messages < n_conversations:
            die("--messages must be at least --conversations (each conversation has a message)")
        # conversations per contact: one each while they last, the rest to a skewed few
        per_contact = [0] * n_contacts
        if n_contacts:
            for i in range(min(n_contacts, n_conversations)):
                per_contact[i] = 1
            extra = n_conversations - min(n_contacts, n_conversations)
            weights = [min(r.paretovariate(1.5), 30.0) for _ in range(n_contacts)]
            for i in r.choices(range(n_contacts), weights=weights, k=extra):
                per_contact[i] += 1
        elif n_conversations:
            die("--conversations needs --contacts")
        # messages per conversation: at least one, a long tail
        weights = [min(r.paretovariate(1.3), 150.0) for _ in range(n_conversations)]
        total = sum(weights) or 1.0
        extra = n_messages - n_conversations
        sizes = [1 + int(extra * w / total) for w in weights]
        short = n_messages - sum(sizes)
        if short > 0:
            for i in r.choices(range(n_conversations), weights=weights, k=short):
                sizes[i] += 1
        used_phones: set = set()
        conversation_index = 0
        year = 365 * DAY
        for c in range(n_contacts):
            k = per_contact[c]
            starts = sorted(now - r.random() * year for _ in range(k))
            created = (starts[0] if starts else now - r.random() * year) - r.random() * 30 * DAY
            contact = self.default_contact(c, used_phones, created)
            self.contacts.append(contact)
            channel = "whatsapp" if r.random() < 0.15 else "sms"
            for j, start in enumerate(starts):
                size = sizes[conversation_index]
                conversation_index += 1
                is_latest = j == k - 1
                end = starts[j + 1] if not is_latest else now
                # a conversation lasts a few minutes to weeks; longer ones are busier
                span = min(end - start, size * r.uniform(300, 4 * 3600))
                times = sorted(start + r.random() * span for _ in range(size))
                conversation_id = self.ids.at(start)
                inbox_id = inboxes[channel]
                yield from self.conversation_messages(conversation_id, contact, inbox_id, channel,
                                                      times, inbound_first=r.random() < 0.8)
                (last_at, preview), trailing = self._last
                if is_latest:
                    x = r.random()
                    status = ("open" if x < 0.35 else "pending" if x < 0.47
                              else "snoozed" if x < 0.52 else "resolved")
                else:
                    status = "resolved"
                snoozed = iso(now + r.uniform(1, 14) * DAY) if status == "snoozed" else None
                unread = trailing if status in ("open", "pending") else 0
                assignee = self.user if r.random() < 0.4 else None
                self.conversations.append((conversation_id, self.team, inbox_id, contact[0],
                                           channel, status, snoozed, assignee, last_at, preview,
                                           unread, iso(start), last_at))
                self.conversation_sizes.append((size, conversation_id))
                if contact[7] is None:
                    self.sendable.append(conversation_id)
                self.message_count += size

    def seedstack_rows(self):
        """../shared/seed-stack/seed.js, in our schema."""
        a, now = self.args, self.now
        inbox_id = self.make_inboxes()["sms"]
        per_contact = a.messages // a.contacts if a.contacts else 0
        created = now - 60 * DAY
        for i in range(1, a.contacts + 1):
            name = f"Contact {i}"
            contact = (self.ids.at(created), self.team, name, f"+1555{i:07d}", None, "{}", None,
                       None, None, iso(created), iso(created))
            self.contacts.append(contact)
            conversation_id = self.ids.at(created)
            rows = []
            for j in range(1, per_contact + 1):
                at = now - ((i * 7919 + j * 104729) % 2592000)
                inbound = j % 2 == 1
                digest = hashlib.md5(f"{i}:{j}".encode()).hexdigest()
                body = (f"Message {j} for {name}: " + digest * 5)[:20 + (i * 31 + j * 17) % 140]
                media = "[]"
                if j % 10 == 0:
                    media = json.dumps([{"url": "https://media.example.test/"
                                         + hashlib.md5(f"{i}m{j}".encode()).hexdigest() + ".jpg",
                                         "contentType": "image/jpeg"}])
                sid = "SM" + hashlib.md5(f"seed:{i}:{j}".encode()).hexdigest()
                stamp = iso(at)
                rows.append((at, (self.ids.at(at), self.team, conversation_id, contact[0], inbox_id,
                                  "sms", "inbound" if inbound else "outbound", body, media, "twilio",
                                  sid, "received" if inbound else "delivered", None, None, None,
                                  None if inbound else stamp, None,
                                  None if inbound else self.user, stamp, stamp, "{}")))
            rows.sort(key=lambda x: x[0])
            trailing = 0
            for _, row in rows:
                trailing = trailing + 1 if row[6] == "inbound" else 0
                yield row
            last = rows[-1][1] if rows else None
            self.conversations.append((conversation_id, self.team, inbox_id, contact[0], "sms",
                                       "open", None, None, last[18] if last else None,
                                       preview_of(last[7], 1 if last[8] != "[]" else 0) if last else None,
                                       trailing, iso(created), last[18] if last else iso(created)))
            self.conversation_sizes.append((len(rows), conversation_id))
            self.sendable.append(conversation_id)
            self.message_count += len(rows)

    def search_words(self) -> list[str]:
        """Common, medium and rare words of the bodies, a few contact names, one miss."""
        if self.args.shape == "seedstack":
            return ["Message", "Contact", "17"]
        v = self.vocabulary
        words = [v[i] for i in SEARCH_RANKS_COMMON + SEARCH_RANKS_MEDIUM + SEARCH_RANKS_RARE
                 if -len(v) <= i < len(v) and "-" not in v[i]]
        names = []
        for contact in self.contacts:
            last = (contact[2] or "").split(" ")[-1]
            if len(names) == SEARCH_NAMES:
                break
            if last.isalpha() and last.lower() not in words and last not in names:
                names.append(last)
        return list(dict.fromkeys(words + names + self.numbers + list(SEARCH_ABSENT)))


def timed(rows, timings: dict):
    """Passes rows through, adding the time spent making them to timings["generate_s"]."""
    spent = 0.0
    clock = time.perf_counter
    it = iter(rows)
    while True:
        t = clock()
        try:
            row = next(it)
        except StopIteration:
            break
        spent += clock() - t
        yield row
    timings["generate_s"] = round(spent, 2)


# --------------------------------------------------------------------------------------------
# SQLite

TEAM_TABLES = ("messages", "notes", "calls", "conversations", "contacts", "inboxes", "jobs", "events")


def seed_sqlite(path: str, data: Dataset, timings: dict) -> dict:
    if not os.path.exists(path):
        die(f"no SQLite database at {path} (start the server first: it creates and migrates it)")
    db = sqlite3.connect(path, timeout=60, isolation_level=None)
    db.execute("PRAGMA busy_timeout = 60000")
    db.execute("PRAGMA cache_size = -262144")     # 256 MiB for this connection
    db.execute("PRAGMA synchronous = NORMAL")     # this connection only; WAL stays as the server set it
    db.execute("PRAGMA foreign_keys = OFF")       # rows are consistent by construction; deletes are explicit
    t = time.monotonic()
    db.execute("BEGIN IMMEDIATE")
    for table in TEAM_TABLES:
        db.execute(f"DELETE FROM {table} WHERE team_id = ?", (data.team,))
    timings["reset_s"] = round(time.monotonic() - t, 2)

    def insert(table: str, columns: tuple, rows) -> None:
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
        db.executemany(sql, rows)

    t = time.monotonic()
    insert("messages", Dataset.MESSAGE_COLUMNS, timed(data.rows(), timings))  # makes the inboxes too
    spent = time.monotonic() - t
    timings["messages_s"] = round(spent, 2)
    timings["of_which_sqlite_insert_and_fts_s"] = round(spent - timings["generate_s"], 2)
    t = time.monotonic()
    insert("inboxes", Dataset.INBOX_COLUMNS, data.inboxes)
    insert("contacts", Dataset.CONTACT_COLUMNS, data.contacts)
    insert("conversations", Dataset.CONVERSATION_COLUMNS, data.conversations)
    timings["contacts_conversations_insert_s"] = round(time.monotonic() - t, 2)
    t = time.monotonic()
    db.execute("COMMIT")
    timings["commit_s"] = round(time.monotonic() - t, 2)
    t = time.monotonic()
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    timings["checkpoint_s"] = round(time.monotonic() - t, 2)
    if data.args.analyze:
        t = time.monotonic()
        db.execute("ANALYZE")
        timings["analyze_s"] = round(time.monotonic() - t, 2)
    counts = {}
    for table in ("contacts", "conversations", "messages"):
        counts[table] = db.execute(f"SELECT count(*) FROM {table} WHERE team_id = ?", (data.team,)).fetchone()[0]
    orphans = db.execute(
        "SELECT count(*) FROM messages m LEFT JOIN conversations v ON v.id = m.conversation_id "
        "WHERE m.team_id = ? AND v.id IS NULL", (data.team,)).fetchone()[0]
    if orphans:
        die(f"{orphans} messages without their conversation")
    hits = {}
    for word in data.search_words():
        hits[word] = db.execute(
            "SELECT count(*) FROM messages_fts CROSS JOIN messages m ON m.rowid = messages_fts.rowid "
            "WHERE messages_fts MATCH ? AND m.team_id = ?", ('"' + word + '"', data.team)).fetchone()[0] \
            + db.execute(
            "SELECT count(*) FROM contacts_fts CROSS JOIN contacts c ON c.rowid = contacts_fts.rowid "
            "WHERE contacts_fts MATCH ? AND c.team_id = ?", ('"' + word + '"', data.team)).fetchone()[0]
    db.close()
    return {"counts": counts, "search_hits": hits}


# --------------------------------------------------------------------------------------------
# PostgreSQL

def psql_base(url: str) -> list[str]:
    return ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url]


def psql_query(url: str, sql: str) -> list[list[str]]:
    out = subprocess.run(psql_base(url) + ["-At", "-F", "\t", "-c", sql], check=False,
                         capture_output=True, text=True)
    if out.returncode != 0:
        die(f"psql: {out.stderr.strip()}")
    return [line.split("\t") for line in out.stdout.splitlines() if line]


def literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


class CsvSink:
    """CSV lines for COPY ... (FORMAT csv, NULL '\\N') written into a text stream."""

    def __init__(self, stream):
        self.writer = csv.writer(stream, lineterminator="\n")

    def write(self, rows) -> None:
        nul = "\\N"
        self.writer.writerows(tuple(nul if v is None else v for v in row) for row in rows)


def seed_postgres(url: str, data: Dataset, timings: dict) -> dict:
    tables = ("messages", "conversations", "contacts")
    superuser = psql_query(url, "SELECT rolsuper FROM pg_roles WHERE rolname = current_user")[0][0] == "t"
    user_triggers = psql_query(
        url, "SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal AND tgrelid::regclass::text IN "
             "('messages', 'conversations', 'contacts', 'inboxes')")[0][0]
    replica = superuser and user_triggers == "0" and not data.args.keep_fk_checks
    only_team = psql_query(url, "SELECT count(*) FROM teams")[0][0] == "1"
    indexes = [] if data.args.keep_indexes else psql_query(
        url, "SELECT i.indexname, i.indexdef FROM pg_indexes i "
             "WHERE i.schemaname = current_schema() AND i.tablename IN ('messages', 'conversations', 'contacts') "
             "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = "
             "(quote_ident(i.schemaname) || '.' || quote_ident(i.indexname))::regclass)")
    team = literal(data.team)

    proc = subprocess.Popen(psql_base(url) + ["-f", "-"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            encoding="utf-8", bufsize=1 << 20)
    marks: dict[str, float] = {}

    def read_marks():
        for line in proc.stdout:
            if line.startswith("@"):
                marks[line.strip()[1:]] = time.monotonic()

    reader = threading.Thread(target=read_marks, daemon=True)
    reader.start()
    start = time.monotonic()
    out = proc.stdin

    def sql(text: str) -> None:
        out.write(text + "\n")

    def mark(name: str) -> None:
        sql(f"\\echo @{name}")

    def copy(table: str, columns: tuple, rows) -> None:
        sql(f"COPY {table} ({', '.join(columns)}) FROM STDIN WITH (FORMAT csv, NULL '\\N');")
        CsvSink(out).write(rows)
        sql("\\.")

    spool = None
    try:
        sql("BEGIN;")
        sql("SET LOCAL maintenance_work_mem = '512MB';")
        if only_team:
            # TRUNCATE ... CASCADE also empties tables that reference these (team data too).
            sql("TRUNCATE messages, notes, calls, conversations, contacts, inboxes, jobs, events CASCADE;")
        else:
            for table in TEAM_TABLES:
                sql(f"DELETE FROM {table} WHERE team_id = {team};")
        mark("reset")
        for name, _ in indexes:
            sql(f'DROP INDEX "{name}";')
        if replica:
            sql("SET LOCAL session_replication_role = replica;")
            copy("messages", Dataset.MESSAGE_COLUMNS, timed(data.rows(), timings))
            mark("messages")
            copy("inboxes", Dataset.INBOX_COLUMNS, data.inboxes)
            copy("contacts", Dataset.CONTACT_COLUMNS, data.contacts)
            copy("conversations", Dataset.CONVERSATION_COLUMNS, data.conversations)
            mark("contacts_conversations")
            sql("SET LOCAL session_replication_role = origin;")
        else:
            # Foreign keys checked row by row: parents first, so the messages wait in a file.
            spool = tempfile.TemporaryFile("w+", encoding="utf-8", newline="")
            CsvSink(spool).write(timed(data.rows(), timings))
            spool.seek(0)
            copy("inboxes", Dataset.INBOX_COLUMNS, data.inboxes)
            copy("contacts", Dataset.CONTACT_COLUMNS, data.contacts)
            copy("conversations", Dataset.CONVERSATION_COLUMNS, data.conversations)
            mark("contacts_conversations")
            sql(f"COPY messages ({', '.join(Dataset.MESSAGE_COLUMNS)}) FROM STDIN WITH (FORMAT csv, NULL '\\N');")
            while chunk := spool.read(1 << 20):
                out.write(chunk)
            sql("\\.")
            mark("messages")
        for _, definition in indexes:
            sql(definition + ";")
        mark("indexes")
        sql("COMMIT;")
        mark("commit")
        if not data.args.no_analyze:
            sql("VACUUM (ANALYZE) messages, conversations, contacts, inboxes;")
            mark("analyze")
        out.close()
    except BrokenPipeError:
        pass
    finally:
        if spool:
            spool.close()
    err = proc.stderr.read()
    code = proc.wait()
    reader.join(timeout=5)
    if code != 0:
        die(f"psql failed ({code}): {err.strip()}")
    previous = start
    for name, at in sorted(marks.items(), key=lambda kv: kv[1]):
        timings[f"{name}_s"] = round(at - previous, 2)
        previous = at
    timings["fk_triggers_skipped"] = replica
    timings["indexes_rebuilt"] = len(indexes)

    counts = {}
    for table in ("contacts", "conversations", "messages"):
        counts[table] = int(psql_query(url, f"SELECT count(*) FROM {table} WHERE team_id = {team}")[0][0])
    orphans = int(psql_query(
        url, "SELECT (SELECT count(*) FROM messages m WHERE m.team_id = " + team + " AND NOT EXISTS "
             "(SELECT 1 FROM conversations v WHERE v.id = m.conversation_id)) + "
             "(SELECT count(*) FROM conversations v WHERE v.team_id = " + team + " AND NOT EXISTS "
             "(SELECT 1 FROM contacts c WHERE c.id = v.contact_id))")[0][0])
    if orphans:
        die(f"{orphans} rows without their parent")
    hits = {}
    for word in data.search_words():
        q = literal(word)
        hits[word] = int(psql_query(
            url, f"SELECT (SELECT count(*) FROM messages WHERE team_id = {team} AND "
                 f"search_tsv @@ websearch_to_tsquery('simple', {q})) + (SELECT count(*) FROM contacts "
                 f"WHERE team_id = {team} AND search_tsv @@ websearch_to_tsquery('simple', {q}))")[0][0])
    return {"counts": counts, "search_hits": hits}


# --------------------------------------------------------------------------------------------

def lua_string(text: str) -> str:
    return json.dumps(text)  # a JSON string of ASCII-safe text is a valid Lua string


def write_lua(path: str, state: dict) -> None:
    def array(values):
        return "{" + ",".join(lua_string(v) for v in values) + "}"
    with open(path, "w", encoding="utf-8") as f:
        f.write("-- generated by bench/seed-inbox.py; read by bench/inbox-common.lua\n")
        f.write("return {\n")
        f.write(f"  base_url = {lua_string(state['baseUrl'])},\n")
        f.write(f"  team = {lua_string(state['teamId'])},\n")
        f.write(f"  token = {lua_string(state['token'])},\n")
        f.write(f"  conversations = {array(state['pageConversationIds'])},\n")
        f.write(f"  send_conversations = {array(state['sendConversationIds'])},\n")
        f.write(f"  words = {array([w['word'] for w in state['searchWords']])},\n")
        f.write("}\n")


def main() -> None:
    here = os.path.dirname(os.path.abspath(__file__))
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--base-url", default=os.environ.get("INBOX_BASE_URL"), help="the running server (env INBOX_BASE_URL)")
    p.add_argument("--database-url", default=os.environ.get("DATABASE_URL"),
                   help="the server's database: sqlite:///abs/path.db or postgresql://... (env DATABASE_URL)")
    p.add_argument("--shape", choices=("default", "seedstack"), default="default")
    p.add_argument("--contacts", type=int, help="default 10,000 (seedstack: 1,000)")
    p.add_argument("--conversations", type=int, help="default 50,000 (seedstack: one per contact)")
    p.add_argument("--messages", type=int, help="default 1,000,000 (seedstack: 20 per contact)")
    p.add_argument("--email", default=os.environ.get("BENCH_EMAIL", "bench@example.com"))
    p.add_argument("--password", default=os.environ.get("BENCH_PASSWORD", "bench-password-1234"))
    p.add_argument("--name", default="Bench Admin")
    p.add_argument("--team", help="team id (default: the account's first team where it is admin)")
    p.add_argument("--seed", type=int, default=20261124, help="random seed (same seed, same data)")
    p.add_argument("--sample", type=int, default=1000, help="conversation ids written for the wrk scripts")
    p.add_argument("--out", default=os.path.join(here, "results", "inbox-seed.json"))
    p.add_argument("--lua-out", help="default: --out with .lua")
    p.add_argument("--analyze", action="store_true", help="SQLite: run ANALYZE afterwards (the server never does)")
    p.add_argument("--no-analyze", action="store_true", help="PostgreSQL: skip VACUUM ANALYZE")
    p.add_argument("--keep-indexes", action="store_true", help="PostgreSQL: COPY into the indexed tables")
    p.add_argument("--keep-fk-checks", action="store_true", help="PostgreSQL: do not skip foreign-key triggers")
    p.add_argument("--twilio", metavar="ACCOUNT_SID:AUTH_TOKEN:SMS_ADDRESS",
                   help="give the SMS inbox this number and these credentials (through the API), so "
                        "webhook and send scenarios run against a (fake) Twilio")
    args = p.parse_args()
    if not args.base_url or not args.database_url:
        p.error("--base-url and --database-url (or INBOX_BASE_URL and DATABASE_URL) are required")
    if args.shape == "seedstack":
        args.contacts = 1000 if args.contacts is None else args.contacts
        args.messages = 20 * args.contacts if args.messages is None else args.messages
        args.conversations = args.contacts
    else:
        args.contacts = 10000 if args.contacts is None else args.contacts
        args.conversations = 50000 if args.conversations is None else args.conversations
        args.messages = 1000000 if args.messages is None else args.messages
    if min(args.contacts, args.conversations, args.messages) < 0:
        p.error("sizes must not be negative")
    base = args.base_url.rstrip("/")
    db_url = args.database_url

    t0 = time.monotonic()
    session = sign_in(base, args.email.lower(), args.password, args.name)
    team = admin_team(session, args.team)
    user = session["user"]["id"]
    now = time.time()
    data = Dataset(args, team, user, now)
    timings: dict = {}
    print(f"seed-inbox: {args.shape} shape, {args.contacts:,} contacts, {args.conversations:,} conversations, "
          f"{args.messages:,} messages into team {team} ({db_url.split(':')[0]})", flush=True)
    t = time.monotonic()
    if db_url.startswith("sqlite:"):
        path = urllib.parse.urlparse(db_url).path if db_url.startswith("sqlite://") else db_url[len("sqlite:"):]
        result = seed_sqlite(path, data, timings)
    elif db_url.startswith(("postgresql:", "postgres:")):
        result = seed_postgres(db_url, data, timings)
    else:
        die(f"unsupported DATABASE_URL {db_url}")
    timings["database_total_s"] = round(time.monotonic() - t, 2)

    # A fresh token: the load can outlast the first one's lifetime.
    session = sign_in(base, args.email.lower(), args.password, args.name)
    token = session["accessToken"]
    status, _ = api(base, "GET", f"/api/v1/teams/{team}/conversations?limit=1", token=token)
    if args.twilio:
        account, auth_token, address = args.twilio.split(":", 2)
        sms_inbox = data.inboxes[0][0]
        patched, answer = api(base, "PATCH", f"/api/v1/teams/{team}/inboxes/{sms_inbox}",
                              {"address": address, "accountSid": account, "authToken": auth_token}, token=token)
        if patched != 200:
            die(f"setting the SMS inbox's Twilio credentials failed: {patched} {answer}")
        print(f"seed-inbox: SMS inbox {sms_inbox} is {address} on {account}", flush=True)
    rng = random.Random(args.seed + 1)
    sizes = sorted(data.conversation_sizes, reverse=True)
    half = max(1, args.sample // 2)
    longest = [cid for _, cid in sizes[:half]]
    rest = [cid for _, cid in sizes[half:]]
    page_ids = longest + rng.sample(rest, min(len(rest), args.sample - len(longest)))
    rng.shuffle(page_ids)
    send_ids = rng.sample(data.sendable, min(len(data.sendable), args.sample))
    words = [{"word": w, "hits": result["search_hits"][w]} for w in data.search_words()]
    state = {
        "baseUrl": base, "databaseUrl": db_url.split("@")[-1] if "@" in db_url else db_url,
        "shape": args.shape, "teamId": team, "userId": user, "email": args.email.lower(),
        "token": token, "tokenCheck": status,
        "requested": {"contacts": args.contacts, "conversations": args.conversations, "messages": args.messages},
        "counts": result["counts"], "generatedMessages": data.message_count,
        "longestConversation": sizes[0][0] if sizes else 0,
        "pageConversationIds": page_ids, "sendConversationIds": send_ids, "searchWords": words,
        "timings": timings, "seconds": round(time.monotonic() - t0, 2),
    }
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(state, f, indent=1)
    lua_out = args.lua_out or os.path.splitext(args.out)[0] + ".lua"
    write_lua(lua_out, state)
    c = result["counts"]
    print(f"seed-inbox: {c['contacts']:,} contacts, {c['conversations']:,} conversations, "
          f"{c['messages']:,} messages in {state['seconds']} s "
          f"(database {timings['database_total_s']} s: "
          + ", ".join(f"{k} {v}" for k, v in timings.items() if k != "database_total_s") + ")")
    print("seed-inbox: search words (hits): "
          + ", ".join(f"{w['word']} ({w['hits']:,})" for w in words))
    print(f"seed-inbox: wrote {args.out} and {lua_out}; GET conversations with the token: {status}")
    if status != 200:
        print("seed-inbox: warning: the conversation list did not answer 200 with the new token", file=sys.stderr)


if __name__ == "__main__":
    main()
