"""The demo network for `manage.py load_demo`: sites, people, and problems as clinicians write them.

Plain data only; the command decides who reports what where (with a seeded random generator) and
writes everything through the services. No text here may hold patient information: every title,
statement, solution, safety detail, note and reason passes the PHI screen like any user's text.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DemoSite:
    code: str
    name: str
    region: str
    providers: int
    shifts_per_week: float
    visits_per_week: int


SITES = [
    DemoSite("NORTH", "North Urgent Care", "North", 14, 4.0, 1100),
    DemoSite("MIDTOWN", "Midtown Urgent Care", "Central", 22, 4.5, 1450),
    DemoSite("LAKESIDE", "Lakeside Urgent Care", "West", 9, 4.0, 650),
    DemoSite("HARBOR", "Harbor Walk-In Clinic", "South", 7, 3.5, 520),
    DemoSite("RIVERSIDE", "Riverside Urgent Care", "East", 12, 4.0, 900),
    DemoSite("HILLCREST", "Hillcrest Urgent Care", "North", 6, 3.0, 410),
    DemoSite("EASTGATE", "Eastgate Urgent Care", "East", 16, 4.5, 1200),
    DemoSite("WESTFIELD", "Westfield Urgent Care", "West", 10, 4.0, 780),
    DemoSite("SOUTHPARK", "South Park Urgent Care", "South", 18, 5.0, 1300),
    DemoSite("CEDAR", "Cedar Hills Urgent Care", "West", 4, 3.0, 300),
    DemoSite("AIRPORT", "Airport Urgent Care", "South", 8, 4.0, 610),
    DemoSite("UNIVERSITY", "University Urgent Care", "Central", 25, 5.0, 1500),
]


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: str
    home_site: str
    first_name: str = ""
    last_name: str = ""
    also_at: str = ""  # space-separated codes of the other sites they work at (docs/domain.md, Roles)


# The five accounts people log in with (password from DEMO_PASSWORD).
DEMO_USERS = [
    DemoUser("clinician", "clinician", "NORTH", "Casey", "Clinician", also_at="HILLCREST"),
    DemoUser("informatics", "informatics", "MIDTOWN", "Indira", "Informatics"),
    DemoUser("pm", "product_manager", "MIDTOWN", "Pat", "Product"),
    DemoUser("itlead", "it_lead", "MIDTOWN", "Ivan", "Lead"),
    DemoUser("admin", "admin", "MIDTOWN", "Ada", "Admin"),
]

# Colleagues who also work at another site (docs/domain.md, Roles: an admin assigns the sites).
ALSO_AT = {"np.rivera": "HILLCREST", "pa.singh": "EASTGATE", "dr.gupta": "MIDTOWN"}

# Colleagues at each site who report and answer surveys (no password: they never log in to the demo).
REPORTERS = {
    "NORTH": ["dr.osei", "np.rivera", "rn.mendez"],
    "MIDTOWN": ["dr.kowalczyk", "pa.nakamura", "rn.baptiste", "ma.tran"],
    "LAKESIDE": ["dr.lindqvist", "np.haddad"],
    "HARBOR": ["dr.morales", "rn.yamamoto"],
    "RIVERSIDE": ["dr.abernathy", "pa.singh", "ma.delgado"],
    "HILLCREST": ["np.adeyemi", "rn.castillo"],
    "EASTGATE": ["dr.petrov", "pa.brennan", "rn.novak"],
    "WESTFIELD": ["dr.fairbanks", "np.sorensen"],
    "SOUTHPARK": ["dr.iqbal", "np.walsh", "rn.holm", "ma.quinn"],
    "CEDAR": ["np.larsen", "ma.ortiz"],
    "AIRPORT": ["dr.ferreira", "pa.moreau"],
    "UNIVERSITY": ["dr.gupta", "np.kariuki", "pa.achebe", "rn.salas"],
}


@dataclass(frozen=True)
class DemoProblem:
    """A problem and what a typical report of it says; `sites` fixes where it is reported (else drawn)."""

    key: str
    area: str
    roles: str
    title: str
    statement: str
    minutes: float
    per_shift: float
    share: float = 100  # providers_affected_pct
    after_hours: float = 0
    wait: float = 0
    visits: float = 0
    solution: str = ""
    safety: str = ""
    sites: str = ""  # space-separated site codes


P = DemoProblem

PROBLEMS = [
    # --- charting --------------------------------------------------------------------------------
    P(
        "medrec",
        "charting",
        "physician app nurse",
        "Medication reconciliation takes 11 clicks per visit",
        "Reconciling home medications takes 11 clicks and three screens at every visit, even when nothing "
        "changed since the last one. Each medication has to be marked as continued one at a time. On a "
        "40-visit shift that is well over an hour, and the reviewed list still does not carry over to the "
        "discharge summary.",
        minutes=2.5,
        per_shift=18,
        after_hours=30,
        solution="A single 'reviewed, no changes' action when the list was reviewed in the last 30 days.",
        sites="NORTH MIDTOWN RIVERSIDE EASTGATE SOUTHPARK UNIVERSITY LAKESIDE WESTFIELD AIRPORT HILLCREST",
    ),
    P(
        "vitals",
        "charting",
        "ma physician app",
        "Vitals typed twice: in triage and again in the note",
        "The MA enters vitals in the triage flowsheet, but the provider note template does not pull them in. We "
        "re-type blood pressure, pulse, temperature and oxygen saturation into every note, about 1 minute each time, "
        "20 or more times a shift. Typos between the two copies have put wrong weights into pediatric dosing.",
        minutes=1,
        per_shift=22,
        after_hours=20,
        safety="Pediatric weight is typed twice; a 10 kg versus 10 lb mismatch was caught at the pharmacy last "
        "quarter.",
        sites="NORTH MIDTOWN LAKESIDE HARBOR RIVERSIDE EASTGATE SOUTHPARK UNIVERSITY CEDAR",
        solution="Pull the triage vitals into the note template automatically.",
    ),
    P(
        "ros",
        "charting",
        "physician app",
        "Note template duplicates the review of systems",
        "Our urgent care note template inserts the review of systems twice when the HPI smart phrase is used. "
        "We delete the duplicate block by hand in nearly every note, about 2 minutes each. Coding sends the "
        "note back if we miss it.",
        minutes=2,
        per_shift=12,
        after_hours=25,
    ),
    P(
        "worknotes",
        "charting",
        "physician app ma",
        "Work and school notes take four screens to produce",
        "A simple work excuse needs four screens: letter template, date picker, restrictions, then print. We "
        "write 10 to 15 of these a shift in flu season. The template cannot add a return-to-work date "
        "without free text, so we type it every time.",
        minutes=3,
        per_shift=8,
        solution="One short form with the return date and the common restrictions as checkboxes.",
        sites="NORTH MIDTOWN EASTGATE SOUTHPARK RIVERSIDE UNIVERSITY AIRPORT",
    ),
    P(
        "schoolnote",
        "charting",
        "physician app",
        "No school excuse template at our site",
        "There is no school excuse template here, so we copy last week's work note and edit it by hand. That "
        "takes about 4 minutes for each child seen, and parents ask for one at most pediatric visits.",
        minutes=4,
        per_shift=5,
        sites="HARBOR",
    ),
    P(
        "favorites",
        "charting",
        "physician app",
        "Smart phrases and favorites do not follow float providers between sites",
        "Providers who float lose their smart phrases and order favorites at every site they cover. "
        "Rebuilding them takes 30 to 45 minutes on the first shift at a new site, and we float about twice a "
        "month. Until then every note is typed from scratch.",
        minutes=35,
        per_shift=0.1,
        share=40,
        after_hours=50,
    ),
    P(
        "lostdraft",
        "charting",
        "physician app",
        "Unsigned note text is lost when the session times out",
        "If a note is open when the session times out, the unsigned text is gone. It happens 2 to 3 times a "
        "shift to at least one of us. Rewriting a lost note takes 8 to 10 minutes, usually at the end of the "
        "shift or at home.",
        minutes=9,
        per_shift=0.6,
        after_hours=60,
    ),
    P(
        "lacnote",
        "charting",
        "physician app",
        "No structured template for laceration repairs",
        "Simple laceration repairs have no procedure template, so every note is free text. It takes about 6 "
        "minutes and coding often returns it for missing length or layers. We do 3 to 5 repairs on a busy "
        "shift.",
        minutes=6,
        per_shift=3,
    ),
    P(
        "scribe",
        "charting",
        "physician",
        "Scribe attestation must be re-signed after every addendum",
        "When a scribed note gets an addendum, the whole attestation has to be signed again and the scribe "
        "statement re-selected. It is about 90 seconds each time and happens 5 or 6 times a shift on scribe "
        "days.",
        minutes=1.5,
        per_shift=6,
        share=50,
    ),
    P(
        "copyforward",
        "charting",
        "physician app",
        "Copy-forward pulls in resolved problems from old visits",
        "Copying forward from the last visit brings the whole historical problem list, including resolved "
        "problems from years ago. We spend 2 to 3 minutes deleting stale entries, and the ones we miss end "
        "up on the after-visit summary.",
        minutes=2.5,
        per_shift=7,
    ),
    P(
        "dictation",
        "charting",
        "physician app",
        "Dictation microphones lose their pairing between rooms",
        "The wireless dictation microphones drop their pairing every time we change rooms. Re-pairing takes "
        "about 90 seconds and fails about one time in five. Several of us went back to typing, which adds "
        "time to every note.",
        minutes=1.5,
        per_shift=14,
        share=60,
    ),
    P(
        "allergy",
        "charting",
        "nurse ma",
        "Allergy entry asks for a reaction even for no known allergies",
        "Recording 'no known allergies' still opens the reaction and severity fields, which must be filled "
        "or dismissed. It is only 30 seconds, but it happens at 25 or more visits a shift.",
        minutes=0.5,
        per_shift=25,
        share=30,
    ),
    P(
        "pedsfever",
        "charting",
        "physician app",
        "No pediatric fever note template",
        "The fever template is written for adults, so for children we delete half of it and type the "
        "pediatric history by hand. About 3 minutes a note, 6 or more times a shift in winter.",
        minutes=3,
        per_shift=6,
    ),
    P(
        "chiefcomplaint",
        "triage",
        "nurse ma",
        "Chief complaint list has no urgent care complaints",
        "The chief complaint pick list was built for primary care: no laceration, sprain or work injury. Triage "
        "nurses pick 'other' and free-text it in about 50% of visits. That breaks the tracking board filters and the "
        "daily volume report.",
        minutes=0.7,
        per_shift=20,
        share=40,
        sites="MIDTOWN EASTGATE SOUTHPARK UNIVERSITY NORTH",
    ),
    P(
        "signbutton",
        "charting",
        "physician app",
        "Sign button hidden below the screen on the laptops",
        "On the 13-inch laptops the sign button sits below the visible part of the note editor. We scroll "
        "for every note and sometimes close a note unsigned by mistake. Those show up as deficiencies the "
        "next morning and take 5 minutes each to clear.",
        minutes=0.5,
        per_shift=25,
        share=50,
        after_hours=20,
    ),
    P(
        "occhealth",
        "charting",
        "physician app front_desk",
        "Occupational health forms are scanned instead of charted",
        "Employer injury forms are filled on paper, scanned, and then summarized again in the note. Each one "
        "takes about 5 minutes of provider time plus the scanning. We see 2 to 4 work injuries a shift.",
        minutes=5,
        per_shift=3,
    ),
    P(
        "spellcheck",
        "charting",
        "physician app",
        "Spell check underlines every drug name",
        "The spell checker does not know drug names, so every note is full of red underlines and the real "
        "typos are hard to see. Right-clicking to ignore each one takes a few seconds, 20 or more times a "
        "shift.",
        minutes=0.3,
        per_shift=20,
    ),
    P(
        "exammacro",
        "charting",
        "physician app",
        "Normal exam macro resets to the default systems every time",
        "Our saved normal exam macro forgets which systems we removed and restores all 14 each time. "
        "Deleting the extra systems takes about a minute per note.",
        minutes=1,
        per_shift=15,
    ),
    P(
        "ekgtyping",
        "charting",
        "physician app",
        "EKG readings must be typed into the note by hand",
        "The EKG machine's reading does not flow into the chart. We type rate, rhythm, intervals and "
        "interpretation by hand for every EKG, about 3 minutes each, 4 to 6 EKGs a shift.",
        minutes=3,
        per_shift=5,
    ),
    P(
        "tetanus",
        "charting",
        "physician app nurse",
        "Checking tetanus status needs a separate registry login",
        "To check tetanus status we log into the state immunization registry in another browser, search "
        "again, and copy the date back into the chart. It takes about 4 minutes and we do it for most "
        "lacerations and bites.",
        minutes=4,
        per_shift=3,
    ),
    P(
        "dxsearch",
        "charting",
        "physician app",
        "Diagnosis search does not find common urgent care terms",
        "Searching for UTI or strep in the diagnosis search finds nothing useful; the exact ICD-10 wording is "
        "needed. We search 2 or 3 times per visit, longer for new providers. ICD-10 code J02.9 has to be "
        "typed by hand because favorites do not carry over.",
        minutes=0.8,
        per_shift=25,
        sites="MIDTOWN UNIVERSITY EASTGATE RIVERSIDE SOUTHPARK AIRPORT NORTH",
    ),
    P(
        "notelock",
        "charting",
        "nurse",
        "Nurses are locked out of a note while the provider has it open",
        "When the provider has the encounter open, the nurse cannot document the procedure or the discharge "
        "teaching. We wait or write it on paper and enter it later, about 2 minutes each time.",
        minutes=2,
        per_shift=6,
        share=20,
    ),
    P(
        "respscreen",
        "triage",
        "nurse ma",
        "Retired respiratory screening questions still block vitals",
        "Triage still requires the nine-question respiratory screening from 2020 before vitals can be filed. "
        "It adds about a minute to every visit and nobody uses the answers.",
        minutes=1,
        per_shift=30,
        share=30,
        sites="NORTH MIDTOWN RIVERSIDE EASTGATE SOUTHPARK WESTFIELD",
    ),
    P(
        "pedsweight",
        "charting",
        "nurse physician app",
        "Weight defaults to pounds while dose calculators expect kilograms",
        "The weight field defaults to pounds on pediatric visits, but 2 dose calculators read it as kilograms. We "
        "convert by hand and double check, about 1 minute for every child with a weight-based dose, 8 or so a shift.",
        minutes=1,
        per_shift=8,
        safety="A near miss was reported when a dose was calculated from a weight in pounds read as kilograms.",
    ),
    P(
        "splint",
        "charting",
        "physician app ma",
        "Splints need an order, a procedure note and a charge entered separately",
        "Applying a splint means a supply order, a procedure note and a manual charge, in three places. It "
        "takes about 4 minutes and the charge is often missed.",
        minutes=4,
        per_shift=3,
    ),
    P(
        "chartsearch",
        "charting",
        "physician app nurse",
        "Searching inside a chart takes 20 seconds a search",
        "Chart search spins for about 20 seconds before showing results, every time. We search for old "
        "notes, imaging and prior cultures 30 to 40 times a shift.",
        minutes=0.35,
        per_shift=35,
    ),
    P(
        "noteprint",
        "charting",
        "physician app",
        "Printing a visit note for the patient takes six clicks",
        "Patients ask for a copy of the note for their employer or school. Printing it takes 6 clicks through 2 "
        "menus, and the default prints the whole chart summary of 5 pages or more.",
        minutes=1,
        per_shift=3,
    ),
    # --- orders ----------------------------------------------------------------------------------
    P(
        "ordersetcodes",
        "orders",
        "physician app",
        "Urgent care order set is missing common tests",
        "The urgent care order set lacks rapid strep, the flu and COVID combination swab, urine pregnancy and "
        "order code 80053 (CMP). We search for each one separately, 3 to 4 times a shift, about 2 minutes "
        "each. Float providers search differently at every site.",
        minutes=2,
        per_shift=4,
        solution="Add the six tests we order most to the order set, in the same place at every site.",
        sites="NORTH MIDTOWN EASTGATE SOUTHPARK RIVERSIDE LAKESIDE UNIVERSITY HARBOR",
    ),
    P(
        "erxqueue",
        "orders",
        "physician app nurse",
        "E-prescribing queue stops sending without any warning",
        "A few times a week the e-prescribing queue stops transmitting and nothing tells us. We find out when "
        "the pharmacy calls or the patient comes back without the medication, then re-send every script from "
        "that window by hand. Last time 15 scripts had to be re-sent.",
        minutes=6,
        per_shift=1.5,
        after_hours=30,
        wait=20,
        visits=2,
        safety="Patients leave without antibiotics or inhalers reaching the pharmacy; one came back the next day "
        "still without medication.",
        sites="NORTH MIDTOWN LAKESIDE EASTGATE SOUTHPARK UNIVERSITY CEDAR",
        solution="Show a banner on the prescribing screen when the queue has not sent anything for 10 minutes.",
    ),
    P(
        "laterality",
        "orders",
        "physician app",
        "X-ray orders require laterality even for chest films",
        "The imaging order form will not submit without left or right, even for a chest or pelvis film. We pick one "
        "and radiology calls to ask which side, about 8 times a shift across the site.",
        minutes=0.5,
        per_shift=8,
    ),
    P(
        "pharmsearch",
        "orders",
        "physician app nurse",
        "Pharmacy search returns stores across the whole state",
        "The pharmacy search ignores our location and lists chains statewide in alphabetical order. Finding "
        "the right store takes 1 to 2 minutes per prescription, and we send 15 to 20 prescriptions a shift.",
        minutes=1.5,
        per_shift=16,
        sites="RIVERSIDE EASTGATE WESTFIELD NORTH AIRPORT",
    ),
    P(
        "controlled2fa",
        "orders",
        "physician app",
        "Two-factor prompt on every controlled substance prescription",
        "Each controlled substance prescription asks for the token code again, even 2 minutes after the last one. "
        "Finding the phone and typing the code takes about 1 minute, 3 times on a typical shift.",
        minutes=1,
        per_shift=3,
    ),
    P(
        "outsideimaging",
        "orders",
        "physician app front_desk",
        "Outside imaging orders need a fax to the imaging center",
        "For MRI and ultrasound at outside centers we print the order and fax it with the insurance card, "
        "then call to confirm it arrived. That is about 5 minutes per order.",
        minutes=5,
        per_shift=2,
    ),
    P(
        "poct",
        "orders",
        "ma nurse physician app",
        "Point-of-care tests are ordered, resulted and acknowledged in three screens",
        "For rapid strep, flu and urine dip the MA orders the test, runs it, results it in another screen, "
        "and the provider acknowledges it a third time. That is three screens for a one-minute test, and we "
        "run 15 to 25 of them a shift.",
        minutes=1.5,
        per_shift=18,
        wait=4,
        visits=20,
        sites="MIDTOWN SOUTHPARK UNIVERSITY EASTGATE NORTH RIVERSIDE",
    ),
    P(
        "dme",
        "orders",
        "physician app ma",
        "Crutches and splints need a separate supply request form",
        "Durable equipment like crutches, boots and wrist splints needs a paper supply request on top of the "
        "order. It takes about 4 minutes and the stock count is always wrong.",
        minutes=4,
        per_shift=2,
        wait=5,
        visits=3,
    ),
    P(
        "referral",
        "orders",
        "physician app front_desk",
        "Referral orders ask for 14 fields, most of them unused",
        "Orthopedic and ENT referrals require 14 fields, including insurance details the front desk already "
        "entered. Each referral takes about 5 minutes and we send 4 to 6 a shift.",
        minutes=5,
        per_shift=4,
        after_hours=20,
        sites="MIDTOWN SOUTHPARK RIVERSIDE UNIVERSITY LAKESIDE NORTH",
    ),
    P(
        "medfavorites",
        "orders",
        "physician app",
        "Medication favorites keep the drug but lose the dose and duration",
        "Saved prescription favorites come back without the dose, frequency and duration we saved. We fill them in "
        "again for nearly every prescription, about 1 minute each, 12 or more a shift.",
        minutes=1,
        per_shift=12,
    ),
    P(
        "speclabels",
        "orders",
        "nurse ma",
        "Specimen labels print the order time, not the collection time",
        "Labels for send-out specimens print the time of the order, not the time of collection. We correct each "
        "label by hand, about 2 minutes for 4 specimens a shift, and the reference lab still rejects some.",
        minutes=2,
        per_shift=4,
        share=40,
        safety="The reference lab rejected two urine cultures last month for collection times that did not "
        "match; both had to be recollected.",
    ),
    P(
        "dupwarning",
        "orders",
        "physician app",
        "Duplicate order warning fires for tests done years ago",
        "The duplicate order warning fires for tests done at another site two or three years ago. Each one "
        "needs an override reason, about 30 seconds, about 10 times a shift.",
        minutes=0.5,
        per_shift=10,
    ),
    P(
        "ivfluids",
        "orders",
        "physician app nurse",
        "IV fluid orders have no urgent care default",
        "Ordering 1 liter of normal saline needs 6 fields, including an infusion pump setting we do not use. Nurses "
        "call back to clarify most of these orders, 2 or 3 a shift.",
        minutes=1.5,
        per_shift=2,
    ),
    P(
        "tbtest",
        "orders",
        "nurse",
        "TB skin test reading needs a second order",
        "Placing a TB skin test and reading it 48 to 72 hours later are 2 separate orders in 2 encounters. The "
        "reading visit often cannot find the first order, and we start over, about 3 minutes each time.",
        minutes=3,
        per_shift=1,
        share=20,
    ),
    P(
        "abxduration",
        "orders",
        "physician app",
        "Antibiotic orders default to 10 days when our guideline says 5 to 7",
        "Common antibiotics default to a 10-day course, while our stewardship guideline recommends 5 to 7 "
        "days for most urgent care infections. We change the duration on almost every script.",
        minutes=0.7,
        per_shift=8,
    ),
    P(
        "ctcreat",
        "orders",
        "physician app",
        "CT requests bounce back for a missing kidney function value",
        "Outside CT orders with contrast come back rejected when no recent creatinine is on file, even for "
        "young patients. Each bounced order costs about 6 minutes of calls and re-ordering.",
        minutes=6,
        per_shift=0.5,
    ),
    P(
        "vaccinelot",
        "orders",
        "nurse ma",
        "Vaccine lot numbers are typed by hand",
        "Every vaccine needs the lot number and expiry typed in from the vial. The barcode scanner is not "
        "connected to the immunization screen. About 90 seconds a vaccine, more in flu season.",
        minutes=1.5,
        per_shift=4,
        share=30,
    ),
    P(
        "rxtray",
        "orders",
        "physician app",
        "Printed prescriptions go to the wrong printer tray",
        "Paper prescriptions for controlled substances print on plain paper from the default tray, so we "
        "reprint on the secure paper. It wastes about 2 minutes each time.",
        minutes=2,
        per_shift=2,
    ),
    P(
        "standingsign",
        "orders",
        "physician app",
        "Every standing order needs its own signature",
        "Nurse-initiated standing orders each need a separate provider signature instead of one batch "
        "signature at the end of the visit. We sign 15 to 20 a shift, one at a time.",
        minutes=0.3,
        per_shift=20,
    ),
    P(
        "nebprotocol",
        "orders",
        "nurse",
        "Nebulizer treatment cannot be started from the triage protocol",
        "The asthma triage protocol allows a nebulizer treatment, but the order is not in the nurse protocol "
        "menu. The nurse waits for a provider to place it, often 10 minutes while the patient wheezes.",
        minutes=2,
        per_shift=3,
        share=30,
        wait=10,
        visits=3,
    ),
    P(
        "handreqs",
        "orders",
        "nurse ma",
        "Reference lab requisitions are handwritten after 8 pm",
        "After the interface goes into its night window at 8 pm, send-out labs need handwritten requisitions. "
        "Each takes about 3 minutes and the lab sometimes cannot read them.",
        minutes=3,
        per_shift=2,
        share=20,
    ),
    # --- results ---------------------------------------------------------------------------------
    P(
        "overread",
        "results",
        "physician app nurse",
        "Radiology over-read changes arrive as a fax days later",
        "When radiology's final read differs from our preliminary read, the change comes as a fax 1 to 3 days "
        "later. There is no result notification in the chart. Someone has to match the fax to the visit and "
        "call the patient back, about 15 minutes each.",
        minutes=15,
        per_shift=0.6,
        after_hours=40,
        safety="Fractures found on the over-read can take days to reach the patient; two were found only at a "
        "follow-up visit.",
        sites="NORTH EASTGATE SOUTHPARK RIVERSIDE UNIVERSITY HILLCREST",
    ),
    P(
        "streplag",
        "results",
        "physician app ma",
        "Rapid strep results take more than 10 minutes to reach the chart",
        "Strep results take 11 minutes to appear in the results tab after the analyzer finishes. We walk to "
        "the lab to read the screen instead, and the patient waits in the room meanwhile.",
        minutes=1,
        per_shift=6,
        wait=10,
        visits=8,
    ),
    P(
        "criticalcalls",
        "results",
        "physician app nurse",
        "Critical lab calls arrive after the ordering provider's shift",
        "Critical values from the reference lab are phoned to the site, often after the ordering provider "
        "has left. Whoever is on shift has to read the whole visit before acting, about 10 minutes a call.",
        minutes=10,
        per_shift=0.3,
        safety="A critical potassium was called to a site at closing time and reached a provider the next morning.",
    ),
    P(
        "cultures",
        "results",
        "physician app",
        "Urine culture results go to whoever signed the discharge",
        "Culture results are routed to the provider who signed the discharge, even if they are off for 7 days. "
        "Covering providers find them late and work out the antibiotic from scratch, about 4 minutes a result.",
        minutes=4,
        per_shift=2,
        after_hours=30,
    ),
    P(
        "resultfilters",
        "results",
        "physician app",
        "Results tab forgets its filters",
        "The results tab resets to 'all results, all time' every time it opens. We set the filter to this "
        "visit again and again, 15 times a shift.",
        minutes=0.5,
        per_shift=15,
    ),
    P(
        "outsidelabs",
        "results",
        "physician app",
        "Outside lab results arrive as scanned documents",
        "Results from the hospital lab arrive as scanned documents in the media tab, not as results. We "
        "cannot trend them and have to open each document, about 3 minutes for a set of labs.",
        minutes=3,
        per_shift=2,
    ),
    P(
        "ekgimages",
        "results",
        "physician app",
        "EKG images are not visible until the next day",
        "EKG tracings upload overnight, so a covering provider cannot see today's tracing from the chart. We walk to "
        "the machine and look at the paper copy, about 3 minutes each time.",
        minutes=3,
        per_shift=1,
    ),
    P(
        "xrayviewer",
        "results",
        "physician app",
        "The x-ray viewer asks for a second login every time",
        "The image viewer asks for a separate password each time it opens from the chart. That is 20 to 30 "
        "seconds each, and we open it 8 to 12 times a shift.",
        minutes=0.5,
        per_shift=10,
        sites="EASTGATE SOUTHPARK UNIVERSITY MIDTOWN RIVERSIDE NORTH AIRPORT",
    ),
    P(
        "resultack",
        "results",
        "physician app",
        "Every normal result needs its own acknowledgement",
        "Normal point-of-care and reference lab results must be acknowledged one at a time, with no batch "
        "action for normals. We acknowledge 30 or more a shift.",
        minutes=0.3,
        per_shift=30,
        solution="A batch acknowledge action for normal results.",
        sites="UNIVERSITY MIDTOWN EASTGATE NORTH",
    ),
    P(
        "upthidden",
        "results",
        "physician app",
        "Urine pregnancy result hidden in a collapsed section",
        "The urine pregnancy result sits in a collapsed section of the results view and does not show an abnormal "
        "flag. We open it on purpose before every x-ray and every new prescription for women of childbearing age, "
        "about 6 times a shift.",
        minutes=0.5,
        per_shift=6,
        safety="A positive result was not seen before imaging because the section was collapsed and not flagged.",
    ),
    P(
        "reportable",
        "results",
        "nurse physician",
        "Reportable results need a separate state portal entry",
        "Positive results for reportable infections have to be entered again in the state reporting portal. "
        "Each entry takes about 6 minutes, and nobody is sure who at the site owns it.",
        minutes=6,
        per_shift=0.8,
        share=30,
    ),
    P(
        "glucose",
        "results",
        "ma nurse",
        "Glucose meter results are typed in by hand",
        "The point-of-care glucose meter is not connected, so the MA types each reading into the flowsheet. That is "
        "about 1 minute each time, 5 times a shift, and transposed digits have happened.",
        minutes=1,
        per_shift=5,
        share=20,
    ),
    P(
        "labnames",
        "results",
        "physician app",
        "Reference lab results arrive under different test names",
        "The same test shows up under 3 different names depending on the lab that ran it, so trends split into "
        "separate rows. We compare old and new values by hand, about 2 minutes a chart.",
        minutes=2,
        per_shift=3,
    ),
    P(
        "xraystatus",
        "results",
        "physician app ma",
        "No way to see when the x-ray technologist has finished",
        "The board does not show when films are done, so providers walk to radiology to ask, or the patient "
        "waits in the room after the films are ready. About 2 minutes a film and 8 films a shift.",
        minutes=2,
        per_shift=8,
        wait=8,
        visits=10,
    ),
    # --- inbox -----------------------------------------------------------------------------------
    P(
        "inboxdupes",
        "inbox",
        "physician app",
        "Inbox shows every lab result twice",
        "Every reference lab result arrives in the inbox twice, once preliminary and once final, and the two "
        "look the same in the list. We open both, about a minute each, 20 to 30 times a shift. Part-time "
        "providers come back to more than 300 items.",
        minutes=1,
        per_shift=24,
        after_hours=50,
        solution="Replace the preliminary item when the final arrives instead of adding a second one.",
        sites="NORTH MIDTOWN EASTGATE SOUTHPARK UNIVERSITY RIVERSIDE WESTFIELD LAKESIDE HILLCREST",
    ),
    P(
        "inboxcc",
        "inbox",
        "physician app",
        "Inbox copies go to every provider on the visit",
        "Results and messages are copied to every provider who touched the visit, including the one who only "
        "signed an order. Each of us opens and closes the same item. About 20 extra items a shift.",
        minutes=0.5,
        per_shift=20,
        after_hours=40,
    ),
    P(
        "refills",
        "inbox",
        "physician app",
        "Refill requests for long-term medications come to urgent care",
        "Pharmacies send refill requests for blood pressure and diabetes medications to whoever saw the "
        "patient last, often us. We cannot manage those and forward each one to primary care, 2 minutes each. "
        "About 10 arrive per provider each week.",
        minutes=2,
        per_shift=2.5,
        after_hours=60,
        sites="NORTH MIDTOWN RIVERSIDE WESTFIELD UNIVERSITY AIRPORT SOUTHPARK CEDAR",
        solution="Route refill requests for long-term medications to the primary care pool.",
    ),
    P(
        "portalmsgs",
        "inbox",
        "physician app nurse",
        "Portal questions about follow-up land in the urgent care pool",
        "Portal messages sent after an urgent care visit go to our shared pool, even when they are about "
        "primary care follow-up. A nurse triages each one and forwards most, about 3 minutes each.",
        minutes=3,
        per_shift=4,
        share=40,
    ),
    P(
        "leftnetwork",
        "inbox",
        "physician app",
        "Inbox items route to providers who left the network",
        "Results for visits with providers who left months ago still route to their inbox, and nobody sees "
        "them until the weekly report. Reassigning them takes about 2 minutes each.",
        minutes=2,
        per_shift=3,
        share=30,
        safety="Abnormal results can sit unread in an inactive inbox for a week.",
    ),
    P(
        "faxinbox",
        "inbox",
        "front_desk nurse",
        "Incoming faxes appear as one untitled document each",
        "Every incoming fax lands as an untitled document. The front desk opens each to find out what it "
        "is and who it belongs to, then renames and routes it, about 2 minutes a fax.",
        minutes=2,
        per_shift=6,
        share=10,
    ),
    P(
        "resultletter",
        "inbox",
        "physician app",
        "Cannot send a result note to the patient from the inbox",
        "To tell a patient their result is normal we leave the inbox, open the chart, start a portal message "
        "and attach the result. A reply button in the inbox would save about 2 minutes a result.",
        minutes=2,
        per_shift=5,
        after_hours=40,
    ),
    P(
        "inboxcount",
        "inbox",
        "physician app",
        "Inbox count includes items already handled",
        "The inbox badge counts items that were already handled by a colleague. We open the folder to find nothing "
        "to do, about 10 times a shift.",
        minutes=0.5,
        per_shift=10,
    ),
    P(
        "cosign",
        "inbox",
        "physician",
        "Co-signature requests for APP notes flood physician inboxes",
        "Every APP note generates a co-signature request in the supervising physician's inbox, including "
        "visits that need no supervision under our bylaws. Physicians sign 20 or more a shift, often after "
        "hours.",
        minutes=1,
        per_shift=20,
        share=50,
        after_hours=60,
        solution="Only request co-signature for the visit types the bylaws list.",
    ),
    P(
        "transcription",
        "inbox",
        "physician",
        "Transcribed notes come back to the inbox for a second signature",
        "Dictated notes return from transcription as a new inbox item that has to be opened and signed again, "
        "even when nothing changed. It is about a minute each, for 3 or 4 dictated notes a shift.",
        minutes=1,
        per_shift=3,
        share=40,
    ),
    P(
        "forms",
        "inbox",
        "physician app",
        "Leave and disability forms sit in the shared inbox",
        "Employer leave and disability forms arrive in a shared inbox with no owner. Whoever picks one up "
        "reads the whole visit and fills the form, often 10 minutes, mostly after hours.",
        minutes=10,
        per_shift=0.5,
        after_hours=70,
    ),
    P(
        "urgentmsgs",
        "inbox",
        "nurse physician app",
        "Urgent patient messages look the same as routine ones",
        "Portal messages about worsening symptoms look identical to billing questions in the inbox list. We open all "
        "30 to 40 messages a day in order of arrival to find the urgent ones.",
        minutes=1,
        per_shift=4,
        safety="A message about worsening shortness of breath sat for a day because it looked routine.",
    ),
    P(
        "voicemail",
        "inbox",
        "nurse",
        "Voicemail transcriptions leave out the caller's question",
        "Nurse line voicemails are transcribed into the inbox, but the transcription cuts off after 20 "
        "seconds. We call back to find out what the question was.",
        minutes=3,
        per_shift=3,
        share=20,
    ),
    # --- triage ----------------------------------------------------------------------------------
    P(
        "trackingboard",
        "triage",
        "physician app nurse ma",
        "Tracking board refreshes only every 60 to 90 seconds",
        "The tracking board lags 60 to 90 seconds behind the rooms. We walk to rooms that were already "
        "discharged and miss patients who are ready for the provider. Between 5 and 7 pm we check the "
        "hallway instead of the board.",
        minutes=1.5,
        per_shift=20,
        wait=5,
        visits=30,
        sites="NORTH MIDTOWN EASTGATE SOUTHPARK RIVERSIDE UNIVERSITY LAKESIDE AIRPORT",
        solution="Refresh the board every 10 seconds, or push room changes as they happen.",
    ),
    P(
        "interpreter",
        "triage",
        "physician app nurse",
        "Booking a video interpreter takes about 10 minutes",
        "To get a video interpreter we call the vendor line, give our account code and wait for a callback "
        "to the room device. It takes 8 to 12 minutes each time, while the patient and family wait in the "
        "room.",
        minutes=10,
        per_shift=1,
        wait=10,
        visits=6,
        sites="MIDTOWN SOUTHPARK HARBOR UNIVERSITY EASTGATE AIRPORT",
    ),
    P(
        "standingorders",
        "triage",
        "nurse",
        "Nurse triage protocols cannot place standing orders",
        "The triage protocols tell the nurse to start a urine dip or a strep swab, but the protocol screen "
        "cannot place the order. The nurse finds a provider to sign first, about 2 minutes each time.",
        minutes=2,
        per_shift=8,
        share=30,
        wait=5,
        visits=15,
    ),
    P(
        "acuity",
        "triage",
        "nurse physician app",
        "Triage acuity is entered twice",
        "Triage acuity (ESI level 3 and so on) is entered by the nurse in triage and again by the provider in "
        "the note. The two do not sync, so quality reports flag mismatches that we fix by hand at the end of "
        "the month.",
        minutes=0.5,
        per_shift=30,
    ),
    P(
        "roomstatus",
        "triage",
        "ma nurse",
        "Changing a room's status takes three clicks",
        "Marking a room clean, occupied or ready takes three clicks through a pop-up. MAs do it 40 times a "
        "shift, so the board is often behind.",
        minutes=0.3,
        per_shift=40,
        share=20,
    ),
    P(
        "lobbyscreen",
        "triage",
        "front_desk",
        "Waiting room screen shows wait times 30 minutes off",
        "The lobby screen estimates waits from the morning's volume and is often 30 minutes off by "
        "afternoon. The front desk answers the same question from every family that walks up.",
        minutes=2,
        per_shift=6,
        share=10,
        wait=15,
        visits=20,
    ),
    P(
        "sepsis",
        "triage",
        "physician app nurse",
        "Sepsis alert fires on almost every febrile child",
        "The sepsis alert fires on most febrile children because it uses adult heart-rate cutoffs. Each "
        "firing needs a dismissal reason, about a minute. On a busy shift that is 10 to 15 alerts, and we "
        "have stopped reading them.",
        minutes=1,
        per_shift=12,
        safety="Alert fatigue: a true sepsis alert on an adult was dismissed with the same reason as the "
        "pediatric ones.",
        sites="NORTH MIDTOWN LAKESIDE EASTGATE UNIVERSITY WESTFIELD RIVERSIDE HILLCREST",
        solution="Use pediatric heart-rate cutoffs for children instead of turning the alert off.",
    ),
    P(
        "triagequeue",
        "triage",
        "nurse",
        "Triage queue sorts by arrival, not by acuity",
        "The triage queue can only sort by arrival time. Chest pain and a rash sit in the same list, and the nurse "
        "scans the whole list every 5 minutes.",
        minutes=1,
        per_shift=8,
        share=30,
        wait=6,
        visits=15,
        safety="Higher-acuity arrivals are not surfaced; the nurse relies on scanning the list.",
    ),
    P(
        "pulseox",
        "triage",
        "ma nurse",
        "Pulse oximeter readings do not cross into the chart",
        "The new vital signs monitors do not send readings to the chart. The MA reads the screen and types "
        "pulse and oxygen saturation, 25 or more times a shift.",
        minutes=0.7,
        per_shift=25,
        share=20,
    ),
    P(
        "fallrisk",
        "triage",
        "nurse ma",
        "Fall-risk screening required for every visit",
        "The fall-risk screen is required at every visit, including a teenager with a sore throat. It is "
        "six questions, about 40 seconds, 25 or more times a shift.",
        minutes=0.7,
        per_shift=25,
        share=20,
    ),
    P(
        "isolation",
        "triage",
        "nurse ma physician app",
        "No isolation flag on the tracking board",
        "The tracking board does not show when a patient needs isolation, so staff enter the room without the right "
        "protection and have to step back out. Changing into gowns and gloves then costs another 1 to 2 minutes, a "
        "few times a shift in flu season.",
        minutes=1,
        per_shift=3,
        safety="Staff entered rooms without protective equipment because isolation status was not visible.",
    ),
    P(
        "carwait",
        "triage",
        "front_desk ma",
        "Patients waiting in their cars cannot be texted when a room is ready",
        "Patients who wait in their cars are called by phone when a room is ready. Many do not pick up unknown "
        "numbers, and the MA walks out to the parking lot, about 3 minutes each time and 6 times a shift.",
        minutes=3,
        per_shift=6,
        share=10,
        wait=12,
        visits=25,
    ),
    P(
        "kiosk",
        "triage",
        "front_desk",
        "Check-in kiosk times out before the insurance card scan finishes",
        "The kiosk restarts the check-in if the insurance card scan takes more than 30 seconds. Most "
        "patients end up at the front desk anyway.",
        minutes=2,
        per_shift=10,
        share=5,
        wait=4,
        visits=15,
    ),
    P(
        "wristbands",
        "triage",
        "nurse",
        "Wristband printer needs a restart every morning",
        "The triage wristband printer is offline every morning until someone restarts it and the "
        "workstation. It takes 10 minutes at the busiest time of day.",
        minutes=10,
        per_shift=0.2,
        share=20,
        wait=5,
        visits=5,
    ),
    # --- discharge -------------------------------------------------------------------------------
    P(
        "avspages",
        "discharge",
        "physician app nurse ma",
        "Discharge paperwork prints 8 pages for a simple visit",
        "Since the 2024 upgrade the after-visit summary prints 8 pages for a simple sprain, most of it "
        "boilerplate. We print, staple and walk through it, and patients leave most of it behind. Printing "
        "and sorting takes about 3 minutes a visit and the printer queue backs up at shift change.",
        minutes=2.5,
        per_shift=16,
        wait=3,
        visits=30,
        solution="A one-page summary with diagnosis, medications and return precautions; the rest on request.",
        sites="NORTH MIDTOWN LAKESIDE RIVERSIDE EASTGATE SOUTHPARK WESTFIELD",
    ),
    P(
        "languages",
        "discharge",
        "nurse physician app",
        "Discharge instructions only in English and Spanish",
        "Printed instructions exist only in English and Spanish. For other languages we read them through "
        "the interpreter line, which takes about 6 minutes a visit.",
        minutes=6,
        per_shift=1,
        wait=8,
        visits=5,
    ),
    P(
        "followup",
        "discharge",
        "physician app front_desk",
        "Cannot book a primary care follow-up from the discharge screen",
        "Booking a follow-up with primary care means leaving the discharge screen, opening the other "
        "practice's schedule and calling if there is no slot. About 5 minutes while the patient waits.",
        minutes=5,
        per_shift=3,
        wait=5,
        visits=8,
    ),
    P(
        "edusheets",
        "discharge",
        "nurse",
        "Medication education sheets print for every refill",
        "Education sheets print for every prescription, including refills of medications the patient has taken for "
        "years. Nurses pull 3 or 4 pages out of the packet by hand at about 8 discharges a shift.",
        minutes=1,
        per_shift=8,
        share=20,
    ),
    P(
        "avssignature",
        "discharge",
        "nurse physician app",
        "Nurse discharge waits for a provider signature on the summary",
        "The nurse cannot print the after-visit summary until the provider signs the note. Patients who are "
        "otherwise ready wait 10 to 15 minutes in the room.",
        minutes=2,
        per_shift=8,
        wait=12,
        visits=30,
    ),
    P(
        "stoppedmeds",
        "discharge",
        "physician app nurse",
        "Discharge medication list still shows stopped medications",
        "Medications stopped during the visit still print on the discharge list. We cross them out by hand when we "
        "notice, about 2 minutes each, 3 times a shift.",
        minutes=2,
        per_shift=3,
        safety="A patient kept taking a stopped antibiotic because it was still on the printed list.",
    ),
    P(
        "crutchvideo",
        "discharge",
        "nurse",
        "Crutch training video will not play on room computers",
        "The crutch training video is blocked on exam room computers, so the nurse teaches each patient in "
        "person. That is about 5 minutes more per visit, once or twice a shift.",
        minutes=5,
        per_shift=1,
        share=20,
        wait=5,
        visits=2,
    ),
    P(
        "transfer",
        "discharge",
        "physician app nurse",
        "Emergency department transfer packet is assembled by hand",
        "Transferring a patient to the emergency department means printing the note, results, imaging and "
        "medication list one by one and faxing them ahead. It takes 15 to 20 minutes while the patient waits "
        "for transport. We transfer 1 or 2 patients a shift.",
        minutes=17,
        per_shift=1.2,
        wait=15,
        visits=2,
        sites="MIDTOWN SOUTHPARK EASTGATE UNIVERSITY HILLCREST CEDAR NORTH",
        solution="One transfer summary that gathers the note, results, images and medications.",
    ),
    P(
        "discvitals",
        "discharge",
        "nurse ma",
        "Discharge blocked until a repeat set of vitals is entered",
        "The discharge navigator requires a repeat set of vitals even for a wart removal. The MA goes back into the "
        "room for vitals nobody reads, about 1 minute each for 10 discharges a shift.",
        minutes=1,
        per_shift=10,
        share=30,
        wait=3,
        visits=20,
    ),
    P(
        "precautions",
        "discharge",
        "physician app",
        "Return precautions are one generic paragraph",
        "The return precautions are a single generic paragraph for every diagnosis. We type condition "
        "specific precautions by hand, about 2 minutes a visit.",
        minutes=2,
        per_shift=6,
    ),
    P(
        "portalcode",
        "discharge",
        "front_desk nurse",
        "Portal activation code prints on its own page",
        "The patient portal activation code prints as a separate page at the end of the packet, and most patients "
        "never see it. Staff hunt for it when patients ask at the desk, about 6 times a shift.",
        minutes=1,
        per_shift=6,
        share=10,
    ),
    P(
        "sportsforms",
        "discharge",
        "physician app",
        "Sports physical forms are completed by hand",
        "School sports physical forms are filled out by hand, then scanned, after the same exam was charted "
        "in the EHR. About 8 minutes a form, and 10 or more a day in August.",
        minutes=8,
        per_shift=2,
    ),
    # --- scheduling ------------------------------------------------------------------------------
    P(
        "callbacks",
        "scheduling",
        "nurse physician app",
        "Callback list for abnormal results is kept on paper",
        "Results that need a callback go on a paper list at the nurse station. The next shift guesses who "
        "already called, so calls are repeated or missed. Working the list takes about 20 minutes per shift "
        "for each nurse.",
        minutes=20,
        per_shift=1,
        share=40,
        after_hours=20,
        safety="A positive culture callback was missed when the paper list was thrown away at shift change.",
        sites="SOUTHPARK NORTH MIDTOWN RIVERSIDE EASTGATE UNIVERSITY",
        solution="A callback worklist in the chart, shared by the site, with who called and when.",
    ),
    P(
        "onlinecheckin",
        "scheduling",
        "front_desk",
        "Online check-in slots do not match staffing",
        "Online check-in offers the same 4 slots every hour, whatever the staffing. When we are short, patients "
        "arrive for slots we cannot see on time and the lobby fills.",
        minutes=3,
        per_shift=6,
        share=10,
        wait=10,
        visits=15,
    ),
    P(
        "scheduletyping",
        "scheduling",
        "other",
        "Provider schedule is built in a spreadsheet, then typed into the EHR",
        "The site lead builds the monthly provider schedule in a spreadsheet and then enters every shift in the EHR "
        "by hand. It takes about 4 hours each month, and errors show up as missing templates.",
        minutes=60,
        per_shift=0.05,
        share=10,
    ),
    P(
        "ochslots",
        "scheduling",
        "front_desk physician app",
        "No way to hold slots for employer walk-ins",
        "Employers send workers for drug screens and injury checks without notice, 2 to 4 a shift. We cannot hold "
        "slots for them, so they wait behind everyone else or bump booked patients.",
        minutes=4,
        per_shift=3,
        wait=10,
        visits=5,
    ),
    P(
        "noshows",
        "scheduling",
        "front_desk",
        "Online check-in no-shows hold rooms for 30 minutes",
        "A no-show online check-in keeps its slot for 30 minutes before the system releases it. Walk-ins "
        "wait while a room sits empty.",
        minutes=2,
        per_shift=4,
        share=10,
        wait=8,
        visits=10,
    ),
    P(
        "xrayrecheck",
        "scheduling",
        "physician app front_desk",
        "Follow-up x-ray rechecks cannot be booked at another site",
        "A patient seen at one site cannot be booked for a fracture recheck at a site closer to home. The front desk "
        "calls the other site and they re-register the patient, about 4 minutes each time.",
        minutes=4,
        per_shift=1,
    ),
    P(
        "floatdouble",
        "scheduling",
        "other",
        "Float providers appear at two sites at once in the schedule",
        "When a float provider is moved between sites, the old shift stays in the schedule. Online check-in then "
        "offers 8 to 10 slots for a provider who is not there.",
        minutes=5,
        per_shift=0.3,
        share=20,
        wait=5,
        visits=3,
    ),
    P(
        "videolink",
        "scheduling",
        "physician app",
        "Video visit link goes out before the provider is ready",
        "The video visit link is sent at the booked time, not when the provider is ready, and patients sit in the "
        "virtual waiting room without word for 10 minutes or more. Many hang up and call the front desk.",
        minutes=4,
        per_shift=2,
        wait=10,
        visits=3,
    ),
    P(
        "holidayhours",
        "scheduling",
        "front_desk other",
        "Holiday hours have to be changed in four systems",
        "Holiday hours are changed separately in 4 places: the schedule, online check-in, the phone tree and the "
        "website. Someone always misses one and patients arrive at a closed door.",
        minutes=90,
        per_shift=0.02,
        share=10,
    ),
    P(
        "remindertexts",
        "scheduling",
        "front_desk",
        "Reminder texts go out for visits that were never booked",
        "Walk-in patients get appointment reminder texts the next day for a visit they already had. They call the "
        "front desk to ask, about 4 times a shift.",
        minutes=2,
        per_shift=4,
        share=5,
    ),
    P(
        "interpreterbooking",
        "scheduling",
        "front_desk nurse",
        "In-person interpreters for rechecks are booked by phone",
        "In-person interpreters for scheduled rechecks must be requested by phone two days ahead, and the "
        "confirmation comes back by fax. Each booking takes about 6 minutes of calls and follow-up.",
        minutes=6,
        per_shift=0.5,
        share=10,
    ),
    # --- billing ---------------------------------------------------------------------------------
    P(
        "emlevel",
        "billing",
        "physician app",
        "Visit level calculator ignores time-based billing",
        "The visit level calculator only counts documented elements, not time. For long counseling visits "
        "we calculate the level by hand and add an attestation, about 2 minutes each.",
        minutes=2,
        per_shift=10,
    ),
    P(
        "proccharges",
        "billing",
        "physician app",
        "Procedure charges drop when the note is signed first",
        "If the note is signed before the procedure section is completed, the procedure charge is dropped without "
        "warning. Billing sends the charts back 7 days later, and each takes about 3 minutes to fix.",
        minutes=3,
        per_shift=2,
        after_hours=50,
    ),
    P(
        "eligibility",
        "billing",
        "front_desk",
        "Insurance eligibility check runs only after rooming",
        "The eligibility check runs only after the patient is roomed, so coverage problems are found at checkout. "
        "The front desk then calls the patient back to the desk, about 8 times a shift.",
        minutes=4,
        per_shift=8,
        share=10,
        wait=6,
        visits=20,
    ),
    P(
        "codingqueries",
        "billing",
        "physician app",
        "Coding queries arrive a week after the visit",
        "Coding questions come a week after the visit, when nobody remembers it. Answering means re-reading "
        "the whole chart, about 5 minutes each, usually at home.",
        minutes=5,
        per_shift=1.5,
        after_hours=80,
    ),
    P(
        "selfpay",
        "billing",
        "front_desk",
        "Self-pay price estimates come from a spreadsheet",
        "To quote a self-pay price the front desk opens a spreadsheet on a shared drive and adds up the "
        "visit level, tests and x-rays by hand. It takes about 3 minutes per quote, 5 or more a shift.",
        minutes=3,
        per_shift=5,
        share=10,
        wait=4,
        visits=8,
    ),
    P(
        "workerscomp",
        "billing",
        "front_desk physician app",
        "Work injury visits need the employer entered three times",
        "For workers' compensation visits the employer is entered 3 times: at registration, on the injury form and "
        "on the claim. Mistakes in any copy hold the claim.",
        minutes=3,
        per_shift=3,
        share=20,
    ),
    P(
        "copayreceipt",
        "billing",
        "front_desk",
        "Copay receipts print on the clinical printer",
        "Copay receipts print at the nurse station instead of the front desk, so someone walks them over. "
        "That is about 10 trips a shift across the clinic.",
        minutes=1,
        per_shift=10,
        share=5,
    ),
    P(
        "modifier25",
        "billing",
        "physician app",
        "Procedure modifier must be added by hand",
        "When we do a procedure and a separate visit, the billing modifier must be added by hand on the charge "
        "screen. We forget about 50% of the time and the claim is denied.",
        minutes=1,
        per_shift=5,
    ),
    P(
        "dxpointers",
        "billing",
        "physician app",
        "Diagnosis pointers on charges reset when a diagnosis is added",
        "Adding a diagnosis after charges were entered resets every diagnosis pointer. We relink each charge by "
        "hand, about 90 seconds a visit.",
        minutes=1.5,
        per_shift=4,
    ),
    # --- other -----------------------------------------------------------------------------------
    P(
        "timeout",
        "other",
        "physician app nurse ma",
        "Logged out after 10 minutes of inactivity",
        "The EHR logs us out after 10 idle minutes, even in exam rooms behind a locked door. Logging back in "
        "with badge and password takes about 45 seconds, and we do it 20 to 30 times a shift. Unsigned "
        "orders are sometimes lost in the timeout.",
        minutes=0.75,
        per_shift=25,
        solution="Keep the session open for 30 minutes on exam room workstations, with badge tap to resume.",
        sites="NORTH MIDTOWN LAKESIDE RIVERSIDE HILLCREST EASTGATE WESTFIELD SOUTHPARK CEDAR AIRPORT UNIVERSITY",
    ),
    P(
        "labelprinter",
        "other",
        "front_desk ma",
        "Label printers at check-in jam every day",
        "The label printers at check-in jam at least once a day and need the roll re-threaded. Check-in "
        "stops for about 8 minutes each time and the line backs up.",
        minutes=8,
        per_shift=1,
        share=10,
        wait=5,
        visits=10,
        sites="EASTGATE WESTFIELD RIVERSIDE",
        solution="Replace the check-in label printers with the model used at the other sites.",
    ),
    P(
        "priorauth",
        "other",
        "physician app ma",
        "Prior authorizations still go by fax",
        "For MRI, some antibiotics and durable equipment we fill the payer's form, print it and fax it. The "
        "answer comes back by fax days later, often to a different site. Each request takes 12 to 15 minutes "
        "of provider or MA time.",
        minutes=13,
        per_shift=1.2,
        after_hours=40,
        sites="RIVERSIDE NORTH SOUTHPARK UNIVERSITY LAKESIDE",
        solution="Electronic prior authorization through the payer portals the EHR already supports.",
    ),
    P(
        "sharedws",
        "other",
        "physician app",
        "Two exam rooms share one workstation",
        "Room 12 and room 14 share one workstation on a cart, so providers wait for each other to log in. It "
        "costs about 4 minutes each time and happens 6 to 8 times a shift.",
        minutes=4,
        per_shift=7,
        share=50,
        sites="LAKESIDE HILLCREST",
    ),
    P(
        "badgetap",
        "other",
        "physician app nurse",
        "Badge tap login does not work on the new laptops",
        "The new laptops have no badge reader, so we type the full password at every login. About 45 "
        "seconds each, 25 times a shift.",
        minutes=0.75,
        per_shift=25,
        share=40,
    ),
    P(
        "wifi",
        "other",
        "physician app nurse",
        "Wi-Fi drops in the back exam rooms",
        "The laptops lose Wi-Fi in the last 3 exam rooms, and notes fail to save. We move to the hallway to finish "
        "documenting, about 2 minutes each time.",
        minutes=2,
        per_shift=6,
        share=50,
    ),
    P(
        "helpdesk",
        "other",
        "physician app nurse ma front_desk",
        "Help desk hold times of 20 minutes",
        "Call the help desk at extension 4455 and you wait 20 minutes on hold, during clinic hours. Most "
        "calls are for password resets and printers that we could fix ourselves with the right access.",
        minutes=20,
        per_shift=0.3,
    ),
    P(
        "passwordexpiry",
        "other",
        "physician app nurse",
        "Passwords expire every 60 days with no warning",
        "Passwords expire every 60 days without warning, usually mid-shift. Resetting takes 15 minutes with "
        "the help desk while patients wait.",
        minutes=15,
        per_shift=0.04,
    ),
    P(
        "printermapping",
        "other",
        "physician app nurse front_desk",
        "Printers disappear after every operating system update",
        "After every monthly update the workstations lose their printer mappings. The first person to print "
        "each morning spends 10 minutes re-adding printers.",
        minutes=10,
        per_shift=0.2,
    ),
    P(
        "training",
        "other",
        "physician app",
        "New providers get primary care EHR training, not urgent care",
        "Onboarding teaches the primary care workflow. New urgent care providers learn our order sets, tracking "
        "board and discharge screens from colleagues during their first 10 shifts, which slows both of them.",
        minutes=20,
        per_shift=0.1,
        share=20,
    ),
    P(
        "darkscreens",
        "other",
        "physician app",
        "Bright white screens on overnight shifts",
        "On overnight shifts the bright white EHR screens are hard on the eyes in dark rooms. We turn the monitor "
        "brightness down by hand in each of our 8 rooms.",
        minutes=1,
        per_shift=3,
        sites="AIRPORT",
    ),
    P(
        "faxcover",
        "other",
        "front_desk",
        "Fax cover sheet still shows the old logo",
        "The fax cover sheet printed from the chart still shows the old network logo and name. Referral offices ask "
        "whether we are the same practice, about 2 times a week.",
        minutes=0.2,
        per_shift=2,
        share=5,
        sites="HARBOR",
    ),
    P(
        "downtime",
        "other",
        "physician app nurse ma",
        "Downtime forms are out of date",
        "The paper downtime packet was last updated 4 years ago. During the last outage the forms listed retired "
        "medications and the wrong lab codes, and entering everything afterwards took 3 hours.",
        minutes=30,
        per_shift=0.02,
        after_hours=80,
        safety="During the last outage the paper forms listed retired medication names.",
    ),
    P(
        "scanner",
        "other",
        "front_desk",
        "Front desk scanner scans one page at a time",
        "The scanner at the front desk has no document feeder, so outside records and forms are scanned one "
        "page at a time. It takes about 3 minutes a document, 8 documents on a typical shift.",
        minutes=3,
        per_shift=8,
        share=5,
    ),
    P(
        "phonetree",
        "other",
        "front_desk nurse",
        "Phone tree sends clinical calls to the front desk",
        "The phone tree has no option for clinical questions, so the front desk takes them and walks them to a "
        "nurse. It happens 6 to 8 times a shift, and the check-in line waits meanwhile.",
        minutes=3,
        per_shift=8,
        share=10,
        wait=3,
        visits=10,
    ),
    P(
        "monitors",
        "other",
        "physician app",
        "Exam room monitors are too small for results beside the note",
        "The 19-inch monitors in the exam rooms cannot show results next to the note. We switch windows "
        "back and forth, 15 or more times a shift.",
        minutes=0.5,
        per_shift=15,
    ),
    P(
        "doortoprovider",
        "other",
        "other",
        "Door-to-provider times are pulled by hand each week",
        "The site lead exports visits every week and computes door-to-provider times in a spreadsheet for "
        "the regional meeting. It takes about 90 minutes.",
        minutes=90,
        per_shift=0.02,
        share=10,
    ),
    P(
        "closedpharmacy",
        "other",
        "physician app nurse",
        "E-prescriptions go to pharmacies that have closed",
        "Closed pharmacies stay in the directory, and prescriptions sent there fail silently. The patient finds out "
        "at the counter of the store they expected, and the re-send takes us about 5 minutes.",
        minutes=5,
        per_shift=0.5,
        wait=5,
        visits=2,
    ),
    P(
        "supplies",
        "other",
        "ma other",
        "Supply reorders are a paper form faxed to the warehouse",
        "Supply reorders are written on a paper form and faxed. Nobody knows what is on order, so we run out of "
        "splints and swabs every 3 or 4 weeks.",
        minutes=15,
        per_shift=0.2,
        share=10,
    ),
    P(
        "boardonphone",
        "other",
        "physician app",
        "No way to check the tracking board from a phone",
        "When we step out for a procedure or a call, we cannot see the tracking board without walking back "
        "to a workstation. We make that walk about 8 times a shift just to check who is waiting.",
        minutes=1,
        per_shift=8,
    ),
    P(
        "floataccess",
        "other",
        "physician app",
        "System access for float providers takes a week at a new site",
        "A provider covering a new site waits up to 7 days for security access to that site's schedule and printers. "
        "Meanwhile they borrow a colleague's workstation for printing.",
        minutes=60,
        per_shift=0.02,
        share=20,
    ),
    P(
        "clocks",
        "other",
        "physician app nurse",
        "Workstation clocks differ by several minutes from the EHR",
        "Some workstation clocks run 3 to 5 minutes off the EHR server, so medication times documented from "
        "those workstations look out of order. Nurses correct the times by hand a couple of times a shift.",
        minutes=1,
        per_shift=2,
    ),
    P(
        "adultweightalert",
        "orders",
        "physician app",
        "Weight-based dosing alert fires for adults",
        "The weight-based dosing alert fires for every adult prescription of common antibiotics when no "
        "weight is recorded in the last 24 hours. We dismiss it 10 times a shift.",
        minutes=0.5,
        per_shift=10,
    ),
    P(
        "cabinetoverride",
        "other",
        "nurse",
        "Medication cabinet override needs a second nurse for every vaccine",
        "Pulling a routine vaccine from the cabinet needs a second nurse as witness, like a controlled substance. At "
        "a site with 2 nurses that means waiting for the other to be free, about 2 minutes each time.",
        minutes=2,
        per_shift=5,
        share=20,
        wait=3,
        visits=10,
    ),
    P(
        "splintstock",
        "other",
        "ma nurse",
        "Splint sizes are not tracked by site",
        "We do not know which of the 12 sites have pediatric splints in stock. Patients are sent across town or "
        "splinted with the wrong size until a follow-up.",
        minutes=5,
        per_shift=0.5,
        share=20,
    ),
    P(
        "wheelchairscale",
        "triage",
        "ma nurse",
        "No wheelchair scale, so weights are estimated",
        "There is no wheelchair scale, so weights for patients who cannot stand are estimated and typed as measured. "
        "It happens for 1 or 2 patients a shift, and dose calculators then use the estimate.",
        minutes=2,
        per_shift=1,
        share=20,
    ),
    P(
        "ekgorder",
        "orders",
        "physician app ma",
        "EKG must be ordered before the tech can run it, even in chest pain",
        "The EKG machine will not start a tracing without an order in the chart. For chest pain at triage the nurse "
        "waits for a provider to place the order, often 3 to 5 minutes.",
        minutes=3,
        per_shift=1.5,
        wait=5,
        visits=3,
        safety="Door-to-EKG time for chest pain is delayed by the order step.",
    ),
    P(
        "urineinstrument",
        "results",
        "ma nurse",
        "Urine analyzer prints results that are typed into the chart",
        "The urine analyzer prints a slip that the MA types into the chart, ten values per sample. It takes "
        "about 2 minutes a test and there is no check against the slip.",
        minutes=2,
        per_shift=6,
        share=20,
    ),
    P(
        "consents",
        "charting",
        "physician app nurse",
        "Procedure consent forms are paper and scanned",
        "Consent for incision and drainage or laceration repair is signed on paper and scanned. Finding the "
        "right form version and scanning it takes about 4 minutes.",
        minutes=4,
        per_shift=2,
    ),
    P(
        "allergyalerts",
        "orders",
        "physician app",
        "Allergy alerts fire for intolerances like nausea",
        "Recorded intolerances such as nausea trigger the same hard-stop allergy alert as anaphylaxis. We "
        "override 5 to 8 alerts a shift, each with a reason.",
        minutes=0.5,
        per_shift=6,
    ),
    P(
        "nightlab",
        "results",
        "physician app",
        "Send-out labs collected after 6 pm show no status until morning",
        "Labs collected after the courier's last pickup at 6 pm show no status until the next morning, so we "
        "cannot tell patients when to expect results. We look it up by phone, about a minute each.",
        minutes=1,
        per_shift=2,
    ),
    P(
        "workstationboot",
        "other",
        "physician app nurse ma",
        "Exam room workstations take 6 minutes to start",
        "After the nightly restart the exam room workstations take about 6 minutes to boot and load the EHR. "
        "The first visits of the morning start late in every room.",
        minutes=6,
        per_shift=0.5,
        wait=5,
        visits=5,
    ),
    P(
        "smartlinks",
        "charting",
        "physician app",
        "Lab values in the note do not update after new results",
        "Lab values pulled into the note are frozen at the time the note was started. When a result comes back later "
        "we delete and re-insert the section, about 1 minute, 5 times a shift.",
        minutes=1,
        per_shift=5,
    ),
    P(
        "xrayprelim",
        "results",
        "physician app",
        "Our preliminary x-ray read has no structured field",
        "We type our preliminary x-ray read as free text in the note, so radiology cannot compare it to "
        "their final read automatically. Writing it out takes about 90 seconds a film, 4 films a shift.",
        minutes=1.5,
        per_shift=4,
    ),
    P(
        "orderfavoritesites",
        "orders",
        "physician app",
        "Order favorites differ by site for the same test",
        "The same test has different order codes at different sites, so favorites built at one site fail at "
        "another with 'order not available'. Float providers search again for 4 or so orders a shift.",
        minutes=1,
        per_shift=4,
        share=40,
    ),
    P(
        "coveragenotes",
        "charting",
        "physician app",
        "Handoff notes between shifts are written on paper",
        "At shift change, pending items are handed off on paper or by text. The next provider re-reads every open "
        "chart to find out what is pending, about 10 minutes at each handoff.",
        minutes=10,
        per_shift=0.5,
        after_hours=30,
    ),
    P(
        "studentaccess",
        "other",
        "physician app",
        "Students and residents cannot document, so preceptors re-type",
        "Visiting students have view-only access, so they write notes in a separate document and the "
        "preceptor re-types them into the chart. It takes about 8 minutes a note on teaching days.",
        minutes=8,
        per_shift=1,
        share=20,
    ),
    P(
        "imagingcds",
        "orders",
        "physician app",
        "Imaging decision support questions for every ankle x-ray",
        "Every ankle and knee x-ray order opens the decision support questionnaire, even when the fracture rule is "
        "clearly met. It is 5 questions, about 1 minute per order.",
        minutes=1,
        per_shift=4,
    ),
    P(
        "visitreasonlist",
        "scheduling",
        "front_desk",
        "Online booking reasons do not match how patients describe visits",
        "Online booking offers a list of visit reasons that patients misread, so rashes arrive booked as "
        "injuries and the wrong room is prepared. Re-rooming takes a couple of minutes, 4 times a shift.",
        minutes=2,
        per_shift=4,
        share=5,
        wait=5,
        visits=5,
    ),
    P(
        "quietprinters",
        "discharge",
        "nurse ma",
        "Discharge packets print to a printer in another hallway",
        "The default printer for discharge packets is at the far nurse station. Staff walk across the clinic for "
        "every discharge, about 90 seconds each, 15 times a shift.",
        minutes=1.5,
        per_shift=15,
        share=20,
        wait=2,
        visits=20,
    ),
]

# What happens to some problems after intake: status moves, effort estimates, references.
PLANNED = {
    "medrec": ("EHR-1423", 6.0),
    "timeout": ("EHR-1431", 1.0),
    "callbacks": ("EHR-1467", 4.0),
    "pharmsearch": ("EHR-1472", 2.0),
    "referral": ("EHR-1480", 3.0),
    "poct": ("EHR-1491", 2.0),
}
IN_PROGRESS = {
    "avspages": ("EHR-1388", 3.0),
    "overread": ("EHR-1402", 5.0),
    "chiefcomplaint": ("EHR-1411", 1.0),
}
# Delivered, with the minutes a shift that providers say the change saves them at each site.
DELIVERED = {
    "trackingboard": ("EHR-1290", 2.0, (18, 35)),
    "ordersetcodes": ("EHR-1302", 1.0, (4, 10)),
    "respscreen": ("EHR-1315", 0.5, (10, 25)),
}
MEASURED = ["respscreen"]
TRIAGED = {
    "inboxdupes": 4.0,
    "erxqueue": 3.0,
    "sepsis": 2.0,
    "vitals": None,
    "transfer": None,
    "refills": 1.5,
    "dxsearch": None,
    "tetanus": None,
    "worknotes": 1.0,
    "cosign": None,
    "resultack": 1.0,
    "emlevel": None,
    "priorauth": None,
}
# Moved to needs_info with the product manager's question.
NEEDS_INFO = {
    "interpreter": "How many video interpreter visits a week does your site have, and which languages most often?",
    "clocks": "Which workstations drift? Room numbers or asset tags would let the desktop team check them.",
    "monitors": "Which rooms, and what size are the monitors there now?",
    "wifi": "Which rooms drop, and at what times of day? A screenshot of the error helps.",
}
DECLINED = {
    "darkscreens": "The EHR vendor offers no dark theme. Monitor brightness presets are a desktop setting, so we "
    "passed this to the desktop support team instead.",
    "faxcover": "No provider time is lost, and the new cover sheet is already part of the vendor's next release.",
}
MERGES = [("schoolnote", "worknotes")]

# Measured evidence: (problem, kind, site code or None, value, sample size, note).
EVIDENCE = [
    ("medrec", "time_study", "NORTH", 2.2, 40, "Stopwatch study over two weeks of day shifts."),
    ("medrec", "time_study", "MIDTOWN", 2.8, 25, "Observed by the informatics nurse, mixed adult and pediatric."),
    ("medrec", "ehr_metric", "NORTH", 24, None, "Reconciliation actions per provider per shift, last 30 days."),
    ("medrec", "ehr_metric", "MIDTOWN", 27, None, "Reconciliation actions per provider per shift, last 30 days."),
    ("vitals", "time_study", None, 1.1, 60, "Network sample across five sites."),
    ("inboxdupes", "time_study", None, 0.8, 120, "Time to open and close a duplicate result item."),
    ("inboxdupes", "ehr_metric", "MIDTOWN", 22, None, "Duplicate result items per provider per shift."),
    ("inboxdupes", "ehr_metric", "EASTGATE", 26, None, "Duplicate result items per provider per shift."),
    ("trackingboard", "time_study", "EASTGATE", 1.2, 30, "Walks to rooms that were already empty, timed."),
    ("avspages", "time_study", "NORTH", 2.0, 20, "Printing, sorting and stapling, timed at the nurse station."),
    ("timeout", "time_study", None, 0.7, 200, "Badge and password re-login, from the login audit."),
    ("timeout", "ehr_metric", "NORTH", 18, None, "Timeouts per provider per shift from the session log."),
    ("timeout", "ehr_metric", "SOUTHPARK", 21, None, "Timeouts per provider per shift from the session log."),
    ("transfer", "time_study", "MIDTOWN", 18, 12, "Timed from decision to transfer until the packet was faxed."),
    ("priorauth", "time_study", "RIVERSIDE", 14, 15, "Provider and MA time per request, payer forms only."),
    ("callbacks", "time_study", "SOUTHPARK", 22, 9, "Nurse time working the paper list, per shift."),
    ("overread", "time_study", None, 12, 18, "Matching the fax to the visit and calling back."),
    ("sepsis", "ehr_metric", "NORTH", 9, None, "Sepsis alert firings per provider per shift, children only."),
    ("sepsis", "ehr_metric", "LAKESIDE", 7, None, "Sepsis alert firings per provider per shift, children only."),
    ("resultack", "ehr_metric", "UNIVERSITY", 35, None, "Acknowledgements per provider per shift."),
    ("dxsearch", "ehr_metric", "MIDTOWN", 31, None, "Diagnosis searches per provider per shift."),
    (
        "medrec",
        "after_hours_metric",
        "NORTH",
        38,
        None,
        "EHR audit log, last 30 days: share of reconciliation time logged after the last scheduled shift.",
    ),
    (
        "medrec",
        "after_hours_metric",
        "MIDTOWN",
        24,
        None,
        "Work outside work, from the vendor's provider efficiency report for the quarter.",
    ),
    ("vitals", "after_hours_metric", "LAKESIDE", 15, None, "Pajama time on notes with re-typed vitals, audit log."),
    (
        "priorauth",
        "revenue_report",
        "RIVERSIDE",
        4200,
        None,
        "Revenue cycle estimate: imaging orders abandoned while the prior authorization waits, per week.",
    ),
    (
        "medrec",
        "revenue_report",
        "MIDTOWN",
        1800,
        None,
        "Coding audit: visits billed a level lower because the reconciliation was not documented, per week.",
    ),
    ("vitals", "revenue_report", "NORTH", 650, None, "Walk-outs on busy evenings while triage catches up, per week."),
    (
        "sepsis",
        "cost_report",
        "SOUTHPARK",
        6,
        None,
        "Turning the alert off network-wide would remove our only adult sepsis screen. We would add a nurse "
        "screening step, about 6 provider hours a week.",
    ),
    (
        "avspages",
        "cost_report",
        "CEDAR",
        2,
        None,
        "Our occupational health contract requires the full packet; a one-page summary means reprinting it on "
        "request, about 2 hours a week.",
    ),
    (
        "timeout",
        "cost_report",
        "HARBOR",
        1,
        None,
        "Our rooms are shared with the imaging vendor; a longer timeout needs a screen lock step we estimate at "
        "an hour a week.",
    ),
]
SURVEYS = {
    "medrec": (5, 4, 5, 5),
    "inboxdupes": (5, 5, 4),
    "vitals": (4, 4, 5),
    "timeout": (5, 4, 4, 5, 3),
    "avspages": (3, 4),
    "sepsis": (4, 5, 4),
    "erxqueue": (5, 5),
    "trackingboard": (4, 3),
    "priorauth": (5, 4),
    "labelprinter": (3,),
    "cosign": (4, 5),
    "refills": (3, 4),
    "ros": (4,),
    "lostdraft": (5,),
}
NOTES = [
    ("medrec", "Same at the evening huddle: night shift sees more of it because of older patients."),
    ("medrec", "Pharmacy techs could pre-review the list during rooming if the screen allowed it."),
    ("inboxdupes", "Part-time providers say the duplicates are the main reason their inbox piles up."),
    ("timeout", "Security agreed to review the exam-room timeout if badge tap is available on every workstation."),
    ("sepsis", "The pediatric committee would like age-based heart-rate cutoffs rather than turning the alert off."),
    ("erxqueue", "The vendor status page showed no outage on the last two occasions."),
    ("vitals", "The flowsheet and the note template use different field names for oxygen saturation."),
    ("trackingboard", "The refresh interval is a vendor setting; the build team can change it per site."),
    ("avspages", "Cedar Hills needs the full packet for its employer contract; see the cost report."),
    ("interpreter", "Please add how many interpreter visits a week each site has; the vendor bills per call."),
    ("clocks", "Which workstations? Asset tags would help the desktop team check the time settings."),
    ("overread", "Radiology can send discrepancies as a result if we agree on a result code."),
    ("callbacks", "South Park uses a shared spreadsheet now; other sites still use the paper list."),
    ("transfer", "The emergency department would accept a printed summary if the imaging is viewable in the chart."),
    ("worknotes", "Merged the Harbor school note problem here: same workflow, same fix."),
]
