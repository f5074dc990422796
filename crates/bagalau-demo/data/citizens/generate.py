#!/usr/bin/env python3
"""Writes the DEMONSTRATION complaint and openness records of 2023 in this
folder (invented, seeded; not real data). Run again to reproduce them:
    python3 generate.py
"""
import csv
import datetime as dt
import random

rng = random.Random(2023)
BODIES = {
    # body: (complaints in 2023, share answered late, regions)
    "mia": (90, 0.02, ["astana", "almaty", "shymkent"]),
    "moj": (60, 0.0, ["astana", "almaty"]),
    "moh": (70, 0.08, ["astana", "karaganda", "shymkent"]),
    "akimat_astana": (50, 0.04, ["astana"]),
    "akimat_akmola": (40, 0.12, ["akmola"]),
}
CHANNELS = ["eotinish", "paper", "reception", "email"]
OUTCOMES = ["satisfied", "partly", "refused", "explained", "left_without_consideration"]
START = dt.date(2023, 1, 9)


def day(offset):
    return START + dt.timedelta(days=offset)


with open("complaints-2023.csv", "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["id", "body", "kind", "received", "due", "answered", "outcome",
                "substantiated", "repeated", "court_case", "court_justified",
                "region", "channel"])
    for body, (n, late, regions) in BODIES.items():
        for i in range(n):
            kind = "complaint" if rng.random() < 0.3 else "application"
            received = day(rng.randrange(0, 330))
            # Answered within 1-19 calendar days: within the term (15 or 20
            # working days, at least 21 calendar days) but for the late ones.
            if rng.random() < late:
                answered = received + dt.timedelta(days=rng.randrange(35, 50))
            else:
                answered = received + dt.timedelta(days=rng.randrange(1, 20))
            outcome = rng.choice(OUTCOMES)
            substantiated = outcome in ("satisfied", "partly")
            repeated = rng.random() < 0.06
            court = rng.random() < 0.05
            justified = court and rng.random() < 0.3
            w.writerow([f"{body.upper()}-{i + 1:04d}", body, kind, received, "",
                        answered, outcome, int(substantiated), int(repeated),
                        int(court), int(justified) if court else "",
                        rng.choice(regions), rng.choice(CHANNELS)])

with open("open-data-2023.csv", "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["dataset", "body", "due", "published", "title"])
    for body in BODIES:
        for i in range(rng.randrange(4, 9)):
            due = dt.date(2023, 3 * rng.randrange(1, 5), 28)
            r = rng.random()
            published = ("" if r < 0.1 else
                         due + dt.timedelta(days=rng.randrange(1, 15)) if r < 0.25 else
                         due - dt.timedelta(days=rng.randrange(0, 20)))
            w.writerow([f"ds-{i + 1}", body, due, published, f"Data set {i + 1} (demonstration)"])

with open("open-dialogue-2023.csv", "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["request", "body", "received", "due", "answered"])
    for body in BODIES:
        for i in range(rng.randrange(10, 25)):
            received = day(rng.randrange(0, 300))
            answered = received + dt.timedelta(days=rng.randrange(1, 26))
            w.writerow([f"q-{i + 1}", body, received, "", answered])

with open("legal-acts-2023.csv", "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["draft", "body", "sent", "posted", "discussion_end", "restricted", "title"])
    for body in BODIES:
        for i in range(rng.randrange(3, 8)):
            posted = day(rng.randrange(0, 300))
            restricted = rng.random() < 0.1
            length = rng.choice([10, 10, 12, 15, 7])
            end = posted + dt.timedelta(days=length)
            sent = end + dt.timedelta(days=rng.randrange(0, 20))
            if restricted:
                w.writerow([f"npa-{i + 1}", body, sent, "", "", 1, f"Draft {i + 1} (demonstration)"])
            else:
                w.writerow([f"npa-{i + 1}", body, sent, posted, end, 0, f"Draft {i + 1} (demonstration)"])

# Figures of Open Budgets, as a body reports them when records are not kept.
with open("openness-figures-2023.csv", "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["body", "year", "budget_documents_required", "budget_documents_on_time",
                "budget_comments", "budget_comments_answered"])
    for body in BODIES:
        required = rng.randrange(4, 8)
        comments = rng.randrange(0, 12)
        w.writerow([body, 2023, required, required - rng.randrange(0, 2), comments,
                    comments - min(comments, rng.randrange(0, 2))])
